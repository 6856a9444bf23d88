import { STOP_COLLAPSED, STOP_HORIZON, STOP_NON_FINITE, type TrajectoryOutcomes } from "../engine/trajectory.ts";
import { clopperPearsonInterval, wilsonInterval } from "../stats/binomial.ts";
import { kaplanMeier, survivalQuantile, thinCurve } from "../stats/survival.ts";
import { SWEEP_FIELDS } from "../config/fields.ts";
import type { CellStatistics, StopCounts } from "../solution/result.ts";

/**
 * Statistics of one cell from its trajectories. Collapse by T is a binomial count; the first-passage
 * time is right-censored at T (or where a run went non-finite) and summarised by Kaplan-Meier.
 */
export function summariseCell(o: TrajectoryOutcomes, steps: number, interval: "wilson" | "clopper-pearson", kmPoints: number = SWEEP_FIELDS.kmPoints.default): CellStatistics {
  const n = o.firstPassage.length;
  let collapsed = 0, nonFinite = 0, sumFirst = 0, work = 0;
  const stops: StopCounts = { horizon: 0, collapsed: 0, nonFinite: 0 };
  const times = new Int32Array(n);
  const events = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const first = o.firstPassage[i];
    work += o.stepsRun[i];
    const reason = o.stopReason[i];
    if (reason === STOP_HORIZON) stops.horizon++;
    else if (reason === STOP_COLLAPSED) stops.collapsed++;
    else if (reason === STOP_NON_FINITE) stops.nonFinite++;
    else throw new Error(`unknown stop reason ${reason} for trajectory ${i}`);
    if (first > 0) {
      collapsed++;
      sumFirst += first;
      times[i] = first;
      events[i] = 1;
    } else {
      if (o.stopReason[i] === STOP_NON_FINITE) nonFinite++;
      times[i] = o.stopReason[i] === STOP_NON_FINITE ? o.stepsRun[i] : steps;
    }
  }
  const valid = n - nonFinite;
  const p = valid > 0 ? collapsed / valid : null;
  const se = p !== null ? Math.sqrt((p * (1 - p)) / valid) : null;
  const ci95 = interval === "wilson" ? wilsonInterval(collapsed, valid) : clopperPearsonInterval(collapsed, valid, 0.95);
  const km = kaplanMeier(times, events);
  const thin = thinCurve(km, kmPoints);
  return {
    trials: n,
    collapsed,
    nonFinite,
    p,
    se,
    ci95,
    firstPassage: {
      median: survivalQuantile(km, 0.5),
      q25: survivalQuantile(km, 0.25),
      q75: survivalQuantile(km, 0.75),
      meanCollapsed: collapsed > 0 ? sumFirst / collapsed : null,
      km: { t: thin.t, survival: thin.survival, lo: thin.lo, hi: thin.hi },
    },
    meanSteps: n > 0 ? work / n : 0,
    stops,
  };
}
