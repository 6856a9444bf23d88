import { ESTIMATORS } from "../analysis/estimate.ts";
import { fitOneLine } from "../analysis/scaling.ts";
import type { TrajectoryPath } from "../engine/simulate.ts";
import type { SweepResult } from "../solution/result.ts";
import type { DriftPoint, VariantPoint } from "../plot/data.ts";
import { comparisonSpec } from "../plot/comparison.ts";
import { driftSpec } from "../plot/drift.ts";
import { estimated, probabilityPoints, survivalCurve, tauOf, variantPoints } from "../plot/from-sweep.ts";
import { probabilityVsTauSpec, type TauPoint } from "../plot/probability-vs-tau.ts";
import { survivalSpec } from "../plot/survival.ts";
import { trajectoriesSpec } from "../plot/trajectories.ts";
import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";
import { perStepTheory } from "../theory/per-step.ts";
import { chiSquareSf } from "../stats/gamma.ts";
import { Z95 } from "../stats/special.ts";
import type { Built } from "./built.ts";
import { describeConfig, fmt, noiseSigma, runSubtitle } from "./caption.ts";
import { crossing } from "./crossing.ts";
import type { Derived } from "./derive.ts";
import { predictionSentences } from "./prediction.ts";
import { tauSeries } from "./tau-series.ts";
import type { Experiment } from "./types.ts";

/** A tau series' name from what it ran (a measurement's label may name the full set's T in quick mode). */
function seriesName(result: SweepResult): string {
  const c = result.config;
  return [`B = ${c.batch.join(", ")}`, `T = ${c.steps}`, ...(c.gamma.length > 1 ? [] : [`γ₀ = ${c.gamma[0]}`])].join(", ");
}

/** Data collapse: each sweep (and each gamma of a multi-gamma sweep) is one series, with the theory's line for it. */
export function buildProbabilityVsTau(exp: Experiment, sweeps: { label: string; result: SweepResult }[], predicted?: Derived["predicted"]): Built {
  const points: TauPoint[] = sweeps.flatMap(({ result }) => {
    const sigma = noiseSigma(result.template);
    return probabilityPoints(result).map((p) => ({
      series: tauSeries(result, p),
      tau: tauOf(p.lr, p.gamma, p.batch, p.steps, sigma),
      lr: p.lr, gamma: p.gamma, batch: p.batch, steps: p.steps, p: p.p, lo: p.lo, hi: p.hi,
    }));
  });
  const curves = predicted?.curves ?? [];
  const finite = curves.filter((c) => c.method === "finite-step"), diffusion = curves.filter((c) => c.method === "diffusion");
  const spec = probabilityVsTauSpec(points, {
    title: exp.title,
    subtitle: [runSubtitle(sweeps.map((s) => s.result.config)), ...(finite.length ? ["lines: finite-step predictor, in each series' colour"] : [])],
    seriesPredicted: finite.flatMap((c) => c.points),
    predicted: diffusion.flatMap((c) => c.points),
  });
  const series = [...new Set(points.map((p) => p.series))];
  const crossAt = series.map((s) => crossing(points.filter((p) => p.series === s).map((p) => ({ x: p.tau, p: p.p })), 0.1));
  const crossings = series.map((s, i) => `${s}: ${crossAt[i] === null ? "not reached" : fmt(crossAt[i]!)}`);
  const reached = crossAt.filter((c): c is number => c !== null);
  const spread = reached.length > 1 ? ` The series that reach it do so over a factor ${fmt(Math.max(...reached) / Math.min(...reached))} in τ.` : "";
  const at = new Map((predicted?.cells ?? []).map((c) => [`${c.series};${c.lr};${c.gamma}`, c.predicted]));
  const rows = [
    ...points.map((p) => ({ ...p, predicted: at.get(`${p.series};${p.lr};${p.gamma}`) ?? null })),
    ...curves.flatMap((c) => c.points.map((q) => ({ series: `${c.method === "finite-step" ? "finite-step predictor" : c.label}: ${c.series ?? ""}`, tau: q.tau, p: q.p }))),
  ];
  return {
    figure: { name: exp.id, spec, rows },
    plotted: "The fraction of runs dead by T against τ = η²σ²T/(Bγ₀²), one colour per series (B, T, γ₀), with 95% bars and each series' finite-step prediction as a line.",
    headline: [`τ at which P first reaches 0.1, per series: ${crossings.join("; ")}; under a data collapse these would agree.${spread}`],
    settings: sweeps.map(({ result }) => ({ name: seriesName(result), config: result.config })),
    simulated: [],
    measured: [
      `τ at which P first reaches 0.1 (log-interpolated between cells), per series: ${crossings.join("; ")}. Under a data collapse these would agree.${spread}`,
      ...(predicted ? predictionSentences(predicted) : []),
    ],
  };
}

export function buildSurvival(exp: Experiment, result: SweepResult): Built {
  const gamma = exp.options?.gamma ?? result.config.gamma[0];
  let cells = estimated(result.cells).filter((c) => c.gamma === gamma && c.collapsed > 0);
  const max = exp.options?.maxCurves ?? 5;
  if (cells.length > max) cells = cells.filter((_, i) => i % Math.ceil(cells.length / max) === 0 || i === cells.length - 1).slice(-max);
  const curves = cells.map((c) => survivalCurve(c, `η = ${c.lr}`, result.config.steps));
  const spec = survivalSpec(curves, { title: exp.title, subtitle: [`γ₀ = ${gamma} · ${runSubtitle([result.config])}`, "bands: pointwise 95% (log-log Greenwood)"], legendTitle: null });
  const rows = curves.flatMap((c) => c.t.map((t, i) => ({ curve: c.label, t, survival: c.survival[i], lo: c.lo[i], hi: c.hi[i] })));
  const said = `At γ₀ = ${gamma}: ${cells.map((c) => `η = ${c.lr}: S(T) = ${fmt(1 - c.p)}, median first passage ${c.firstPassage.median ?? "not reached (S(T) > 1/2)"}`).join("; ")}.`;
  return {
    figure: { name: exp.id, spec, rows },
    plotted: `The Kaplan-Meier fraction of runs not yet collapsed against the update t, at γ₀ = ${gamma}, one step curve per η with its pointwise 95% band.`,
    headline: [said],
    settings: [{ name: "grid", config: result.config }],
    simulated: [],
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
  const spec = comparisonSpec(points, { title: exp.title, subtitle: runSubtitle(sweeps.map((s) => s.result.config)), legendTitle: null, yTitle: exp.options?.yTitle });
  const variants = [...new Set(points.map((p) => p.variant))];
  const at = variants.map((v) => {
    const c = crossing(points.filter((p) => p.variant === v).map((p) => ({ x: p.lr, p: p.p })), 0.1);
    return `${v}: ${c === null ? (points.some((p) => p.variant === v && p.p >= 0.1) ? "above 0.1 at every η" : "not reached") : fmt(c)}`;
  });
  const said = `η at which P first reaches 0.1 (log-interpolated between cells): ${at.join("; ")}.`;
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: `The fraction of runs that ${exp.options?.yTitle ? "reached the criterion" : "collapsed"} by T against the learning rate η, on log-log axes, one line per ${exp.options?.legendTitle ?? "variant"} with its Wilson 95% band.`,
    headline: [said],
    settings: split
      ? sweeps.flatMap(({ result }) => result.config[split].map((v) => ({ name: `${legend} = ${v}`, config: { ...result.config, [split]: [v] } })))
      : sweeps.map(({ label, result }) => ({ name: label, config: result.config })),
    simulated: [],
    measured: [said],
  };
}

/** The leading-order sparsity drift of src/theory at each point (finite-B moments unless `moments` says otherwise). */
function analyticDrift(config: SweepProblem["config"], template: UnitProblem, p: DriftPoint, moments: "finite" | "gauss"): number {
  const act = template.activation;
  return perStepTheory({
    lr: p.lr, gamma: p.gamma, beta: config.beta[0], batch: config.batch[0], sigma: noiseSigma(template),
    alpha: act.kind === "leaky" ? act.alpha : 0, signal: config.signal[0], weightDecay: config.weightDecay[0], moments,
  }).driftSparsity;
}

export function buildDrift(exp: Experiment, config: SweepProblem["config"], template: UnitProblem, measured: DriftPoint[], trials: number): Built {
  const points = measured.map((p) => ({ ...p, predicted: analyticDrift(config, template, p, "finite") }));
  const spec = driftSpec(points, {
    title: exp.title,
    subtitle: [`one update from β₀ = ${config.beta[0]} · B = ${config.batch[0]} · ${trials} one-step runs per point`, "bars: 95% (normal); line: leading-order theory, finite-B moments"],
    predictedLabel: "theory (finite-B moments)",
  });
  const se = (p: DriftPoint) => (p.hi - p.lo) / (2 * Z95);
  // the same fit and verdict as `bn-collapse fit`'s estimator (c): y ~ N(c x^b, se^2), every point whatever its sign
  const say = (axis: "lr" | "gamma", name: string) => {
    const obs = points.filter((p) => p.axis === axis).map((p) => ({ kind: "gaussian" as const, x: p[axis], y: p.drift, se: se(p) }));
    const line = fitOneLine(ESTIMATORS.drift, axis, obs, { key: `drift-figure/${axis}` });
    const first = points.find((p) => p.axis === axis);
    const at = !first ? "" : axis === "lr" ? ` at γ₀ = ${first.gamma}` : ` at η = ${first.lr}`;
    return `along ${name}${at}: ${line.sentence}`;
  };
  const kappaOf = (p: DriftPoint) => (p.lr ** 2 * noiseSigma(template) ** 2) / (config.batch[0] * p.gamma ** 2);
  const z = points.map((p) => (p.drift - p.predicted) / se(p));
  const chi2 = z.reduce((a, v) => a + v * v, 0);
  const rel = points.map((p) => p.drift / p.predicted - 1);
  const worst = points[rel.reduce((k, v, i) => (Math.abs(v) > Math.abs(rel[k]) ? i : k), 0)];
  const gaussRatio = points.map((p) => analyticDrift(config, template, p, "gauss") / p.predicted);
  const [gLo, gHi] = [fmt(Math.min(...gaussRatio)), fmt(Math.max(...gaussRatio))];
  const lrAxis = points.filter((p) => p.axis === "lr"), gAxis = points.filter((p) => p.axis === "gamma");
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: "The mean change of the sparsity s = 1 − Φ(β/|γ|) over one update, against η at fixed γ₀ and against γ₀ at fixed η, with 95% bars, and the leading-order theory as a line.",
    headline: [`Measured against the theory's line: χ² = ${fmt(chi2)} on ${points.length} dof, p = ${fmt(chiSquareSf(chi2, points.length))}; relative differences from ${fmt(100 * Math.min(...rel))}% to ${fmt(100 * Math.max(...rel))}% (terms of relative size O(κ) left out, κ ≤ ${fmt(Math.max(...points.map(kappaOf)))}).`],
    simulated: [
      `${describeConfig({ ...config, trials, lr: lrAxis.map((p) => p.lr), gamma: [lrAxis[0]?.gamma ?? NaN] }, { trialsWord: "one-step runs per point" })}; and η = ${gAxis[0]?.lr}, γ₀ ∈ {${gAxis.map((p) => p.gamma).join(", ")}}`,
    ],
    measured: [
      `Measured: the mean change of the sparsity s = 1 − Φ(r), r = β/|γ|, over one update (src/analysis's estimator (c), with the first-order control variate of known mean 0 where the noise is symmetric; r itself has no finite mean step, since γ can pass through 0). Fitted by maximum likelihood on the linear scale (as \`bn-collapse fit\`'s estimator (c)), ${say("lr", "η")} Then ${say("gamma", "γ₀")}`,
      `Line: src/theory's leading-order drift E[Δs] = −φ(r)E[Δr] + rφ(r)Var[Δr]/2 with κ = η²σ²/(Bγ₀²) and the exact finite-B moments of the standardised batch (the N(0,1) moments give ${gLo === gHi ? gLo : `${gLo}–${gHi}`} times it here); relative error O(κ).`,
      `Measured against the line: χ² = Σ((measured − theory)/SE)² = ${fmt(chi2)} on ${points.length} dof, p = ${fmt(chiSquareSf(chi2, points.length))}; relative differences from ${fmt(100 * Math.min(...rel))}% to ${fmt(100 * Math.max(...rel))}%, the largest in size at η = ${worst.lr}, γ₀ = ${worst.gamma}. The line leaves out terms of relative size O(κ), κ at most ${fmt(Math.max(...points.map(kappaOf)))} here.`,
    ],
  };
}

export function buildTrajectories(exp: Experiment, config: SweepProblem["config"], template: UnitProblem, paths: TrajectoryPath[]): Built {
  const batch = config.batch[0];
  const criterion = template.collapse;
  const series = paths.map((p) => ({ id: p.index, step: p.step, gamma: p.gamma, beta: p.beta, collapsedAt: p.firstPassage }));
  const spec = trajectoriesSpec(series, { title: exp.title, subtitle: [`η = ${config.lr[0]} · γ₀ = ${config.gamma[0]} · ${runSubtitle([{ ...config, trials: paths.length }], { runsWord: "paths, run on to T after collapse" })}`, "dot: start"], batch, ratioCriterion: criterion.kind === "ratio" ? criterion.c : undefined });
  const met = paths.filter((p) => p.firstPassage > 0).length;
  const dead = paths.filter((p) => {
    const g = p.gamma[p.gamma.length - 1], b = p.beta[p.beta.length - 1];
    return b <= -Math.sqrt(batch - 1) * Math.abs(g);
  }).length;
  const rows = series.flatMap((p) => p.step.map((s, i) => ({ id: p.id, step: s, gamma: p.gamma[i], beta: p.beta[i], collapsedAt: p.collapsedAt })));
  return {
    figure: { name: exp.id, spec, rows },
    plotted: `${paths.length} sample paths of (γ, β) over T = ${config.steps} updates, coloured by whether they met the criterion by T, with the dead cone shaded.`,
    headline: [`${met} of ${paths.length} paths met the criterion ${config.collapse} by T; ${dead} ended inside the dead cone.`],
    settings: [{ name: "paths", config: { ...config, trials: paths.length }, trialsWord: "paths (run to T, not stopped at collapse)" }],
    simulated: [],
    measured: [`${met} of ${paths.length} paths met the criterion ${config.collapse} by T; ${dead} ended inside the dead cone.`],
  };
}
