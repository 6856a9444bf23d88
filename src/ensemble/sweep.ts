import { allocateOutcomes, type TrajectoryOutcomes } from "../engine/trajectory.ts";
import { runAmsSweep } from "./ams-sweep.ts";
import type { BlockTask } from "./block.ts";
import { enumerateCells, type Cell } from "./grid.ts";
import { AXES, type Axis, type SweepProblem } from "./problem.ts";
import { defaultWorkerCount, runBlocks } from "./pool.ts";
import { sweepResult, type CellResult, type SweepResult } from "../solution/result.ts";
import { summariseCell } from "./summary.ts";

export interface Progress {
  cellsDone: number;
  cells: number;
  trajectoriesDone: number;
  trajectories: number;
  elapsedSeconds: number;
}

export interface SweepOptions {
  /** worker threads; default all cores */
  workers?: number;
  /** only these cell indices (for shards and resumes); default all */
  cellIndices?: number[];
  onProgress?: (p: Progress) => void;
  /** called with each cell's result (and its index in the whole grid) as soon as it is complete */
  onCell?: (cell: CellResult, index: number) => void;
}

/** Trajectories per block: about 5e6 sample-steps, so blocks take ~0.1-0.3 s and balance well. */
export function blockSize(steps: number, batch: number, trials: number): number {
  // at least 16 blocks per cell, so that even a one-cell sweep keeps every core busy to the end
  return Math.max(1, Math.min(Math.ceil(trials / 16), Math.floor(5e6 / (steps * batch))));
}

export function planBlocks(sweep: SweepProblem, cells: Cell[]): BlockTask[] {
  const { trials, seed, stopAtCollapse } = sweep;
  const tasks: BlockTask[] = [];
  for (const cell of cells) {
    const size = blockSize(cell.problem.steps, cell.problem.batch, trials);
    for (let first = 0; first < trials; first += size) {
      tasks.push({
        cell: cell.index,
        problem: cell.problem,
        seed,
        streamKey: cell.streamKey,
        first,
        count: Math.min(size, trials - first),
        stopAtCollapse,
      });
    }
  }
  return tasks;
}

/** Runs every cell of the sweep (or the chosen ones) and returns their statistics in cell order. */
export async function runSweep(sweep: SweepProblem, options: SweepOptions = {}): Promise<SweepResult> {
  const all = enumerateCells(sweep);
  const chosen = options.cellIndices ? options.cellIndices.map((i) => all[i]) : all;
  if (sweep.estimator.kind === "ams") return runAmsSweep(sweep, all, chosen, options);
  const { trials, interval, kmPoints } = sweep;
  const { steps } = sweep.template;
  const tasks = planBlocks(sweep, chosen);

  const pending = new Map<number, { outcomes: TrajectoryOutcomes; remaining: number }>();
  const done = new Map<number, CellResult>();
  const started = Date.now();
  let trajectoriesDone = 0;

  await runBlocks(tasks, options.workers ?? defaultWorkerCount(), ({ cell, first, outcomes }) => {
    let entry = pending.get(cell);
    if (!entry) {
      entry = { outcomes: allocateOutcomes(trials), remaining: trials };
      pending.set(cell, entry);
    }
    const o = entry.outcomes;
    o.firstPassage.set(outcomes.firstPassage, first);
    o.stepsRun.set(outcomes.stepsRun, first);
    o.stopReason.set(outcomes.stopReason, first);
    o.finalGamma.set(outcomes.finalGamma, first);
    o.finalBeta.set(outcomes.finalBeta, first);
    entry.remaining -= outcomes.firstPassage.length;
    trajectoriesDone += outcomes.firstPassage.length;
    if (entry.remaining === 0) {
      pending.delete(cell);
      const at = all[cell].at;
      const result: CellResult = { ...pickAxes(at), ...summariseCell(o, steps, interval, kmPoints) };
      done.set(cell, result);
      options.onCell?.(result, cell);
    }
    options.onProgress?.({
      cellsDone: done.size,
      cells: chosen.length,
      trajectoriesDone,
      trajectories: chosen.length * trials,
      elapsedSeconds: (Date.now() - started) / 1000,
    });
  });

  return sweepResult(sweep, chosen.map((c) => done.get(c.index)!));
}

/** Axis values first in each cell, in the order readers expect. */
function pickAxes(at: Record<Axis, number>): Record<Axis, number> {
  return Object.fromEntries(AXES.map((a) => [a, at[a]])) as Record<Axis, number>;
}
