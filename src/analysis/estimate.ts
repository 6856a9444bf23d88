import type { Axis } from "../config/sweep-config.ts";

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
}

export const ESTIMATORS: Record<EstimatorId, EstimatorInfo> = {
  probability: { id: "probability", label: "P(T)", quantity: "the fixed-horizon collapse probability", expected: { lr: 2, gamma: -2 }, simulated: false },
  median: { id: "median", label: "median first passage", quantity: "the median first-passage time (time ~ gamma^2/lr^2 under the law)", expected: { lr: -2, gamma: 2 }, simulated: false },
  drift: { id: "drift", label: "sparsity drift", quantity: "the per-step drift of the sparsity 1 - Phi(r) at the initial state", expected: { lr: 2, gamma: -2 }, simulated: true },
  boundary: { id: "boundary", label: "one-step P near the boundary", quantity: "the one-step collapse probability from just above the threshold", expected: { lr: 2, gamma: -2 }, simulated: true },
};

/**
 * One cell's estimate. `value` > 0 with `seLog` (the SE of log value) enters the fits; otherwise
 * `excluded` says why the cell cannot enter a log (p = 0 or 1, no median by T, a drift <= 0, ...).
 */
export interface CellEstimate {
  at: Record<Axis, number>;
  value: number | null;
  /** standard error of value (for the median: from its interval) */
  se: number | null;
  seLog: number | null;
  ci95: [number, number] | null;
  excluded?: string;
}

export function excludedEstimate(at: Record<Axis, number>, why: string, value: number | null = null): CellEstimate {
  return { at, value, se: null, seLog: null, ci95: null, excluded: why };
}
