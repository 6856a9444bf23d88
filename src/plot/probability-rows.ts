import { floor125 } from "./log-scale.ts";

/**
 * A probability with its interval, made ready for a log y axis: `shown` is p where p > 0 (else
 * null), `low` the lower bound clamped to the axis floor (the upper bound where p = 0), `bound` the upper bound where nothing
 * collapsed (drawn as an open down-triangle: "below this").
 */
export interface LogProbabilityRow {
  shown: number | null;
  low: number;
  high: number;
  bound: number | null;
}

/**
 * The y floor for a set of probabilities: a 1-2-5 step below every positive p and every bound (with
 * a margin of 1.5). Lower interval ends below it are drawn at the floor.
 */
export function probabilityFloor(rows: readonly { p: number; lo: number; hi: number }[]): number {
  return floor125(rows.map((r) => (r.p > 0 ? r.p : r.hi) / 1.5));
}

export function toLogRow(r: { p: number; lo: number; hi: number }, floor: number): LogProbabilityRow {
  return {
    shown: r.p > 0 ? r.p : null,
    // where nothing collapsed the band pinches to the bound instead of plunging to the axis floor
    low: Math.max(r.p > 0 ? r.lo : r.hi, floor),
    high: Math.max(r.hi, floor),
    bound: r.p > 0 ? null : r.hi,
  };
}

export const ZERO_NOTE = "▽: none collapsed, at the upper end of the 95% interval";
