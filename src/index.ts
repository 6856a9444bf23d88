/**
 * bn-collapse: the library behind the CLI, for scripts and notebooks (Node via tsx, Deno 2). What a
 * notebook needs is here; everything else is a deep import of its own file (the README's "Where
 * things live" says which folder holds what).
 *
 * - A problem is data: `defineProblem({...})` (src/model/problem.ts; the model: docs/model.md).
 * - One batch by hand: `bnReluForward`, `bnReluBackward`.
 * - Trajectories of one problem: `simulateTrajectories` (outcomes in typed arrays) and
 *   `simulatePaths` ((gamma, beta) paths for plots).
 * - A grid: `resolveSweep(config)` makes the sweep problem (`cellProblem` gives one cell's unit
 *   problem), `runSweep(problem)` runs it; `sweep(config)` does both. The result is plain data.
 *   Worker threads stay in a pool between runs; idle ones never keep a process alive, and
 *   `closeWorkerPool` stops them.
 * - Its scaling analysis: `fitSweep(result)`, the exponents in lr and gamma of four estimators with
 *   intervals and verdicts (`summaryTable`, `localEntry` print them), and `collapseTest`, the data
 *   collapse onto tau (docs/scaling-analysis.md).
 * - The theory (docs/theory.md): `perStepTheory`, `tau`; the diffusion predictor `predictCollapse`
 *   (with its convergence check: `predictCollapseChecked`); the finite-step predictor `solveFiniteStep`;
 *   both for every cell of a grid, each with its scope: `theoryCells`.
 * - Figures: spec builders (typed data in, vega-lite spec out), `renderSvg` and `svgToPng`.
 */
export { defineProblem } from "./model/problem.ts";
export type { Activation, Criterion, Input, Loss, Noise, Norm, Optimizer, OptimizerKind, Phase, Schedule, UnitProblem } from "./model/problem.ts";
export { ConfigError } from "./model/errors.ts";
export { bnReluBackward, bnReluForward } from "./unit/bn-relu.ts";
export { simulatePaths, simulateTrajectories, type SimulateOptions, type TrajectoryPath } from "./engine/simulate.ts";
export type { TrajectoryOutcomes } from "./engine/trajectory.ts";

export type { RawSweepConfig, SweepConfig } from "./config/fields.ts";
export { cellProblem, resolveSweep, type Axis, type SweepProblem } from "./ensemble/problem.ts";
export { closeWorkerPool } from "./ensemble/pool.ts";
export { runSweep, type Progress, type SweepOptions } from "./ensemble/sweep.ts";
export { VERSION, type CellResult, type CellStatistics, type FirstPassageSummary, type StopCounts, type SweepResult } from "./solution/result.ts";

export {
  collapseTest,
  fitSweep,
  localEntry,
  summaryTable,
  type CollapseCell,
  type CollapseTest,
  type ExponentFit,
  type FitOptions,
  type FitReport,
} from "./analysis/index.ts";
export { perStepTheory, type PerStep, type PerStepInput } from "./theory/per-step.ts";
export { tau } from "./theory/scaling.ts";
export { predictCollapse, type Prediction, type PredictorInput } from "./theory/predictor.ts";
export { predictCollapseChecked, type CheckedPrediction } from "./theory/checked-prediction.ts";
export { solveFiniteStep, type FiniteStepProblem, type FiniteStepSolution } from "./theory/finite-step/finite-step-predictor.ts";
export { theoryCells, type TheoryCell, type TheoryOptions } from "./theory/cell-predictions.ts";
export type { MomentsKind } from "./theory/moments-choice.ts";

export {
  comparisonSpec,
  driftSpec,
  exponentsSpec,
  probabilityPoints,
  probabilityVsLrSpec,
  probabilityVsTauSpec,
  trajectoriesSpec,
  variantPoints,
  type DriftPoint,
  type ExponentEstimate,
  type ProbabilityPoint,
  type TauPoint,
  type VariantPoint,
} from "./plot/index.ts";
export { renderSvg } from "./render/svg.ts";
export { svgToPng } from "./render/png.ts";

import type { RawSweepConfig } from "./config/fields.ts";
import { resolveSweep } from "./ensemble/problem.ts";
import { runSweep, type SweepOptions } from "./ensemble/sweep.ts";
import type { SweepResult } from "./solution/result.ts";

/** Resolves a config (same fields as the CLI's --config file) and runs it. */
export function sweep(config: RawSweepConfig = {}, options: SweepOptions = {}): Promise<SweepResult> {
  return runSweep(resolveSweep(config), options);
}
