import { driftEstimate } from "../analysis/one-step.ts";
import { resolveSweep, type SweepProblem } from "../ensemble/problem.ts";
import type { RawSweepConfig } from "../config/fields.ts";
import { simulatePaths, type TrajectoryPath } from "../engine/simulate.ts";
import { runSweep, type Progress } from "../ensemble/sweep.ts";
import { VERSION, type SweepResult } from "../solution/result.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { DriftPoint } from "../plot/data.ts";
import type { ResultCache } from "./cache.ts";
import type { DriftMeasurement, Measurement, Mode, PathsMeasurement } from "./types.ts";
import { measureLayer, type LayerMeasured } from "./measure-layer.ts";
import { PATH_STREAMS } from "../rng/keys.ts";
import { measurePsbnRecovery, type PsbnRecoveryMeasured } from "./build-psbn.ts";

export type SweepMeasured = { kind: "sweep"; label: string; result: SweepResult };
export type PathsMeasured = { kind: "paths"; label: string; spec: SweepProblem["config"]; template: UnitProblem; paths: TrajectoryPath[] };
export type DriftMeasured = { kind: "drift"; label: string; spec: SweepProblem["config"]; template: UnitProblem; points: DriftPoint[] };
export type Measured = SweepMeasured | PathsMeasured | DriftMeasured | LayerMeasured | PsbnRecoveryMeasured;

/** What a measurement gives, by its kind. */
export type ResultOf<M extends Measurement> = Extract<Measured, { kind: M["kind"] }>;
/** What the measurements of a figure kind give, element by element: one, or one and more of a kind. */
export type ResultsOf<T extends readonly Measurement[]> = T extends [infer A extends Measurement]
  ? [ResultOf<A>]
  : T extends [infer A extends Measurement, ...(infer R extends Measurement)[]]
    ? [ResultOf<A>, ...ResultOf<R>[]]
    : never;

export interface MeasureContext {
  mode: Mode;
  cache: ResultCache;
  workers: number;
  onProgress?: (p: Progress) => void;
}

/** The config a measurement runs in this mode, resolved (every default filled in, lists expanded). */
export function resolvedConfig(m: Measurement, mode: Mode): SweepProblem {
  if (m.kind === "layer" || m.kind === "psbn-recovery") throw new Error(`${m.label}: a ${m.kind} measurement has no sweep config`);
  const quick = mode === "quick" ? (m.kind === "drift" ? {} : m.quick) : {};
  return resolveSweep({ ...m.config, ...quick } satisfies RawSweepConfig);
}

/**
 * Below this many sample-steps (cells x trials x T x B) a sweep runs in this thread: starting worker
 * threads (each compiles the engine) costs seconds, more than a small sweep takes. Results do not
 * depend on the number of workers.
 */
const IN_THREAD_WORK = 1e8;

function sweepWork(spec: SweepProblem): number {
  const c = spec.config;
  const cells = c.lr.length * c.gamma.length * c.beta.length * c.weightDecay.length * c.signal.length;
  return cells * c.trials * c.steps * c.batch.reduce((a, b) => a + b, 0);
}

/** Runs a measurement, or takes it from the cache when its resolved config ran before. */
export async function measure(m: Measurement, ctx: MeasureContext): Promise<{ value: Measured; cached: boolean }> {
  if (m.kind === "layer") return measureLayer(m, ctx);
  if (m.kind === "psbn-recovery") return measurePsbnRecovery(m, ctx);
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
      return { value: { kind: "paths", label: m.label, spec: spec.config, template: spec.template, paths: got.value }, cached: got.cached };
    }
    case "drift": {
      const trials = ctx.mode === "quick" ? (m.quick.trials ?? m.trials) : m.trials;
      const key = { version: VERSION, quantity: "sparsity drift (analysis/one-step driftEstimate)", config: spec.config, lr: m.lr, gamma: m.gamma, atGamma: m.atGamma, atLr: m.atLr, trials };
      const got = await ctx.cache.get("drift", key, async () => measureDrift(m, spec, trials));
      return { value: { kind: "drift", label: m.label, spec: spec.config, template: spec.template, points: got.value }, cached: got.cached };
    }
  }
}

function runPaths(m: PathsMeasurement, spec: SweepProblem): TrajectoryPath[] {
  return simulatePaths(spec.template, { seed: spec.config.seed, trials: m.paths, streamKey: PATH_STREAMS, every: m.every, stopAtCollapse: false });
}

/**
 * The per-step drift of the sparsity s = 1 - Phi(r) at each point, by src/analysis's estimator (c):
 * the mean of s1 - s0 over `trials` one-step runs, with the first-order control variate where it
 * applies, and a normal 95% interval. A point whose estimate could not be made is left out.
 */
function measureDrift(m: DriftMeasurement, spec: SweepProblem, trials: number): DriftPoint[] {
  const c = spec.config;
  const one = (axis: "lr" | "gamma", lr: number, gamma: number): DriftPoint[] => {
    const at = { lr, gamma, beta: c.beta[0], batch: c.batch[0], weightDecay: c.weightDecay[0], signal: c.signal[0] };
    const e = driftEstimate(spec.template, at, { seed: c.seed, trials });
    const drift = e.value ?? (e.ci95 ? (e.ci95[0] + e.ci95[1]) / 2 : null);
    return drift === null || !e.ci95 ? [] : [{ axis, lr, gamma, drift, lo: e.ci95[0], hi: e.ci95[1] }];
  };
  return [...m.lr.flatMap((lr) => one("lr", lr, m.atGamma)), ...m.gamma.flatMap((g) => one("gamma", m.atLr, g))];
}
