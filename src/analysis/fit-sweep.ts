import type { SweepResult } from "../ensemble/sweep.ts";
import { VERSION } from "../ensemble/sweep.ts";
import { ConfigError } from "../model/errors.ts";
import { collapseReport, type CollapseReport } from "./collapse-report.ts";
import { ESTIMATORS, type CellEstimate, type EstimatorInfo } from "./estimate.ts";
import { axesOf, axisValues } from "./lines.ts";
import { medianEstimate } from "./median.ts";
import { boundaryEstimate, controlVariateApplies, driftEstimate } from "./one-step.ts";
import { probabilityEstimate } from "./probability.ts";
import { fmt, regimeOf, type Regime } from "./regime.ts";
import { pooledLine, scalingLines, type LineFit, type PooledFit } from "./scaling.ts";
import { cellProblem } from "../config/sweep-config.ts";

export interface FitOptions {
  /** one-step runs per cell for the drift and boundary estimators */
  trials?: number;
  /** r0 - threshold for the boundary estimator, in units of r */
  gap?: number;
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

export interface FitReport {
  tool: "bn-collapse";
  version: string;
  kind: "fit";
  regime: Regime;
  simulation: { trials: number; seed: string | number; gap: number; seconds: number };
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
  const started = Date.now();

  const probability = result.cells.map(probabilityEstimate);
  const median = result.cells.map(medianEstimate);
  const drift = result.cells.map((c) => driftEstimate(result.template, axesOf(c), { seed, trials }));
  const boundary = result.cells.map((c) => boundaryEstimate(result.template, axesOf(c), gap, { seed, trials }));
  const seconds = (Date.now() - started) / 1000;

  const cv = result.cells.every((c) => controlVariateApplies(cellProblem(result.template, axesOf(c))));
  const r0s = [...new Set(boundary.map((b) => b.r0).filter((r) => r !== null))];
  const where = r0s.length === 1 ? `one step from r0 = ${fmt(r0s[0]!)}` : "one step from r0 = threshold + gap";
  const r0Cells = [...new Set(result.cells.map((c) => c.beta / Math.abs(c.gamma)))];
  const driftWhere = `one step at r0 = ${r0Cells.length === 1 ? fmt(r0Cells[0]) : "beta0/|gamma0|"}`;

  const report = (info: EstimatorInfo, method: string, cells: CellEstimate[], at?: string): EstimatorReport => ({
    info,
    method,
    cells,
    pooled: { lr: pooledLine(info, "lr", cells, regime, at), gamma: pooledLine(info, "gamma", cells, regime, at) },
    lines: scalingLines(info, cells, regime, at),
  });
  return {
    tool: "bn-collapse",
    version: VERSION,
    kind: "fit",
    regime,
    simulation: { trials, seed, gap, seconds },
    estimators: [
      report(ESTIMATORS.probability, "from the sweep's cells: p = collapsed/valid, var(log p) = (1-p)/(n p) (delta method)", probability),
      report(ESTIMATORS.median, "from the sweep's Kaplan-Meier curves: median, 95% interval where the band crosses 1/2, SE of log from its width", median),
      report(ESTIMATORS.drift, `fresh one-step simulation, ${trials} runs per cell, seed ${seed}: mean of s1 - s0, SE from the sample${cv ? " (with the first-order control variate of known mean 0)" : " (no control variate: signal or weight decay present)"}`, drift, driftWhere),
      report(ESTIMATORS.boundary, `fresh one-step simulation, ${trials} runs per cell, seed ${seed}: collapsed fraction from r0 = threshold + ${gap}, binomial SE`, boundary, where),
    ],
    collapse: collapseReport(result),
  };
}
