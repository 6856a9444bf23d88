/**
 * bn-collapse: the library behind the CLI, for scripts and notebooks (Node via tsx, Deno 2).
 *
 * - A problem is data: `defineProblem({...})` (src/model/problem.ts, conventions in MODEL.md).
 * - One batch by hand: `bnReluForward`, `bnReluBackward`, `linearForward`, `linearBackward`.
 * - Trajectories of one problem: `simulateTrajectories` (outcomes in typed arrays) and
 *   `simulatePaths` ((gamma, beta) paths for plots).
 * - A grid: `resolveSweep(config)` then `runSweep(spec)`; the result is plain data. Worker threads
 *   stay in a pool between runs (idle ones never keep a process alive; `closeWorkerPool` stops them).
 * - Its scaling analysis: `fitSweep(result)`: exponents in lr and gamma of four estimators with
 *   intervals and verdicts, and the data-collapse test (docs/scaling-analysis.md).
 * - The leading-order theory: `perStepTheory`, `tau`, `predictCollapse` (docs/theory.md).
 * - Figures: spec builders (typed data in, vega-lite spec out), `renderSvg`, `svgToPng`, `reproduce`.
 * - A BN layer of K units: `simulateLayer`, `summariseLayer` (docs/layer.md).
 */
export * from "./model/problem.ts";
export { ConfigError } from "./model/errors.ts";
export { validateProblem } from "./model/validate.ts";
export * from "./unit/bn-relu.ts";
export { simulateTrajectories, simulatePaths, type SimulateOptions, type TrajectoryPath } from "./engine/simulate.ts";
export { STOP_COLLAPSED, STOP_HORIZON, STOP_NON_FINITE, STOP_REASONS, type TrajectoryOutcomes } from "./engine/trajectory.ts";
export { ratioOf, meetsCriterion, criterionTest, formatCriterion } from "./engine/criteria.ts";
export { tabulateLearningRate } from "./engine/schedule.ts";
// remedies and training phases: docs/psbn.md, docs/regimes.md
export { teacherExcessLoss } from "./engine/psbn-teacher.ts";
export { parseNorm, parsePhases, type RawPhase } from "./engine/phases-config.ts";
export { resolveSweep, cellProblem, AXES, type SweepProblem, type Axis } from "./ensemble/problem.ts";
export { DEFAULT_SWEEP, SWEEP_CONFIG_SCHEMA, type RawSweepConfig } from "./config/fields.ts";
export { parseList } from "./config/lists.ts";
export {
  parseActivation,
  parseCriterion,
  parseInput,
  parseLoss,
  parseNoise,
  parseOptimizer,
  parseSchedule,
} from "./config/terms.ts";
export { enumerateCells, type Cell } from "./ensemble/grid.ts";
export { closeWorkerPool, defaultWorkerCount } from "./ensemble/pool.ts";
export { runSweep, type SweepOptions, type Progress } from "./ensemble/sweep.ts";
export { sweepResult, VERSION, type SweepResult, type CellResult } from "./solution/result.ts";
export { summariseCell } from "./ensemble/summary.ts";
export type { CellStatistics, FirstPassageSummary, StopCounts } from "./solution/result.ts";
export { parseShard, shardCellIndices } from "./ensemble/shards.ts";
export { shardResult, type ShardId, type ShardResult } from "./solution/shard-file.ts";
export { mergeShards } from "./ensemble/shards.ts";
export type { ShardInput } from "./solution/shard-file.ts";
export { wilsonInterval, clopperPearsonInterval } from "./stats/binomial.ts";
export { kaplanMeier, survivalQuantile, type KaplanMeier } from "./stats/survival.ts";
export { normalCdf, normalPdf, normalQuantile } from "./stats/special.ts";
export { stringifyResults } from "./solution/json.ts";
export { sweepToCsv } from "./solution/csv.ts";
export { gradientMoments, writeGradientMoments, type GradientMoments } from "./theory/gradient-moments.ts";
export { finiteBatchMoments, writeFiniteBatchMoments, activeMoments } from "./theory/finite-batch-moments.ts";
export { perStepTheory, perStepNextOrder, type PerStep, type PerStepInput } from "./theory/per-step.ts";
export { tau, stepsForTau, scaleSetting, type ScaleSetting } from "./theory/scaling.ts";
export { predictCollapse, type PredictorInput, type Prediction } from "./theory/predictor.ts";
export type { MomentsKind } from "./theory/moments-choice.ts";
export * from "./analysis/index.ts";
export { chiSquareSf, regularizedGammaP, regularizedGammaQ } from "./stats/gamma.ts";
// figures: spec builders (typed data in, vega-lite spec out), headless rendering, the figure set
export * from "./plot/index.ts";
export { renderSvg } from "./render/svg.ts";
export { svgToPng } from "./render/png.ts";
export { writeFigure, type Figure } from "./render/figure-files.ts";
export { EXPERIMENTS } from "./experiments/set.ts";
export { reproduce, type ReproduceOptions } from "./experiments/run.ts";
export { exponentRows } from "./experiments/exponent-rows.ts";
// a BN layer of K units with a learned readout (docs/layer.md)
export { simulateLayer, defineLayer, DEFAULT_LAYER, type LayerConfig, type LayerOutcomes, type SimulateLayerOptions } from "./layer/layer.ts";
export { summariseLayer, singleUnitPrediction, mixturePrediction, type LayerSummary, type LayerPoint, type SingleUnitPrediction, type MixturePrediction } from "./layer/summary.ts";

import { resolveSweep } from "./ensemble/problem.ts";
import type { RawSweepConfig } from "./config/fields.ts";
import { runSweep, type SweepOptions } from "./ensemble/sweep.ts";
import type { SweepResult } from "./solution/result.ts";

/** Resolves a config (same fields as the CLI's --config file) and runs it. */
export function sweep(config: RawSweepConfig = {}, options: SweepOptions = {}): Promise<SweepResult> {
  return runSweep(resolveSweep(config), options);
}
