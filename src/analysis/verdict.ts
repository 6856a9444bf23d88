import type { EstimatorInfo } from "./estimate.ts";
import type { ExponentFit, GoodnessOfFit } from "./exponent-fit.ts";
import type { ScalingAxis } from "./lines.ts";
import { localRange, type LocalExponent } from "./local.ts";
import { fmt } from "./regime.ts";

/**
 * What a fit lets us say about the law's exponent e (docs/scaling-analysis.md, "Verdicts"):
 * - "no verdict": fewer than MIN_CELLS cells, no finite exponent, no goodness-of-fit test, or a
 *   goodness of fit that fails at LEVEL but not after Holm's correction (the power law is doubtful);
 * - "not a power law": the goodness-of-fit test rejects at LEVEL after Holm's correction;
 * - otherwise (the power law passes its test at LEVEL, uncorrected) the likelihood-ratio test of e:
 *   "holds" when it does not reject e and the interval is bounded and excludes 0; "inconclusive" when
 *   it does not reject e but the interval contains 0 or is open on one side, or when it rejects e
 *   only before Holm's correction; "does not hold" when it rejects e after Holm's correction.
 * So "holds" needs two tests passed without any correction in its favour, and "does not hold" and
 * "not a power law" need a rejection that survives the correction.
 */
export type VerdictKind = "holds" | "does not hold" | "inconclusive" | "not a power law" | "no verdict";

export const VERDICT_KINDS: readonly VerdictKind[] = ["holds", "does not hold", "inconclusive", "not a power law", "no verdict"];

/** Every test is at 5%; Holm's correction keeps each family (the lines of one estimator along one axis) at 5% family-wise. */
export const LEVEL = 0.05;
/** A power law through two points always fits: a verdict needs at least three cells. */
export const MIN_CELLS = 3;

const LAW = { lr: "lr^2", gamma: "1/gamma^2" } as const;

export interface VerdictInput {
  info: EstimatorInfo;
  axis: ScalingAxis;
  fit: ExponentFit | null;
  /** cells that entered the fit, cells on the line(s), and why the others did not */
  used: number;
  cells: number;
  excluded: readonly string[];
  local: readonly LocalExponent[];
  /** Holm-adjusted p-values within the family, and the family's size (1: no correction) */
  gofAdjusted: number | null;
  lawAdjusted: number | null;
  family: number;
  /** why there is no fit, when `fit` is null */
  noFit?: string;
  /** a pooled fit: one exponent over several lines */
  pooled?: boolean;
}

export interface Verdict {
  kind: VerdictKind;
  /** the statement after the line's description */
  sentence: string;
  /** for "no verdict": why, in a few words */
  reason?: string;
}

/** The kind alone (the sentence's logic without the words). */
export function verdictKind(v: Pick<VerdictInput, "fit" | "used" | "gofAdjusted" | "lawAdjusted">): VerdictKind {
  const fit = v.fit;
  if (!fit || v.used < MIN_CELLS || fit.slope === null || !fit.gof || !fit.law) return "no verdict";
  if (fit.gof.pValue < LEVEL) return v.gofAdjusted !== null && v.gofAdjusted < LEVEL ? "not a power law" : "no verdict";
  if (fit.law.pValue >= LEVEL) return containsZero(fit.ci95) || fit.ci95[0] === null || fit.ci95[1] === null ? "inconclusive" : "holds";
  return v.lawAdjusted !== null && v.lawAdjusted < LEVEL ? "does not hold" : "inconclusive";
}

export function verdictOf(v: VerdictInput): Verdict {
  const kind = verdictKind(v);
  const fit = v.fit;
  const e = v.info.expected[v.axis];
  const law = LAW[v.axis];
  const what = `${v.info.quantity} here`;
  const holm = (p: number | null) => (v.family > 1 && p !== null ? `, ${pText(p)} after Holm's correction over ${v.family} lines` : "");
  const parts: string[] = [fitText(fit, v)];
  let clause = "";
  let reason: string | undefined;
  if (!fit) reason = v.noFit ?? "nothing to fit";
  else if (v.used < MIN_CELLS) reason = `${v.used} cell${v.used === 1 ? "" : "s"} (a power law through two points cannot be tested)`;
  else if (fit.slope === null) reason = `no finite exponent, only a bound (${exponentText(fit)})`;
  else if (!fit.gof) reason = "no degrees of freedom left for a goodness-of-fit test";
  if (reason !== undefined || !fit || !fit.gof) clause = `no verdict: ${reason}; the ${law} law is untested for ${what}.`;
  else if (kind === "not a power law" || kind === "no verdict") {
    // the verdict first: the single exponent of a rejected power law describes no cell, so it comes last, marked as such
    const cells = `${v.used} cells, ${gofText(fit.gof, fit.family)}${holm(v.gofAdjusted)}`;
    const lead = kind === "not a power law" ? "not a power law here" : "no verdict: the power law is doubtful here";
    const scope = v.pooled ? "these lines" : "this line";
    return {
      kind,
      reason: kind === "no verdict" ? `the power law doubtful (${gofPText(fit.gof)}${holm(v.gofAdjusted)})` : undefined,
      sentence:
        `${lead}: ${localText(v.local)} (${cells}); one exponent fitted through them, ${exponentText(fit)}, depends on the grid's range and is not quoted as a result. ` +
        `The ${law} law is not tested on ${scope}.${v.excluded.length > 0 ? ` ${v.excluded.length} of ${v.cells} cells left out (${summarise(v.excluded)}).` : ""}`,
    };
  }
  else {
    const lawP = fit.law!.pValue;
    if (lawP >= LEVEL) {
      clause = kind === "holds"
        ? `the power law fits and the paper's ${e} is inside the 95% interval (likelihood-ratio test of ${e}: ${pText(lawP)}): consistent with the ${law} law for ${what}.`
        : containsZero(fit.ci95)
          ? `the power law fits and the paper's ${e} is inside the 95% interval (${pText(lawP)}), but so is 0: inconclusive for ${what}.`
          : `the power law fits and the paper's ${e} is inside the 95% interval (${pText(lawP)}), but the interval is open on one side: inconclusive for ${what}.`;
    } else if (kind === "does not hold") {
      clause = `the power law fits, but the paper's ${e} is outside the 95% interval (likelihood-ratio test of ${e}: ${pText(lawP)}${holm(v.lawAdjusted)}): the ${law} law does not hold for ${what}.`;
    } else {
      clause = `the power law fits; the paper's ${e} is outside the unadjusted 95% interval (${pText(lawP)}) but not rejected after Holm's correction over ${v.family} lines (${pText(v.lawAdjusted ?? 1)}): inconclusive for ${what}.`;
    }
  }
  let sentence = `${parts.join(", ")}; ${clause}`;
  if (v.excluded.length > 0) sentence += ` ${v.excluded.length} of ${v.cells} cells left out (${summarise(v.excluded)}).`;
  return { kind, sentence, reason };
}

function containsZero(ci: readonly [number | null, number | null]): boolean {
  return (ci[0] === null || ci[0] <= 0) && (ci[1] === null || ci[1] >= 0);
}

/** "exponent 2.3 [2.05, 2.6], 6 cells, deviance 3.1 on 4 dof, p = 0.54 (chi-square)" */
function fitText(fit: ExponentFit | null, v: VerdictInput): string {
  if (!fit) return "no exponent";
  const parts = [`exponent ${exponentText(fit)}`, `${v.used} cell${v.used === 1 ? "" : "s"}`];
  if (fit.gof) parts.push(gofText(fit.gof, fit.family));
  return parts.join(", ");
}

export function exponentText(fit: ExponentFit): string {
  const [lo, hi] = fit.ci95;
  if (fit.slope === null) {
    if (fit.unbounded === "above") return `unbounded above (95% bound: > ${lo === null ? "-40" : fmt(lo)})`;
    if (fit.unbounded === "below") return `unbounded below (95% bound: < ${hi === null ? "40" : fmt(hi)})`;
    return "undetermined";
  }
  return estimateText(fit.slope, fit.ci95);
}

/**
 * "2.010 [2.002, 2.018]": an estimate and its interval with as many decimals as the interval needs
 * (its half-width's first significant digit) and at least three significant digits of the estimate,
 * so that a narrow interval that just misses a value does not print as if it contained it.
 */
export function estimateText(value: number, ci: readonly [number | null, number | null]): string {
  const [lo, hi] = ci;
  const half = lo !== null && hi !== null ? (hi - lo) / 2 : NaN;
  if (!(half > 0) || !Number.isFinite(value)) return `${fmt(value)} ${intervalText(ci)}`;
  const sig3 = value === 0 ? 2 : 2 - Math.floor(Math.log10(Math.abs(value)));
  const d = Math.max(0, Math.min(6, Math.max(Math.ceil(-Math.log10(half)), sig3)));
  const f = (x: number) => x.toFixed(d);
  return `${f(value)} [${f(lo!)}, ${f(hi!)}]`;
}

export function intervalText([lo, hi]: readonly [number | null, number | null]): string {
  return `${lo === null ? "(-inf" : `[${fmt(lo)}`}, ${hi === null ? "+inf)" : `${fmt(hi)}]`}`;
}

export function gofText(g: GoodnessOfFit, family: ExponentFit["family"]): string {
  const stat = family === "binomial" ? "deviance" : "chi2";
  return `${stat} ${fmt(g.statistic)} on ${g.dof} dof, ${gofPText(g)} (${referenceText(g)})`;
}

/** "parametric bootstrap, 999 draws; chi-square would give 3e-5" */
export function referenceText(g: { reference: string; draws?: number; chiSquareP: number }): string {
  return g.reference === "chi-square" ? "chi-square" : `parametric bootstrap, ${g.draws} draws; chi-square would give ${pValueText(g.chiSquareP)}`;
}

/** "p = 0.03"; a bootstrap with no draw as large as the data gives "p <= 0.001" (1/(draws + 1)). */
export function gofPText(g: { pValue: number; exceeded?: number }): string {
  return g.exceeded === 0 ? `p <= ${fmt(g.pValue)}` : pText(g.pValue);
}

export function pText(p: number): string {
  return p < 1e-16 ? "p < 1e-16" : `p = ${pValueText(p)}`;
}

export function pValueText(p: number): string {
  if (p < 1e-16) return "< 1e-16";
  return p >= 0.001 ? fmt(p) : p.toExponential(1);
}

/** "local exponents from 0.25 to 7.7 (and 2 one-sided bounds where a cell had no collapse)" */
export function localText(local: readonly LocalExponent[]): string {
  const r = localRange(local);
  if (!r) return local.length ? "no finite local exponent" : "no local exponents";
  const extra = [r.bounds ? `${r.bounds} one-sided bound${r.bounds > 1 ? "s" : ""}` : "", r.empty ? `${r.empty} pair${r.empty > 1 ? "s" : ""} without information` : ""].filter(Boolean);
  const range = r.min === r.max ? `a local exponent of ${fmt(r.min)}` : `local exponents from ${fmt(r.min)} to ${fmt(r.max)}`;
  return `${range}${extra.length ? ` (and ${extra.join(", ")})` : ""}`;
}

/** "no median by T x3, every trajectory went non-finite" */
function summarise(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => (n > 1 ? `${r} x${n}` : r)).join(", ") || "none";
}
