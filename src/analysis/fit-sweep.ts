import type { SweepResult } from "../solution/result.ts";
import { VERSION } from "../solution/result.ts";
import { ConfigError } from "../model/errors.ts";
import { collapseReport, type CollapseReport } from "./collapse-report.ts";
import { ESTIMATORS, type CellEstimate, type EstimatorInfo } from "./estimate.ts";
import { axesOf, axisValues } from "./lines.ts";
import { medianEstimate } from "./median.ts";
import { boundaryEstimate, controlVariateApplies, driftEstimate } from "./one-step.ts";
import { probabilityEstimate } from "./probability.ts";
import { fmt, regimeOf, type Regime } from "./regime.ts";
import { MULTIPLICITY, pooledLine, scalingLines, type LineFit, type PooledFit } from "./scaling.ts";
import { summaryRows, type SummaryRow } from "./summary.ts";
import { cellProblem } from "../ensemble/problem.ts";

export interface FitOptions {
  /** one-step runs per cell for the drift and boundary estimators */
  trials?: number;
  /** r0 - threshold for the boundary estimator, in units of r */
  gap?: number;
  /** the one-step estimates of (c) and (d), when already simulated with these trials and gap (see oneStepEstimates) */
  oneStep?: OneStepEstimates;
}

/** Estimators (c) and (d) of every cell: the fit's only simulation, which a caller may cache. */
export interface OneStepEstimates {
  drift: (CellEstimate & { controlVariate?: boolean })[];
  boundary: (CellEstimate & { r0: number | null })[];
  seconds: number;
}

/** Runs the one-step simulations of estimators (c) and (d) on every cell of the sweep, with its seed. */
export function oneStepEstimates(result: SweepResult, trials: number, gap: number): OneStepEstimates {
  const seed = result.seed;
  const started = Date.now();
  const drift = result.cells.map((c) => driftEstimate(result.template, axesOf(c), { seed, trials }));
  const boundary = result.cells.map((c) => boundaryEstimate(result.template, axesOf(c), gap, { seed, trials }));
  return { drift, boundary, seconds: (Date.now() - started) / 1000 };
}

export const DEFAULT_FIT_TRIALS = 2000;
export const DEFAULT_GAP = 0.05;

export interface EstimatorReport {
  info: EstimatorInfo;
  /** how the cells' estimates were obtained */
  method: string;
  cells: CellEstimate[];
  /** one common exponent over all lines along each axis (null with fewer than two lines) */
  pooled: { lr: PooledFit | null; gamma: PooledFit | null };
  lines: LineFit[];
}

/** How exponents are fitted and judged, as the output states it. */
export const FIT_RULES = {
  counts:
    "P(T) and the one-step P: binomial maximum likelihood (a GLM with the complementary log-log link, log(-log(1 - P)) = a_line + b log x), every cell with a valid run included (k = 0 and k = n too); 95% intervals by profile likelihood; goodness of fit by the deviance against chi-square on cells - lines - 1 dof, replaced by a parametric bootstrap (999 draws from the fitted model, fixed seed) where some cell expects fewer than 5 collapsed or surviving runs",
  drift: "drift: maximum likelihood for y ~ N(c x^b, se^2) on the linear scale with the sample SEs, every cell included whatever its sign; profile-likelihood interval; chi-square goodness of fit",
  median: "median: weighted least squares of log median on log x with the SE of log median from its interval, profile (= Wald) interval, chi-square goodness of fit; cells without a median by T are left out",
  verdicts:
    "a verdict needs at least 3 cells, a finite exponent and a goodness-of-fit test passed at 5%: 'holds' when the likelihood-ratio test does not reject the law's exponent and the interval excludes 0, 'does not hold' when it rejects it after Holm's correction, 'inconclusive' otherwise; a line whose goodness of fit is rejected after Holm's correction is 'not a power law' (its local exponents are given instead); no standard error is inflated to absorb a misfit",
  multiplicity: MULTIPLICITY,
} as const;

export interface FitReport {
  tool: "bn-collapse";
  version: string;
  kind: "fit";
  regime: Regime;
  simulation: { trials: number; seed: string | number; gap: number; seconds: number };
  /** one row per estimator and axis: the headline fit and the tally of line verdicts */
  summary: SummaryRow[];
  rules: typeof FIT_RULES;
  estimators: EstimatorReport[];
  collapse: CollapseReport;
}

/**
 * The scaling analysis of a sweep (docs/scaling-analysis.md): exponents of four estimators along
 * every line of the grid in lr and in gamma, verdicts against the paper's law, and the data-collapse
 * test. Estimators (c) and (d) run fresh one-step simulations with the sweep's seed.
 */
export function fitSweep(result: SweepResult, options: FitOptions = {}, source = "the result"): FitReport {
  const values = axisValues(result.cells.map(axesOf));
  if (values.lr.length < 2 && values.gamma.length < 2) {
    throw new ConfigError(source, `the grid has ${values.lr.length} lr and ${values.gamma.length} gamma value(s): an exponent needs at least 2 values on one of them`);
  }
  const trials = options.trials ?? DEFAULT_FIT_TRIALS;
  const gap = options.gap ?? DEFAULT_GAP;
  if (!(Number.isInteger(trials) && trials >= 2)) throw new ConfigError("--trials", `must be an integer >= 2, got ${trials}`);
  if (!(gap > 0 && Number.isFinite(gap))) throw new ConfigError("--gap", `must be a positive number, got ${gap}`);
  const regime = regimeOf(result);
  const seed = result.seed;
  const probability = result.cells.map(probabilityEstimate);
  const median = result.cells.map(medianEstimate);
  const { drift, boundary, seconds } = options.oneStep ?? oneStepEstimates(result, trials, gap);

  const cv = result.cells.every((c) => controlVariateApplies(cellProblem(result.template, axesOf(c))));
  const r0s = [...new Set(boundary.map((b) => b.r0).filter((r) => r !== null))];
  const where = r0s.length === 1 ? `one step from r0 = ${fmt(r0s[0]!)}` : "one step from r0 = threshold + gap";
  const r0Cells = [...new Set(result.cells.map((c) => c.beta / Math.abs(c.gamma)))];
  const driftWhere = `one step at r0 = ${r0Cells.length === 1 ? fmt(r0Cells[0]) : "beta0/|gamma0|"}`;

  const report = (info: EstimatorInfo, method: string, cells: CellEstimate[], where?: string): EstimatorReport =>
    estimatorReport(info, method, cells, regime, { where, seed });
  const estimators = [
    report(ESTIMATORS.probability, "from the sweep's cells: k collapsed of n valid runs per cell", probability),
    report(ESTIMATORS.median, "from the sweep's Kaplan-Meier curves: median, 95% interval where the band crosses 1/2, SE of log from its width", median),
    report(ESTIMATORS.drift, `fresh one-step simulation, ${trials} runs per cell, seed ${seed}: mean of s1 - s0, SE from the sample${cv ? " (with the first-order control variate of known mean 0)" : " (no control variate: signal or weight decay present)"}`, drift, driftWhere),
    report(ESTIMATORS.boundary, `fresh one-step simulation, ${trials} runs per cell, seed ${seed}: k collapsed of n from r0 = threshold + ${gap}`, boundary, where),
  ];
  return {
    tool: "bn-collapse",
    version: VERSION,
    kind: "fit",
    regime,
    simulation: { trials, seed, gap, seconds },
    summary: summaryRows(estimators),
    rules: FIT_RULES,
    estimators,
    collapse: collapseReport(result),
  };
}

/** One estimator's pooled and line-by-line fits over its cells. */
export function estimatorReport(info: EstimatorInfo, method: string, cells: CellEstimate[], regime: Regime, options: { where?: string; seed?: string | number } = {}): EstimatorReport {
  return {
    info,
    method,
    cells,
    pooled: { lr: pooledLine(info, "lr", cells, regime, options), gamma: pooledLine(info, "gamma", cells, regime, options) },
    lines: scalingLines(info, cells, regime, options),
  };
}
