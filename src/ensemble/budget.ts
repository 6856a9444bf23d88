import { totalmem } from "node:os";
import { ConfigError } from "../model/errors.ts";
import { countCells } from "./grid.ts";
import type { SweepProblem } from "./problem.ts";

export const MAX_CELLS = 1_000_000;
export const MAX_STEPS = 2 ** 31 - 1; // first-passage times are Int32
/** the longest typed array a batch may need (B x input dimension doubles) */
export const MAX_BATCH_ELEMENTS = 2 ** 28;
/**
 * Elementary updates (trajectories x updates x batch x input width) of one run (a shard counts its own
 * cells) beyond which it is refused: the default sweep does 2.6e8 of them in about 4 s on 2 cores, so
 * 1e14 is weeks of CPU. Below it the run is allowed and shows its progress on stderr.
 */
export const MAX_WORK = 1e14;

/** Every update a trajectory makes: the phases' and the sweep's own. */
export function totalSteps(sweep: SweepProblem): number {
  return sweep.template.steps + (sweep.template.phases ?? []).reduce((n, ph) => n + ph.steps, 0);
}

const inputWidth = (sweep: SweepProblem) => (sweep.template.input.kind === "linear" ? sweep.template.input.dim : 1);
const largestBatch = (sweep: SweepProblem) => Math.max(...sweep.axes.batch);

/**
 * Bytes a sweep holds at its peak: learning-rate tables per thread (8 bytes an update, every phase's
 * too), the batch scratch of each thread (about ten arrays of B doubles, and B x d inputs), the
 * per-trajectory outcomes (29 bytes each, plus the survival analysis) for the cells in flight, and a
 * summary per cell (about 75 bytes per point of its Kaplan-Meier curve, 16 kB at the default 200).
 */
export function estimateSweepBytes(sweep: SweepProblem, workers: number): number {
  const { trials } = sweep;
  const inFlight = workers + 2;
  const scratch = 8 * largestBatch(sweep) * (inputWidth(sweep) + 10);
  return (workers + 1) * (totalSteps(sweep) * 8 + scratch) + inFlight * trials * 64 + countCells(sweep) * (1_000 + 75 * sweep.kmPoints);
}

/** Refuses a sweep that cannot fit: too many cells, steps or work, a batch past typed-array limits, or more than half the memory. */
export function checkSweepBudget(sweep: SweepProblem, workers: number, memoryBytes = totalmem(), cellsRun = countCells(sweep)): void {
  const cells = countCells(sweep);
  if (cells > MAX_CELLS) {
    throw new ConfigError("grid", `${cells} cells (lr x gamma x beta x batch x weightDecay x signal) is more than ${MAX_CELLS}`);
  }
  if (sweep.template.steps > MAX_STEPS) throw new ConfigError("steps", `at most ${MAX_STEPS}`);
  const steps = totalSteps(sweep);
  if (steps > MAX_STEPS) throw new ConfigError("phases", `the phases and steps add up to ${steps} updates, more than ${MAX_STEPS}`);
  const elements = largestBatch(sweep) * inputWidth(sweep);
  if (elements > MAX_BATCH_ELEMENTS) {
    throw new ConfigError("batch", `a batch of ${largestBatch(sweep)}${inputWidth(sweep) > 1 ? ` inputs of dimension ${inputWidth(sweep)}` : ""} needs ${elements} numbers per array, more than ${MAX_BATCH_ELEMENTS}`);
  }
  const gb = (b: number) => (b / 2 ** 30).toFixed(1);
  const need = estimateSweepBytes(sweep, workers);
  const limit = memoryBytes / 2;
  if (need > limit) {
    const field = 8 * largestBatch(sweep) * (inputWidth(sweep) + 10) * (workers + 1) > limit / 2 ? "batch" : sweep.template.phases?.length && steps > 2 * sweep.template.steps ? "phases" : "trials";
    throw new ConfigError(field, `the sweep would need about ${gb(need)} GiB (steps and phases, batch, trials, cells), more than half this machine's memory (${gb(limit)} GiB); lower --trials, --steps, --batch, the phases or the grid`);
  }
  const work = cellsRun * sweep.trials * steps * largestBatch(sweep) * inputWidth(sweep);
  if (work > MAX_WORK) {
    throw new ConfigError("trials", `the sweep is about ${work.toExponential(1)} elementary updates (cells x trials x updates x batch x input dimension), more than ${MAX_WORK.toExponential(0)} (weeks of CPU; split it with --shard i/n); lower --trials, --steps, --batch or the grid`);
  }
}
