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

/** A point of a predicted curve P(tau), e.g. from src/theory/predictor.ts. */
export interface PredictedPoint {
  tau: number;
  p: number;
}

/** A fitted scaling exponent, e.g. d log P / d log lr, with its interval. */
export interface ExponentEstimate {
  estimator: string;
  param: "lr" | "gamma";
  /** where it was fitted, e.g. "γ₀ = 1" */
  at: string;
  value: number;
  lo: number;
  hi: number;
}

/** A Kaplan-Meier survival curve of the first-passage time, with pointwise 95% bands. */
export interface SurvivalCurve {
  label: string;
  t: number[];
  survival: number[];
  lo: number[];
  hi: number[];
}

/** The per-step drift of r = beta/|gamma| measured at one setting, and the analytic value if known. */
export interface DriftPoint {
  axis: "lr" | "gamma";
  lr: number;
  gamma: number;
  /** measured -E[delta r] per step */
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
