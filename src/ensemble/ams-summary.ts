import type { AmsStatistics, CellStatistics } from "../solution/result.ts";
import { betaQuantile } from "../stats/special.ts";
import type { AmsRunResult, AmsSettings } from "./ams-run.ts";

/** Below these a cell's AMS estimate gets a warning (docs/rare-events.md says why). */
export const AMS_MIN_RUNS_AT_LEVEL = 5;
export const AMS_MIN_ANCESTORS = 20;
export const AMS_MAX_RUN_SHARE = 0.5;

/** The two-sided 95% quantile of Student's t with `dof` degrees of freedom. */
export function studentT975(dof: number): number {
  // P(|T| > t) = I_{dof / (dof + t^2)}(dof / 2, 1 / 2)
  const x = betaQuantile(0.05, dof / 2, 0.5);
  return Math.sqrt((dof * (1 - x)) / x);
}

/**
 * A cell's statistics from its M AMS runs: the mean of the runs' estimates (unbiased, as each is),
 * its standard error from their spread and a t interval; the binomial fields filled as AmsStatistics
 * describes. `batch` turns updates into sample-steps.
 */
export function summariseAmsCell(runs: readonly AmsRunResult[], settings: AmsSettings, batch: number): CellStatistics {
  const m = runs.length;
  let sum = 0, steps = 0, itSum = 0, itMax = 0, extinct = 0, floor = 0, reached = 0, nonFinite = 0, atLevel = 0;
  let aMin = Infinity, aSum = 0, largest = 0;
  for (const r of runs) {
    sum += r.p;
    steps += r.steps;
    itSum += r.iterations;
    itMax = Math.max(itMax, r.iterations);
    if (r.extinct) extinct++;
    if (r.belowFloor) floor++;
    reached += r.reached;
    nonFinite += r.nonFinite;
    if (r.p > 0) atLevel++;
    aMin = Math.min(aMin, r.ancestors);
    aSum += r.ancestors;
    largest = Math.max(largest, r.p);
  }
  const p = sum / m;
  let ss = 0;
  for (const r of runs) ss += (r.p - p) ** 2;
  const se = m > 1 ? Math.sqrt(ss / (m - 1) / m) : null;
  const half = se !== null ? studentT975(m - 1) * se : Infinity;
  const ci95: [number, number] = [Math.max(0, p - half), Math.min(1, p + half)];
  const warnings: string[] = [];
  if (m < 2) warnings.push("one AMS run: no standard error (use --ams-runs 2 or more)");
  if (atLevel < AMS_MIN_RUNS_AT_LEVEL) warnings.push(`only ${atLevel} of ${m} runs reached the collapse level: the mean and its SE rest on too few runs`);
  else if (aSum < AMS_MIN_ANCESTORS) warnings.push(`the replicas at the collapse level descend from ${aSum} distinct initial trajectories over all runs (fewer than ${AMS_MIN_ANCESTORS}): the SE may understate the error`);
  if (sum > 0 && largest / sum > AMS_MAX_RUN_SHARE && m > 1) warnings.push(`one run carries ${((100 * largest) / sum).toFixed(0)}% of the sum of the estimates: a heavy tail, the SE may understate the error`);
  if (nonFinite > 0) warnings.push(`${nonFinite} final replicas went non-finite (counted as not collapsed)`);
  const ams: AmsStatistics = {
    replicas: settings.replicas,
    kill: settings.kill,
    score: settings.score ?? "extreme",
    runs: m,
    p,
    se,
    ci95,
    relativeSe: p > 0 && se !== null ? se / p : null,
    runEstimates: runs.map((r) => r.p),
    iterations: { mean: itSum / m, max: itMax },
    work: { steps, sampleSteps: steps * batch },
    runsExtinct: extinct,
    runsBelowFloor: floor,
    distinctAncestors: { min: aMin, mean: aSum / m, total: aSum },
    warnings,
  };
  const trials = m * settings.replicas;
  return {
    trials,
    collapsed: reached,
    nonFinite,
    p,
    se,
    ci95,
    firstPassage: { median: null, q25: null, q75: null, meanCollapsed: null, km: { t: [], survival: [], lo: [], hi: [] } },
    meanSteps: steps / trials,
    stops: { horizon: trials - reached - nonFinite, collapsed: reached, nonFinite },
    ams,
  };
}
