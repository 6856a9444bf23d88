import { ESTIMATORS } from "../analysis/estimate.ts";
import { fitOneLine } from "../analysis/scaling.ts";
import type { DriftPoint } from "../plot/data.ts";
import { driftSpec } from "../plot/drift.ts";
import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";
import { perStepTheory } from "../theory/per-step.ts";
import { chiSquareSf } from "../stats/gamma.ts";
import { Z95 } from "../stats/special.ts";
import type { Built } from "./built.ts";
import { describeConfig, fmt, noiseSigma } from "./caption.ts";
import type { Experiment } from "./types.ts";

/* The drift figure: the measured one-step sparsity drift against the leading-order theory. */

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
