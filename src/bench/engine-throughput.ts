import { resolveSweep } from "../ensemble/problem.ts";
import type { BlockTask } from "../ensemble/block.ts";
import { closeWorkerPool, runBlocks } from "../ensemble/pool.ts";
import { runSweep } from "../ensemble/sweep.ts";
import { STARTUP_STREAMS } from "../rng/keys.ts";
import { median } from "./stats.ts";
import { benchSweepConfig, type BenchWorkload } from "./workload.ts";

/** Timed runs of the engine on the bench workload with a given number of workers. */
export interface EngineRuns {
  workers: number;
  /** wall seconds of each run (runSweep end to end, worker start-up included) */
  seconds: number[];
  /** steps executed per run (trajectory-steps; the mechanistic model does `batch` samples each) */
  steps: number[];
  /** median over runs of steps (times batch for "sample") per second */
  perSecond: number;
  /** the same per CPU second of this process (all its threads; meaningful for one worker) */
  perCpuSecond: number;
  /** per run: trajectories that collapsed, trajectories that stayed finite */
  counts: { collapsed: number; n: number }[];
}

/**
 * Runs the bench cell `repeats` times through resolveSweep/runSweep, rep k with seed + k, and
 * returns timings and counts. `unit` "sample" counts sample-steps (trajectory-steps x B).
 * An untimed run of a tenth of the trajectories goes first, on the same threads (this one, or the
 * worker pool's), so that every timed run finds the engine compiled: the state a sweep finds in a
 * process that has run one before (reproduce, notebooks, the bench itself).
 */
export async function measureEngine(
  w: BenchWorkload,
  model: "mechanistic" | "reduced",
  workers: number,
  unit: "sample" | "trajectory",
): Promise<EngineRuns> {
  const seconds: number[] = [], steps: number[] = [], rates: number[] = [], cpuRates: number[] = [];
  const counts: { collapsed: number; n: number }[] = [];
  const warmUpTrials = Math.max(1, Math.ceil((model === "reduced" ? w.reducedTrials : w.trials) / 10));
  await runSweep(resolveSweep({ ...benchSweepConfig(w, model, -1), trials: warmUpTrials }), { workers });
  for (let rep = 0; rep < w.repeats; rep++) {
    const spec = resolveSweep(benchSweepConfig(w, model, rep));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await runSweep(spec, { workers });
    const dt = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cell = result.cells[0];
    const executed = Math.round(cell.meanSteps * cell.trials);
    seconds.push(dt);
    steps.push(executed);
    const work = executed * (unit === "sample" ? w.batch : 1);
    rates.push(work / dt);
    cpuRates.push(work / ((cpu.user + cpu.system) / 1e6));
    counts.push({ collapsed: cell.collapsed, n: cell.trials - cell.nonFinite });
  }
  return { workers, seconds, steps, perSecond: median(rates), perCpuSecond: median(cpuRates), counts };
}

/**
 * Wall time for `workers` new threads to start and each run a one-step block: the fixed cost that the
 * first multi-worker sweep of a process pays before any trajectory runs (module loading in each
 * thread dominates). The pool is emptied first; the threads stay in it for the runs that follow.
 */
export async function measureWorkerStartup(w: BenchWorkload, workers: number): Promise<number> {
  await closeWorkerPool();
  const spec = resolveSweep({ ...benchSweepConfig(w, "mechanistic", 0), steps: 1, trials: 1 });
  const tasks: BlockTask[] = Array.from({ length: workers }, (_, i) => ({
    cell: 0, problem: spec.template, seed: w.seed, streamKey: STARTUP_STREAMS, first: i, count: 1, stopAtCollapse: false,
  }));
  const t0 = performance.now();
  await runBlocks(tasks, workers, () => {});
  return (performance.now() - t0) / 1000;
}
