import type { ListField as Axis, SweepConfig } from "../config/fields.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { KaplanMeier } from "../stats/survival.ts";
import { VERSION } from "../version.ts";

/** The version every output file carries (package.json's); a checkpoint, shard or cache of another version is refused. */
export { VERSION };

export interface FirstPassageSummary {
  /** Kaplan-Meier median of the first-passage time; null when S(T) > 1/2 */
  median: number | null;
  q25: number | null;
  q75: number | null;
  /** mean first-passage time of the trajectories that collapsed (conditional on collapse by T) */
  meanCollapsed: number | null;
  /** KM survival curve, thinned to at most kmPoints points (200 unless the config says otherwise) */
  km: Pick<KaplanMeier, "t" | "survival" | "lo" | "hi">;
}

/**
 * Why each trajectory of a cell stopped; the three counts add up to `trials`. `collapsed` here counts
 * runs stopped at their first passage, so with --run-to-horizon collapsed runs are under `horizon`.
 */
export interface StopCounts {
  horizon: number;
  collapsed: number;
  nonFinite: number;
}

/** What a cell's trajectories reduce to (src/ensemble/summary.ts computes it). */
export interface CellStatistics {
  trials: number;
  /** trajectories whose first passage came by T */
  collapsed: number;
  /** trajectories that produced NaN or an infinity before any first passage */
  nonFinite: number;
  /**
   * collapsed / (trials - nonFinite): non-finite runs are in neither count, see the README. null when
   * every trajectory went non-finite: there is then no estimate, and ci95 is [0, 1].
   */
  p: number | null;
  /** binomial standard error of p; null with p */
  se: number | null;
  ci95: [number, number];
  firstPassage: FirstPassageSummary;
  /** mean updates executed per trajectory (work done) */
  meanSteps: number;
  stops: StopCounts;
  /** the AMS estimator's own numbers, in a cell run with --estimator ams (see AmsStatistics) */
  ams?: AmsStatistics;
}

/**
 * A cell estimated by adaptive multilevel splitting (src/ensemble/ams-run.ts, docs/rare-events.md)
 * from M independent runs of N replicas. In such a cell the binomial fields are not a binomial count:
 * p, se and ci95 are the ones below; trials is M x N (the final replicas), collapsed those of them at
 * the collapse level, nonFinite those that went non-finite, and the first-passage summary is empty.
 */
export interface AmsStatistics {
  replicas: number;
  kill: number;
  /** the score function: "time" or "extreme" (src/ensemble/ams-run.ts) */
  score: string;
  runs: number;
  /** the mean of the M runs' estimates (each unbiased) */
  p: number;
  /** sample standard deviation of the runs' estimates over sqrt(M); null from one run */
  se: number | null;
  /** p +- t(0.975, M - 1) se, clipped to [0, 1] */
  ci95: [number, number];
  /** se / p; null when p = 0 */
  relativeSe: number | null;
  /** the runs' own estimates, in run order */
  runEstimates: number[];
  iterations: { mean: number; max: number };
  /** updates executed (replays to branch points included) and updates x B: what the estimate cost */
  work: { steps: number; sampleSteps: number };
  /** runs whose estimate is 0: every replica killed at once, or the estimate fell below 1e-300 */
  runsExtinct: number;
  runsBelowFloor: number;
  /** distinct initial replicas the final replicas at the level descend from, per run: smallest, mean, and summed over the runs */
  distinctAncestors: { min: number; mean: number; total: number };
  /** why the estimate may be less precise than its SE says; empty when nothing is suspect */
  warnings: string[];
}

/** One cell of a result: its axis values first, then its statistics. */
export type CellResult = Record<Axis, number> & CellStatistics;

/** A sweep's result: plain data that analysis, plots and files read. */
export interface SweepResult {
  tool: "bn-collapse";
  version: string;
  kind: "sweep";
  seed: string | number;
  /** the settings as resolved: fed back with --config, they rerun the sweep */
  config: SweepConfig;
  /** the resolved problem of the first cell, for reference (axes vary per cell) */
  template: UnitProblem;
  cells: CellResult[];
}

/** The result object with its fields in their fixed order (files written from it compare byte for byte). */
export function sweepResult(spec: { config: SweepConfig; template: UnitProblem }, cells: CellResult[]): SweepResult {
  return {
    tool: "bn-collapse",
    version: VERSION,
    kind: "sweep",
    seed: spec.config.seed,
    config: spec.config,
    template: spec.template,
    cells,
  };
}
