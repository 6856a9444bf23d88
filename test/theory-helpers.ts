/** One-step increments of the mechanistic engine from a fixed state, for the theory tests. */
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { defineProblem, type Activation } from "../src/model/problem.ts";
import { normalCdf } from "../src/stats/special.ts";

export interface OneStepSample {
  /** dr = r' - r per trial */
  dr: Float64Array;
  /** the linear part L = r u - v of dr (mean exactly 0 without signal), for a control variate */
  lin: Float64Array;
  /** change of the sparsity 1 - Phi(r) */
  ds: Float64Array;
}

export function oneStep(
  s: { lr: number; gamma: number; beta: number; batch: number; alpha?: number; signal?: number; weightDecay?: number },
  trials: number,
  seed: string,
  streamKey = "",
): OneStepSample {
  const activation: Activation = s.alpha ? { kind: "leaky", alpha: s.alpha } : { kind: "relu" };
  const p = defineProblem({
    batch: s.batch, gamma0: s.gamma, beta0: s.beta, steps: 1, activation,
    loss: { kind: "noise", noise: { kind: "gauss", sigma: 1 }, signal: s.signal ?? 0 },
    collapse: { kind: "ratio", c: 1e9 },
    optimizer: { kind: "sgd", lr: s.lr, weightDecay: s.weightDecay ?? 0 },
  });
  const o = simulateTrajectories(p, { seed, trials, stopAtCollapse: false, streamKey });
  const g = Math.abs(s.gamma), r = s.beta / g;
  const dr = new Float64Array(trials), lin = new Float64Array(trials), ds = new Float64Array(trials);
  for (let i = 0; i < trials; i++) {
    const r1 = o.finalBeta[i] / Math.abs(o.finalGamma[i]);
    dr[i] = r1 - r;
    lin[i] = (r * (Math.abs(s.gamma) - Math.sign(s.gamma) * o.finalGamma[i]) - (s.beta - o.finalBeta[i])) / g;
    ds[i] = normalCdf(r) - normalCdf(r1);
  }
  return { dr, lin, ds };
}

/** Mean with its standard error. */
export function meanSe(x: Float64Array): { mean: number; se: number } {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let q = 0;
  for (const v of x) q += (v - mean) ** 2;
  return { mean, se: Math.sqrt(q / (n - 1) / n) };
}

/** Sample variance with its standard error sqrt((mu4 - var^2) / n) (asymptotic, any distribution). */
export function varSe(x: Float64Array): { v: number; se: number } {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  const mean = s / n;
  let q2 = 0, q4 = 0;
  for (const v of x) {
    const d = (v - mean) ** 2;
    q2 += d;
    q4 += d * d;
  }
  const v = q2 / (n - 1);
  return { v, se: Math.sqrt(Math.max(0, q4 / n - (q2 / n) ** 2) / n) };
}

/** Elementwise a - b. */
export function minus(a: Float64Array, b: Float64Array, k = 1): Float64Array {
  return a.map((v, i) => v - k * b[i]);
}
