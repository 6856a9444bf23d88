/**
 * The plain data every spec builder takes. Nothing here depends on how the numbers were made: a
 * sweep, the theory module or the analysis module can fill these in.
 */

/** One measured collapse probability with its 95% interval. */
export interface ProbabilityPoint {
  lr: number;
  gamma: number;
  batch: number;
  steps: number;
  p: number;
  lo: number;
  hi: number;
  trials: number;
  collapsed: number;
}

/** P against one swept quantity for a named variant (optimiser, batch size, weight decay, ...). */
export interface VariantPoint {
  variant: string;
  lr: number;
  p: number;
  lo: number;
  hi: number;
  trials: number;
  collapsed: number;
}

/** A point of a predicted curve P(tau), e.g. from src/theory/predictor.ts; `curve` names it when there are several. */
export interface PredictedPoint {
  tau: number;
  p: number;
  curve?: string;
}

/** What a fit says about the law's exponent (src/analysis/verdict.ts). */
export type ExponentVerdict = "holds" | "does not hold" | "inconclusive" | "not a power law" | "no verdict";

/**
 * A fitted scaling exponent of one estimator, e.g. d log P / d log lr, with its 95% interval (null
 * when nothing could be fitted), the value the law implies for that estimator, and the verdict.
 */
export interface ExponentEstimate {
  /** the estimator, e.g. "(a) P(T)"; one row of the figure */
  estimator: string;
  param: "lr" | "gamma";
  value: number | null;
  lo: number | null;
  hi: number | null;
  /** the exponent the law implies for this estimator (+2 / -2; -2 / +2 for a time) */
  expected: number;
  verdict: ExponentVerdict;
  /** where the power law is rejected: the range of the local exponents between neighbouring cells, drawn instead of the interval */
  localLo?: number | null;
  localHi?: number | null;
}

/** A Kaplan-Meier survival curve of the first-passage time, with pointwise 95% bands. */
export interface SurvivalCurve {
  label: string;
  t: number[];
  survival: number[];
  lo: number[];
  hi: number[];
}

/** A per-step drift (e.g. of the sparsity) measured at one setting, and the analytic value if known. */
export interface DriftPoint {
  axis: "lr" | "gamma";
  lr: number;
  gamma: number;
  /** measured mean change per step, signed so that positive is toward collapse */
  drift: number;
  lo: number;
  hi: number;
  predicted?: number;
}

/** A sampled (gamma, beta) path. */
export interface PathSeries {
  id: number;
  step: number[];
  gamma: number[];
  beta: number[];
  collapsedAt: number;
}
