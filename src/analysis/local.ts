import { fitExponent } from "./exponent-fit.ts";
import type { Observation } from "./families.ts";

/**
 * The exponent between two neighbouring cells of a line: the same maximum-likelihood fit as the
 * line's, on those two cells alone (it goes through both), with its 95% profile interval. Where one
 * cell of a pair of counts has no collapsed run (or no surviving one) the estimate is unbounded and
 * the interval one-sided: `slope` is null and `ci95` has one end. Where neither cell has collapsed
 * runs (or both have only collapsed ones) the pair says nothing, and `slope` and both ends are null.
 */
export interface LocalExponent {
  from: number;
  to: number;
  slope: number | null;
  ci95: [number | null, number | null];
  /** why the estimate is not a number, for a reader */
  note?: string;
}

/** Local exponents between consecutive observations in increasing x (ties in x are skipped). */
export function localExponents(obs: readonly Observation[]): LocalExponent[] {
  const sorted = [...obs].sort((a, b) => a.x - b.x);
  const out: LocalExponent[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1], b = sorted[i];
    if (!(b.x > a.x)) continue;
    const fit = fitExponent([[a, b]]);
    if (!fit || (fit.slope === null && fit.unbounded === null)) {
      out.push({ from: a.x, to: b.x, slope: null, ci95: [null, null], note: a.kind === "binomial" ? (a.k === 0 ? "no collapse in either cell" : "every run collapsed in both cells") : "undetermined" });
      continue;
    }
    const entry: LocalExponent = { from: a.x, to: b.x, slope: fit.slope, ci95: fit.ci95 };
    if (fit.slope === null) entry.note = a.kind === "binomial" && b.kind === "binomial" ? boundNote(a, b) : "unbounded";
    out.push(entry);
  }
  return out;
}

function boundNote(a: Observation & { kind: "binomial" }, b: Observation & { kind: "binomial" }): string {
  if (a.k === 0) return `no collapse at ${a.x}`;
  if (b.k === 0) return `no collapse at ${b.x}`;
  if (a.k === a.n) return `every run collapsed at ${a.x}`;
  return `every run collapsed at ${b.x}`;
}

/** The finite local slopes' range, and how many pairs gave only a bound (or nothing). */
export function localRange(local: readonly LocalExponent[]): { min: number; max: number; bounds: number; empty: number } | null {
  const finite = local.flatMap((l) => (l.slope === null ? [] : [l.slope]));
  const bounds = local.filter((l) => l.slope === null && (l.ci95[0] !== null || l.ci95[1] !== null)).length;
  const empty = local.filter((l) => l.slope === null && l.ci95[0] === null && l.ci95[1] === null).length;
  if (finite.length === 0) return null;
  return { min: Math.min(...finite), max: Math.max(...finite), bounds, empty };
}
