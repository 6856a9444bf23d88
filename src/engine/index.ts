/**
 * The engine: the algorithms that run a problem (src/model) update by update.
 *
 *   compiled.ts   a problem lowered for one algorithm: unit constants, one record per phase, scratch
 *   state.ts      the mutable state of a run (copyState: branch a run from any point of another)
 *   step.ts       step(c, s): the one update every loop is built on
 *   *-gradients   the algorithms' gradients: mechanistic batch, reduced law, a layer of units
 *   trajectory.ts one trajectory through its phases; checkUnit and writeOutcome, used by every loop
 *   reduced-lanes.ts, simulate.ts   many trajectories; src/layer/layer.ts runs layers on the same step
 *
 * Layer order of the source folders (an import points only to an earlier layer, so no two folders
 * import each other):
 *
 *   rng, stats -> model -> unit -> theory -> engine -> config -> ensemble -> solution -> layer
 *     -> analysis -> plot -> render -> experiments -> bench -> cli -> src/index.ts
 *
 * Why: rng and stats are leaves. model is the problem as data and what its terms mean (criteria,
 * schedules), so every layer can read a problem without running anything. unit is the math of one BN
 * unit; theory is math on the model (moments, per-step law, predictor) and never simulates, while the
 * reduced model is that theory's law simulated, so engine sits above theory. config turns raw input
 * into model types; it needs only model, and sitting above the engine keeps the engine from ever
 * reading raw input. Everything that runs many trajectories (ensemble, solution, layer) sits on the
 * engine; analysis reads their results; figures and the CLI come last.
 */
export { algorithmOf, type Algorithm } from "./algorithm.ts";
export { compileProblem, runsOnLanes, type Compiled } from "./compiled.ts";
export { allocateState, copyState, startTrajectories, type UnitState } from "./state.ts";
export { step } from "./step.ts";
export {
  RUNNING,
  STOP_COLLAPSED,
  STOP_HORIZON,
  STOP_NON_FINITE,
  STOP_REASONS,
  allocateOutcomes,
  checkUnit,
  runToEnd,
  runTrajectory,
  writeOutcome,
  type TrajectoryOutcomes,
} from "./trajectory.ts";
export { simulateCompiled, simulatePaths, simulateTrajectories, type SimulateOptions, type TrajectoryPath } from "./simulate.ts";
