import { DEFAULT_FIT_TRIALS, DEFAULT_GAP, fitSweep, oneStepEstimates, type FitReport } from "../analysis/fit-sweep.ts";
import { VERSION, type SweepResult } from "../solution/result.ts";
import type { ResultCache } from "./cache.ts";
import type { Measured } from "./measure.ts";
import { predictions, type Predictions } from "./prediction.ts";
import { tauSeries } from "./tau-series.ts";
import type { Experiment, Mode } from "./types.ts";

/** What a figure needs beyond its measurements: the scaling analysis of its grid, the theory's curves. */
export interface Derived {
  /** src/analysis's fitSweep of the experiment's first sweep (figures over the (lr, gamma) grid) */
  fit?: FitReport;
  /** the theory's predictions of the data-collapse figure's cells and lines */
  predicted?: Predictions;
}

const NEEDS_FIT = new Set<Experiment["figure"]>(["probability-vs-lr", "heatmap", "exponents"]);

/**
 * Computes (or takes from the cache) what `exp` needs from src/analysis and src/theory. The fit runs
 * estimators (c) and (d) on fresh one-step simulations (DEFAULT_FIT_TRIALS per cell, the sweep's seed),
 * which are cached under the sweep's config like a measurement; the fit itself is recomputed.
 */
export async function derive(exp: Experiment, measured: readonly Measured[], ctx: { mode: Mode; cache: ResultCache }): Promise<{ derived: Derived; computed: string[] }> {
  const sweeps = measured.flatMap((m) => (m.kind === "sweep" ? [m.result] : []));
  const derived: Derived = {};
  const computed: string[] = [];
  if (NEEDS_FIT.has(exp.figure) && sweeps[0]) {
    const result: SweepResult = sweeps[0];
    // Only the one-step simulations of estimators (c) and (d) are cached (under the sweep's config);
    // the fits and their sentences are recomputed every run, so a change of the analysis never reads stale text.
    const key = { version: VERSION, quantity: "one-step estimates (c) and (d) of fitSweep", config: result.config, trials: DEFAULT_FIT_TRIALS, gap: DEFAULT_GAP };
    const started = Date.now();
    const got = await ctx.cache.get("one-step", key, async () => oneStepEstimates(result, DEFAULT_FIT_TRIALS, DEFAULT_GAP));
    derived.fit = fitSweep(result, { trials: DEFAULT_FIT_TRIALS, gap: DEFAULT_GAP, oneStep: got.value });
    computed.push(`scaling analysis (fitSweep) in ${((Date.now() - started) / 1000).toFixed(1)} s${got.cached ? ", its one-step simulations from the cache" : ""}`);
  }
  if (exp.figure === "probability-vs-tau" && sweeps.length) {
    const started = Date.now();
    const got = await predictions(sweeps, tauSeries, ctx.mode, ctx.cache);
    derived.predicted = got;
    const fresh = got.curves.filter((c) => !c.cached);
    if (fresh.length) computed.push(`${fresh.length} predicted line(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { derived, computed };
}
