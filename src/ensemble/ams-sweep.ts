import { sweepResult, type CellResult, type SweepResult } from "../solution/result.ts";
import type { AmsRunResult, AmsSettings } from "./ams-run.ts";
import { summariseAmsCell } from "./ams-summary.ts";
import type { BlockTask } from "./block.ts";
import type { Cell } from "./grid.ts";
import { defaultWorkerCount, runBlocks } from "./pool.ts";
import { AXES, type Axis, type SweepProblem } from "./problem.ts";
import type { SweepOptions } from "./sweep.ts";

/**
 * A sweep whose cells are estimated by AMS: each of the M runs of a cell is one block, so the pool
 * spreads a cell's runs over the workers; run j's numbers depend only on its key (seed, cell, j), so
 * the cells' results are the same bytes for any number of workers, shards or resumes.
 */
export function planAmsBlocks(sweep: SweepProblem, cells: readonly Cell[], ams: AmsSettings): BlockTask[] {
  const tasks: BlockTask[] = [];
  for (const cell of cells) {
    for (let run = 0; run < sweep.amsRuns; run++) {
      tasks.push({ cell: cell.index, problem: cell.problem, seed: sweep.seed, streamKey: cell.streamKey, first: run, count: 1, stopAtCollapse: true, ams });
    }
  }
  return tasks;
}

export async function runAmsSweep(sweep: SweepProblem, all: readonly Cell[], chosen: readonly Cell[], options: SweepOptions): Promise<SweepResult> {
  if (sweep.estimator.kind !== "ams") throw new Error("runAmsSweep: not an AMS sweep");
  const { replicas, kill, score } = sweep.estimator;
  const settings: AmsSettings = { replicas, kill, score };
  const m = sweep.amsRuns;
  const pending = new Map<number, { runs: AmsRunResult[]; remaining: number }>();
  const done = new Map<number, CellResult>();
  const started = Date.now();
  let runsDone = 0;
  await runBlocks(planAmsBlocks(sweep, chosen, settings), options.workers ?? defaultWorkerCount(), ({ cell, first, ams }) => {
    let entry = pending.get(cell);
    if (!entry) {
      entry = { runs: new Array<AmsRunResult>(m), remaining: m };
      pending.set(cell, entry);
    }
    for (let j = 0; j < ams!.length; j++) entry.runs[first + j] = ams![j];
    entry.remaining -= ams!.length;
    runsDone += ams!.length;
    if (entry.remaining === 0) {
      pending.delete(cell);
      const at = all[cell].at;
      const result = { ...pickAxes(at), ...summariseAmsCell(entry.runs, settings, at.batch) } as CellResult;
      done.set(cell, result);
      options.onCell?.(result, cell);
    }
    // progress counts AMS runs as its "trajectories"
    options.onProgress?.({ cellsDone: done.size, cells: chosen.length, trajectoriesDone: runsDone, trajectories: chosen.length * m, elapsedSeconds: (Date.now() - started) / 1000 });
  });
  return sweepResult(sweep, chosen.map((c) => done.get(c.index)!));
}

function pickAxes(at: Record<Axis, number>): Record<Axis, number> {
  return Object.fromEntries(AXES.map((a) => [a, at[a]])) as Record<Axis, number>;
}
