/** Helpers for log axes: where to put the floor, and how to show values that a log axis cannot. */

/** The power of ten at or below the smallest positive value (1e-4 if there is none). */
export function logFloor(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return 1e-4;
  return 10 ** Math.floor(Math.log10(Math.min(...positive)) + 1e-12);
}

/** The power of ten at or above the largest positive value. */
export function logCeil(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return 1;
  return 10 ** Math.ceil(Math.log10(Math.max(...positive)) - 1e-12);
}

/** [min, max] of the positive values, padded by a factor on each side, for a log axis. */
export function logExtent(values: readonly number[], pad = 1.25): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [0.1, 1];
  return [Math.min(...positive) / pad, Math.max(...positive) * pad];
}

/** The largest of 1, 2 or 5 times a power of ten at or below every positive value. */
export function floor125(values: readonly number[]): number {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return 1e-4;
  const min = Math.min(...positive);
  const decade = 10 ** Math.floor(Math.log10(min) + 1e-12);
  return [5, 2, 1].map((m) => m * decade).find((c) => c <= min * (1 + 1e-12)) ?? decade;
}

/** Tick values 1 and 3 times each power of ten inside [lo, hi]: readable on a narrow log axis. */
export function logTicks13([lo, hi]: readonly [number, number] | number[]): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 3]) {
      const v = Number((m * 10 ** k).toPrecision(1));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}
