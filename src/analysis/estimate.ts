import type { Axis } from "../ensemble/problem.ts";
import type { FamilyKind, Observation } from "./families.ts";

export type EstimatorId = "probability" | "median" | "drift" | "boundary";

/** What an estimator measures and the exponents the paper's law implies for it. */
export interface EstimatorInfo {
  id: EstimatorId;
  /** short name used in sentences, e.g. "P(T)" */
  label: string;
  /** what it is, e.g. "the fixed-horizon collapse probability" */
  quantity: string;
  /** exponents implied by P ~ lr^2 / gamma^2 (a time scales inversely: gamma^2 / lr^2) */
  expected: { lr: number; gamma: number };
  /** true when it needs fresh one-step simulation (not read from the sweep) */
  simulated: boolean;
  /** how its cells enter a power-law fit (src/analysis/families.ts) */
  family: FamilyKind;
}

export const ESTIMATORS: Record<EstimatorId, EstimatorInfo> = {
  probability: { id: "probability", label: "P(T)", quantity: "the fixed-horizon collapse probability", expected: { lr: 2, gamma: -2 }, simulated: false, family: "binomial" },
  median: { id: "median", label: "median first passage", quantity: "the median first-passage time (time ~ gamma^2/lr^2 under the law)", expected: { lr: -2, gamma: 2 }, simulated: false, family: "lognormal" },
  drift: { id: "drift", label: "sparsity drift", quantity: "the per-step drift of the sparsity 1 - Phi(r) at the initial state", expected: { lr: 2, gamma: -2 }, simulated: true, family: "gaussian" },
  boundary: { id: "boundary", label: "one-step P near the boundary", quantity: "the one-step collapse probability from just above the threshold", expected: { lr: 2, gamma: -2 }, simulated: true, family: "binomial" },
};

/**
 * One cell's estimate. How it enters a fit depends on the estimator's family: counts (`counts`, every
 * cell with a valid run), a value with its SE on the linear scale (`value`, `se`, any sign), or a
 * positive value with the SE of its log (`value`, `seLog`). `excluded` says why a cell cannot enter
 * (every run non-finite, no median by T, ...).
 */
export interface CellEstimate {
  at: Record<Axis, number>;
  value: number | null;
  /** standard error of value (for the median: from its interval) */
  se: number | null;
  seLog: number | null;
  ci95: [number, number] | null;
  /** k of n runs collapsed, for the estimators that count */
  counts?: { k: number; n: number };
  excluded?: string;
}

export function excludedEstimate(at: Record<Axis, number>, why: string, value: number | null = null): CellEstimate {
  return { at, value, se: null, seLog: null, ci95: null, excluded: why };
}

/** The cell as an observation of `family` at x = its coordinate on `axis`, or null when it cannot enter. */
export function observationOf(family: FamilyKind, x: number, e: CellEstimate): Observation | null {
  if (e.excluded || !(x > 0) || !Number.isFinite(x)) return null;
  switch (family) {
    case "binomial":
      return e.counts && e.counts.n > 0 ? { kind: "binomial", x, k: e.counts.k, n: e.counts.n } : null;
    case "gaussian":
      return e.value !== null && Number.isFinite(e.value) && e.se !== null && e.se > 0 && Number.isFinite(e.se) ? { kind: "gaussian", x, y: e.value, se: e.se } : null;
    case "lognormal":
      return e.value !== null && e.value > 0 && e.seLog !== null && e.seLog > 0 && Number.isFinite(e.seLog) ? { kind: "lognormal", x, logY: Math.log(e.value), seLog: e.seLog } : null;
  }
}
