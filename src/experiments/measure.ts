import { resolveSweep, type RawSweepConfig, type SweepSpec } from "../config/sweep-config.ts";
import { simulatePaths, simulateTrajectories, type TrajectoryPath } from "../engine/simulate.ts";
import { runSweep, VERSION, type Progress, type SweepResult } from "../ensemble/sweep.ts";
import type { DriftPoint } from "../plot/data.ts";
import { Z95 } from "../stats/special.ts";
import type { ResultCache } from "./cache.ts";
import type { DriftMeasurement, Measurement, Mode, PathsMeasurement } from "./types.ts";

export type Measured =
  | { kind: "sweep"; label: string; result: SweepResult }
  | { kind: "paths"; label: string; spec: SweepSpec["config"]; paths: TrajectoryPath[] }
  | { kind: "drift"; label: string; spec: SweepSpec["config"]; points: DriftPoint[] };

export interface MeasureContext {
  mode: Mode;
  cache: ResultCache;
  workers: number;
  onProgress?: (p: Progress) => void;
}

/** The config a measurement runs in this mode, resolved (every default filled in, lists expanded). */
export function resolvedConfig(m: Measurement, mode: Mode): SweepSpec {
  const quick = mode === "quick" ? (m.kind === "drift" ? {} : m.quick) : {};
  return resolveSweep({ ...m.config, ...quick } satisfies RawSweepConfig);
}

/**
 * Below this many sample-steps (cells x trials x T x B) a sweep runs in this thread: starting worker
 * threads (each compiles the engine) costs seconds, more than a small sweep takes. Results do not
 * depend on the number of workers.
 */
const IN_THREAD_WORK = 1e8;

function sweepWork(spec: SweepSpec): number {
  const c = spec.config;
  const cells = c.lr.length * c.gamma.length * c.beta.length * c.weightDecay.length * c.signal.length;
  return cells * c.trials * c.steps * c.batch.reduce((a, b) => a + b, 0);
}

/** Runs a measurement, or takes it from the cache when its resolved config ran before. */
export async function measure(m: Measurement, ctx: MeasureContext): Promise<{ value: Measured; cached: boolean }> {
  const spec = resolvedConfig(m, ctx.mode);
  switch (m.kind) {
    case "sweep": {
      const workers = sweepWork(spec) < IN_THREAD_WORK ? 1 : ctx.workers;
      const got = await ctx.cache.get("sweep", { version: VERSION, config: spec.config }, () => runSweep(spec, { workers, onProgress: ctx.onProgress }));
      return { value: { kind: "sweep", label: m.label, result: got.value }, cached: got.cached };
    }
    case "paths": {
      const key = { version: VERSION, config: spec.config, paths: m.paths, every: m.every };
      const got = await ctx.cache.get("paths", key, async () => runPaths(m, spec));
      return { value: { kind: "paths", label: m.label, spec: spec.config, paths: got.value }, cached: got.cached };
    }
    case "drift": {
      const trials = ctx.mode === "quick" ? (m.quick.trials ?? m.trials) : m.trials;
      const key = { version: VERSION, config: spec.config, lr: m.lr, gamma: m.gamma, atGamma: m.atGamma, atLr: m.atLr, trials };
      const got = await ctx.cache.get("drift", key, async () => measureDrift(m, spec, trials));
      return { value: { kind: "drift", label: m.label, spec: spec.config, points: got.value }, cached: got.cached };
    }
  }
}

function runPaths(m: PathsMeasurement, spec: SweepSpec): TrajectoryPath[] {
  return simulatePaths(spec.template, { seed: spec.config.seed, trials: m.paths, streamKey: "paths", every: m.every, stopAtCollapse: false });
}

/**
 * -E[r1 - r0] over `trials` one-step runs from (gamma0, beta0), with a normal 95% interval. Each point
 * has its own stream key, so points are independent.
 */
function measureDrift(m: DriftMeasurement, spec: SweepSpec, trials: number): DriftPoint[] {
  const one = (axis: "lr" | "gamma", lr: number, gamma: number): DriftPoint => {
    const at = { ...spec.config, lr: [lr], gamma: [gamma], steps: 1 };
    const problem = resolveSweep(at).template;
    const out = simulateTrajectories(problem, { seed: spec.config.seed, trials, streamKey: `drift;lr=${lr};gamma=${gamma}`, stopAtCollapse: false });
    const r0 = problem.beta0 / Math.abs(problem.gamma0);
    let sum = 0, sum2 = 0, n = 0;
    for (let i = 0; i < trials; i++) {
      const d = out.finalBeta[i] / Math.abs(out.finalGamma[i]) - r0;
      if (!Number.isFinite(d)) continue;
      sum += d;
      sum2 += d * d;
      n++;
    }
    const mean = sum / n;
    const se = Math.sqrt(Math.max(0, sum2 / n - mean * mean) / (n - 1));
    return { axis, lr, gamma, drift: -mean, lo: -mean - Z95 * se, hi: -mean + Z95 * se };
  };
  return [...m.lr.map((lr) => one("lr", lr, m.atGamma)), ...m.gamma.map((g) => one("gamma", m.atLr, g))];
}
