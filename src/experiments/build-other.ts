import type { TrajectoryPath } from "../engine/simulate.ts";
import type { SweepResult } from "../ensemble/sweep.ts";
import type { DriftPoint, PredictedPoint, VariantPoint } from "../plot/data.ts";
import { comparisonSpec } from "../plot/comparison.ts";
import { driftSpec } from "../plot/drift.ts";
import { estimated, probabilityPoints, survivalCurve, tauOf, variantPoints } from "../plot/from-sweep.ts";
import { probabilityVsTauSpec, type TauPoint } from "../plot/probability-vs-tau.ts";
import { survivalSpec } from "../plot/survival.ts";
import { trajectoriesSpec } from "../plot/trajectories.ts";
import type { SweepSpec } from "../config/sweep-config.ts";
import type { Built } from "./built.ts";
import { describeConfig, fmt, noiseSigma } from "./caption.ts";
import { crossing, logLogSlopeWithErrors } from "./fit.ts";
import type { Experiment } from "./types.ts";

/** Data collapse: each sweep (and each gamma of a multi-gamma sweep) is one series. */
export function buildProbabilityVsTau(exp: Experiment, sweeps: { label: string; result: SweepResult }[], predicted?: readonly PredictedPoint[]): Built {
  const points: TauPoint[] = sweeps.flatMap(({ result }) => {
    const sigma = noiseSigma(result.config);
    const multi = result.config.gamma.length > 1;
    return probabilityPoints(result).map((p) => ({
      series: `B = ${p.batch}, T = ${p.steps}${multi || p.gamma !== 1 ? `, γ₀ = ${p.gamma}` : ""}`,
      tau: tauOf(p.lr, p.gamma, p.batch, p.steps, sigma),
      lr: p.lr, gamma: p.gamma, batch: p.batch, steps: p.steps, p: p.p, lo: p.lo, hi: p.hi,
    }));
  });
  const spec = probabilityVsTauSpec(points, { title: exp.title, predicted, predictedLabel: "deterministic predictor" });
  const series = [...new Set(points.map((p) => p.series))];
  const crossings = series.map((s) => {
    const c = crossing(points.filter((p) => p.series === s).map((p) => ({ x: p.tau, p: p.p })), 0.1);
    return `${s}: ${c === null ? "not reached" : fmt(c)}`;
  });
  return {
    figure: { name: exp.id, spec, rows: points },
    simulated: sweeps.map(({ label, result }) => `${label}: ${describeConfig(result.config)}`),
    measured: [
      `τ at which P first reaches 0.1 (log-interpolated between cells), per series: ${crossings.join("; ")}. Under a data collapse these agree.`,
      predicted ? "Solid black: the deterministic predictor." : "The deterministic predictor (src/theory) is not overlaid yet.",
    ],
  };
}

export function buildSurvival(exp: Experiment, result: SweepResult): Built {
  const gamma = exp.options?.gamma ?? result.config.gamma[0];
  let cells = estimated(result.cells).filter((c) => c.gamma === gamma && c.collapsed > 0);
  const max = exp.options?.maxCurves ?? 5;
  if (cells.length > max) cells = cells.filter((_, i) => i % Math.ceil(cells.length / max) === 0 || i === cells.length - 1).slice(-max);
  const curves = cells.map((c) => survivalCurve(c, `η = ${c.lr}`, result.config.steps));
  const spec = survivalSpec(curves, { title: exp.title, subtitle: `γ₀ = ${gamma}; bands: pointwise 95% (log-log Greenwood)`, legendTitle: null });
  const rows = curves.flatMap((c) => c.t.map((t, i) => ({ curve: c.label, t, survival: c.survival[i], lo: c.lo[i], hi: c.hi[i] })));
  return {
    figure: { name: exp.id, spec, rows },
    simulated: [describeConfig(result.config)],
    measured: [
      `At γ₀ = ${gamma}: ${cells.map((c) => `η = ${c.lr}: S(T) = ${fmt(1 - c.p)}, median first passage ${c.firstPassage.median ?? "not reached (S(T) > 1/2)"}`).join("; ")}.`,
    ],
  };
}

export function buildComparison(exp: Experiment, sweeps: { label: string; result: SweepResult }[]): Built {
  const split = exp.options?.splitBy;
  const legend = exp.options?.legendTitle ?? "";
  const points: VariantPoint[] = sweeps.flatMap(({ label, result }) =>
    split ? result.cells.flatMap((c) => variantPoints({ ...result, cells: [c] }, `${legend} = ${c[split]}`)) : variantPoints(result, label),
  );
  const spec = comparisonSpec(points, { title: exp.title, legendTitle: null });
  const variants = [...new Set(points.map((p) => p.variant))];
  const at = variants.map((v) => {
    const c = crossing(points.filter((p) => p.variant === v).map((p) => ({ x: p.lr, p: p.p })), 0.1);
    return `${v}: ${c === null ? (points.some((p) => p.variant === v && p.p >= 0.1) ? "above 0.1 at every η" : "not reached") : fmt(c)}`;
  });
  return {
    figure: { name: exp.id, spec, rows: points },
    simulated: sweeps.map(({ label, result }) => `${label}: ${describeConfig(result.config)}`),
    measured: [`η at which P first reaches 0.1 (log-interpolated): ${at.join("; ")}.`],
  };
}

export function buildDrift(exp: Experiment, config: SweepSpec["config"], points: DriftPoint[], trials: number): Built {
  const spec = driftSpec(points, { title: exp.title, subtitle: `one update from β₀ = ${config.beta[0]}; bars: 95% (normal)`, predictedLabel: "analytic" });
  const slope = (axis: "lr" | "gamma") =>
    logLogSlopeWithErrors(points.filter((p) => p.axis === axis && p.lo > 0).map((p) => ({ x: p[axis], y: p.drift, sdLog: (p.hi - p.lo) / (2 * 1.96 * p.drift) })));
  const say = (axis: "lr" | "gamma", name: string, paper: number) => {
    const f = slope(axis);
    return f ? `slope of log drift against log ${name}: ${fmt(f.slope)} [${fmt(f.lo)}, ${fmt(f.hi)}] (η²/γ₀² scaling: ${paper})` : `too few resolved points to fit against ${name}`;
  };
  const lrAxis = points.filter((p) => p.axis === "lr"), gAxis = points.filter((p) => p.axis === "gamma");
  return {
    figure: { name: exp.id, spec, rows: points },
    simulated: [
      `${describeConfig({ ...config, trials, lr: lrAxis.map((p) => p.lr), gamma: [lrAxis[0]?.gamma ?? NaN] }, { trialsWord: "one-step runs per point" })}; and η = ${gAxis[0]?.lr}, γ₀ ∈ {${gAxis.map((p) => p.gamma).join(", ")}}`,
    ],
    measured: [`Measured −E[Δr] over one update: ${say("lr", "η", 2)}; ${say("gamma", "γ₀", -2)}.`, "The analytic line (src/theory) is not overlaid yet."],
  };
}

export function buildTrajectories(exp: Experiment, config: SweepSpec["config"], paths: TrajectoryPath[]): Built {
  const batch = config.batch[0];
  const ratio = /^ratio:([\d.]+)$/.exec(config.collapse);
  const series = paths.map((p) => ({ id: p.index, step: p.step, gamma: p.gamma, beta: p.beta, collapsedAt: p.firstPassage }));
  const spec = trajectoriesSpec(series, { title: exp.title, subtitle: `η = ${config.lr[0]}, γ₀ = ${config.gamma[0]}, B = ${batch}, T = ${config.steps}; dot: start`, batch, ratioCriterion: ratio ? Number(ratio[1]) : undefined });
  const met = paths.filter((p) => p.firstPassage > 0).length;
  const dead = paths.filter((p) => {
    const g = p.gamma[p.gamma.length - 1], b = p.beta[p.beta.length - 1];
    return b <= -Math.sqrt(batch - 1) * Math.abs(g);
  }).length;
  const rows = series.flatMap((p) => p.step.map((s, i) => ({ id: p.id, step: s, gamma: p.gamma[i], beta: p.beta[i], collapsedAt: p.collapsedAt })));
  return {
    figure: { name: exp.id, spec, rows },
    simulated: [describeConfig({ ...config, trials: paths.length }, { trialsWord: "paths (run to T, not stopped at collapse)" })],
    measured: [`${met} of ${paths.length} paths met the criterion ${config.collapse} by T; ${dead} ended inside the dead cone.`],
  };
}
