import { totalmem } from "node:os";
import { ConfigError } from "../model/errors.ts";
import { countCells } from "./grid.ts";
import type { SweepProblem } from "./problem.ts";

export const MAX_CELLS = 1_000_000;
export const MAX_STEPS = 2 ** 31 - 1; // first-passage times are Int32

/**
 * Bytes a sweep holds at its peak: a learning-rate table per thread, per-trajectory outcomes (29 bytes
 * each, plus the survival analysis) for the cells in flight, and a summary per cell (about 75 bytes per
 * point of its Kaplan-Meier curve, 16 kB at the default 200).
 */
export function estimateSweepBytes(sweep: SweepProblem, workers: number): number {
  const { trials } = sweep;
  const { steps } = sweep.template;
  const inFlight = workers + 2;
  return (workers + 1) * steps * 8 + inFlight * trials * 64 + countCells(sweep) * (1_000 + 75 * sweep.kmPoints);
}

/** Refuses a sweep that cannot fit: too many cells, too many steps, or more than half the memory. */
export function checkSweepBudget(sweep: SweepProblem, workers: number, memoryBytes = totalmem()): void {
  const cells = countCells(sweep);
  if (cells > MAX_CELLS) {
    throw new ConfigError("grid", `${cells} cells (lr x gamma x beta x batch x weightDecay x signal) is more than ${MAX_CELLS}`);
  }
  if (sweep.template.steps > MAX_STEPS) throw new ConfigError("steps", `at most ${MAX_STEPS}`);
  const need = estimateSweepBytes(sweep, workers);
  const limit = memoryBytes / 2;
  if (need > limit) {
    const gb = (b: number) => (b / 2 ** 30).toFixed(1);
    throw new ConfigError("trials", `the sweep would need about ${gb(need)} GiB (steps, trials, cells), more than half this machine's memory (${gb(limit)} GiB); lower --trials, --steps or the grid`);
  }
}
