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

/** Mantissas per decade, sparsest first: a log axis takes the densest set whose labels do not touch. */
const MANTISSAS = [[1], [1, 3], [1, 2, 5], [1, 2, 3, 5], [1, 1.5, 2, 3, 4, 5, 6, 8]] as const;

/** Tick labels: plain decimals down to 0.001, then 3e-5 style (a vega expression). */
export const SHORT_NUMBER = "datum.value >= 0.001 ? format(datum.value, '~g') : replace(format(datum.value, '.0e'), 'e-0', 'e-')";

/** The label SHORT_NUMBER prints, to measure it. */
function shortLabel(v: number): string {
  if (v >= 0.001) return String(Number(v.toPrecision(6)));
  return v.toExponential(0).replace("e-0", "e-");
}

/**
 * Explicit tick values for a log axis of `px` pixels over [lo, hi]: the densest mantissa set of
 * MANTISSAS whose neighbouring labels keep a gap (horizontal axes: the label widths at ~0.64 em per
 * character of an 11 px font, plus 8 px; vertical axes: 22 px), with at least two ticks if any set
 * has them. Vega's own log ticks label 2..9 of some decades and not others and run together.
 */
export function logTickValues([lo, hi]: readonly [number, number] | number[], px: number, orient: "x" | "y"): number[] {
  const scale = px / Math.log10(hi / lo);
  const sets = MANTISSAS.map((ms) => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of ms) {
        const v = Number((m * 10 ** k).toPrecision(2));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  });
  const fits = (vs: number[]) =>
    vs.every((v, i) => {
      if (i === 0) return true;
      const gap = scale * Math.log10(v / vs[i - 1]);
      const need = orient === "y" ? 22 : (0.64 * 11 * (shortLabel(v).length + shortLabel(vs[i - 1]).length)) / 2 + 8;
      return gap >= need;
    });
  let best = sets[0];
  for (const s of sets) if (fits(s) && s.length >= best.length) best = s;
  if (best.length < 2) best = sets.find((s) => s.length >= 2 && fits(s)) ?? best;
  return best;
}

/** A log axis's `axis` block: explicit values (logTickValues) and their labels. */
export function logAxis(domain: readonly [number, number] | number[], px: number, orient: "x" | "y"): { values: number[]; labelExpr: string } {
  return { values: logTickValues(domain, px, orient), labelExpr: SHORT_NUMBER };
}
