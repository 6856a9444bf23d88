import { cellProblem, type Axis } from "../ensemble/problem.ts";
import { criterionShift, criterionTest, ON_RATIO } from "../model/criteria.ts";
import { simulateTrajectories } from "../engine/simulate.ts";
import { STOP_NON_FINITE } from "../engine/trajectory.ts";
import type { UnitProblem } from "../model/problem.ts";
import { cellStreams, fitBoundaryStreams, fitDriftStreams } from "../rng/keys.ts";
import { wilsonInterval } from "../stats/binomial.ts";
import { normalCdf, normalPdf } from "../stats/special.ts";
import { excludedEstimate, type CellEstimate } from "./estimate.ts";
import { Z95 } from "../stats/special.ts";

export interface OneStepOptions {
  seed: string | number;
  trials: number;
}

/** The cell's problem cut to a single update (a schedule is read at t = 0, with T = 1). */
function oneStep(template: UnitProblem, at: Record<Axis, number>, beta0?: number): UnitProblem {
  const p = cellProblem(template, at);
  return { ...p, steps: 1, beta0: beta0 ?? p.beta0 };
}

/**
 * With zero-mean symmetric gradient noise (noise loss, no signal, no weight decay) the first-order
 * part of one step's change in (gamma, beta) has mean exactly zero, whatever the optimiser (its
 * first update is odd in the gradient). Its linear image in the sparsity is then a control variate
 * with known mean 0: subtracting it removes the O(lr / gamma) noise and leaves the O(lr^2 / gamma^2)
 * part whose mean is the drift, so the SE falls from O(sqrt(kappa)) to O(kappa).
 */
export function controlVariateApplies(problem: UnitProblem): boolean {
  return problem.loss.kind === "noise" && problem.loss.signal === 0 && problem.optimizer.weightDecay === 0;
}

/**
 * (c) The per-step drift of the sparsity s = 1 - Phi(r), r = beta/|gamma|, at the cell's initial
 * state: the mean of s1 - s0 over `trials` one-step runs, SE = sample sd / sqrt(n) (of the
 * control-variate-corrected differences where it applies). Positive means toward sparsity; a mean
 * of either sign is kept (it is fitted on the linear scale), seLog only where it is positive.
 */
export function driftEstimate(template: UnitProblem, at: Record<Axis, number>, options: OneStepOptions): CellEstimate & { controlVariate: boolean } {
  const problem = oneStep(template, at);
  const cv = controlVariateApplies(problem);
  const out = simulateTrajectories(problem, {
    seed: options.seed,
    trials: options.trials,
    streamKey: fitDriftStreams(cellStreams(at)),
    stopAtCollapse: false,
  });
  const shift = criterionShift(problem.norm); // r of the effective shift (psBN's beta + alpha)
  const g0 = problem.gamma0, b0 = problem.beta0 + shift;
  const r0 = b0 / Math.abs(g0);
  const s0 = normalCdf(-r0);
  const phi0 = normalPdf(r0);
  let n = 0, mean = 0, m2 = 0;
  for (let i = 0; i < options.trials; i++) {
    const g1 = out.finalGamma[i], b1 = out.finalBeta[i] + shift;
    if (out.stopReason[i] === STOP_NON_FINITE || !Number.isFinite(g1) || !Number.isFinite(b1)) continue;
    let d = normalCdf(-(b1 / Math.abs(g1))) - s0;
    if (cv) d += (phi0 * ((b1 - b0) - r0 * Math.sign(g0) * (g1 - g0))) / Math.abs(g0);
    n++;
    const delta = d - mean;
    mean += delta / n;
    m2 += delta * (d - mean);
  }
  if (n < 2) return { ...excludedEstimate(at, "fewer than two finite one-step runs"), controlVariate: cv };
  const se = Math.sqrt(m2 / (n - 1) / n);
  const ci95: [number, number] = [mean - Z95 * se, mean + Z95 * se];
  return { at, value: mean, se, seLog: mean > 0 ? se / mean : null, ci95, controlVariate: cv };
}

/**
 * (d) The one-step collapse probability from r0 = threshold + gap (gamma0 as in the cell, beta0 =
 * r0 |gamma0|): k collapsed of n (fitted as counts, k = 0 included), Wilson interval. Only for
 * criteria on r (dead, ratio, sparsity).
 */
export function boundaryEstimate(template: UnitProblem, at: Record<Axis, number>, gap: number, options: OneStepOptions): CellEstimate & { r0: number | null } {
  const base = cellProblem(template, at);
  const test = criterionTest(base.collapse, base.batch);
  if (test.on !== ON_RATIO) return { ...excludedEstimate(at, "the criterion is on |gamma|, not on r"), r0: null };
  const r0 = test.threshold + gap;
  const out = simulateTrajectories(oneStep(template, at, r0 * Math.abs(base.gamma0) - criterionShift(base.norm)), {
    seed: options.seed,
    trials: options.trials,
    streamKey: fitBoundaryStreams(cellStreams(at)),
    stopAtCollapse: true,
  });
  let k = 0, bad = 0;
  for (let i = 0; i < options.trials; i++) {
    if (out.firstPassage[i] > 0) k++;
    else if (out.stopReason[i] === STOP_NON_FINITE) bad++;
  }
  const n = options.trials - bad;
  if (n === 0) return { ...excludedEstimate(at, "every one-step run went non-finite"), r0 };
  const p = k / n;
  const se = Math.sqrt((p * (1 - p)) / n);
  return { at, value: p, se, seLog: p > 0 ? se / p : null, ci95: wilsonInterval(k, n), counts: { k, n }, r0 };
}
