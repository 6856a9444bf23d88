// Kaplan-Meier estimate of the survival function of first-passage times with
// right censoring.

import { Z95 } from './special.ts';
import { exp, log, pow } from './det-math.ts';

export interface KaplanMeier {
  /** Distinct event times, ascending. */
  t: number[];
  /** S(t) just after each t. */
  survival: number[];
  /**
   * Pointwise 95% confidence band. Greenwood's variance is carried to the
   * log(-log S) scale (the "log-log" interval), which keeps the band inside
   * [0, 1]; where that is undefined (S = 0 or S = 1) both bounds equal S.
   */
  lo: number[];
  hi: number[];
  /** Number at risk just before each t. */
  atRisk: number[];
  /** Number of events at each t. */
  events: number[];
}

/**
 * Kaplan-Meier estimator. `times[i]` is the time (e.g. 1-based step index) at
 * which trajectory i had its event (`events[i]` = 1) or was censored
 * (`events[i]` = 0). At equal times events come before censorings, i.e. a
 * trajectory censored at t is still at risk at t. O(n log n).
 */
export function kaplanMeier(
  times: ArrayLike<number>,
  events: ArrayLike<number>,
): KaplanMeier {
  const n = times.length;
  if (events.length !== n) {
    throw new RangeError(`times and events differ in length (${n} vs ${events.length})`);
  }
  let nEvents = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(times[i])) throw new RangeError(`times[${i}] is NaN`);
    if (events[i] !== 0) nEvents++;
  }
  // Two numerically sorted typed arrays instead of an index sort with a
  // comparator: far faster at n = 1e6, and ties need only counting.
  const eventTimes = new Float64Array(nEvents);
  const censorTimes = new Float64Array(n - nEvents);
  for (let i = 0, e = 0, c = 0; i < n; i++) {
    if (events[i] !== 0) eventTimes[e++] = times[i];
    else censorTimes[c++] = times[i];
  }
  eventTimes.sort();
  censorTimes.sort();

  const km: KaplanMeier = { t: [], survival: [], lo: [], hi: [], atRisk: [], events: [] };
  let atRisk = n;
  let s = 1;
  let greenwood = 0; // sum of d / (r (r - d)), the Greenwood estimate of Var(log S)
  let c = 0;
  for (let e = 0; e < nEvents; ) {
    const t = eventTimes[e];
    // Censorings strictly before t leave the risk set; those at t stay in it.
    while (c < censorTimes.length && censorTimes[c] < t) {
      atRisk--;
      c++;
    }
    let d = 0;
    while (e < nEvents && eventTimes[e] === t) {
      d++;
      e++;
    }
    s *= (atRisk - d) / atRisk;
    greenwood += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    let lo = s;
    let hi = s;
    if (s > 0 && s < 1) {
      // Var(log(-log S)) = Var(log S) / (log S)^2 (delta method); the interval
      // log(-log S) -/+ z se maps back to S^exp(+/- z se).
      // on det-math.ts: Math.log/exp/pow differ in the last bit between Node's and Deno's V8, and a
      // band written by one runtime must merge with the other's to the same bytes (issue 18 item 13)
      const logS = log(s);
      const w = exp((Z95 * Math.sqrt(greenwood)) / Math.abs(logS));
      lo = pow(s, w);
      hi = pow(s, 1 / w);
    }
    km.t.push(t);
    km.survival.push(s);
    km.lo.push(lo);
    km.hi.push(hi);
    km.atRisk.push(atRisk);
    km.events.push(d);
    atRisk -= d;
  }
  return km;
}

/**
 * Smallest event time t with S(t) <= 1 - q (q = 0.5 gives the median), or null
 * if the curve never gets that low. A relative slack of 1e-12 absorbs the
 * rounding of the running product, so that e.g. S = 0.5 computed as
 * 0.5000000000000001 still counts as reaching the median.
 */
export function survivalQuantile(km: KaplanMeier, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  const target = (1 - q) * (1 + 1e-12);
  // survival is non-increasing: binary search for the first index at or below target.
  let lo = 0;
  let hi = km.survival.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (km.survival[mid] <= target) hi = mid;
    else lo = mid + 1;
  }
  return lo < km.t.length ? km.t[lo] : null;
}

/**
 * Subsample the curve to at most maxPoints steps, evenly spaced by index and
 * always keeping the first and the last. The kept rows are unchanged (their
 * atRisk/events are still per-step counts); meant for display and small JSON.
 */
export function thinCurve(km: KaplanMeier, maxPoints: number): KaplanMeier {
  const m = km.t.length;
  if (m <= maxPoints) {
    return {
      t: km.t.slice(),
      survival: km.survival.slice(),
      lo: km.lo.slice(),
      hi: km.hi.slice(),
      atRisk: km.atRisk.slice(),
      events: km.events.slice(),
    };
  }
  if (!(maxPoints >= 2)) throw new RangeError(`maxPoints must be >= 2 to thin a curve, got ${maxPoints}`);
  const count = Math.floor(maxPoints);
  const out: KaplanMeier = { t: [], survival: [], lo: [], hi: [], atRisk: [], events: [] };
  for (let j = 0; j < count; j++) {
    // (m - 1) / (count - 1) > 1, so the rounded indices are distinct and ascending.
    const i = Math.round((j * (m - 1)) / (count - 1));
    out.t.push(km.t[i]);
    out.survival.push(km.survival[i]);
    out.lo.push(km.lo[i]);
    out.hi.push(km.hi[i]);
    out.atRisk.push(km.atRisk[i]);
    out.events.push(km.events[i]);
  }
  return out;
}
