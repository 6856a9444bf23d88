import type { EstimatorInfo } from "./estimate.ts";
import type { ScalingAxis } from "./lines.ts";
import type { LocalExponent, PowerLawFit } from "./regression.ts";
import { fmt } from "./regime.ts";

/**
 * - "holds": the law's exponent is inside the 95% interval, and the interval excludes 0;
 * - "inconclusive": inside, but the interval also contains 0 (cannot tell the law from no dependence);
 * - "does not hold": outside the interval;
 * - "untestable": fewer than two cells could enter a log.
 */
export type VerdictKind = "holds" | "does not hold" | "inconclusive" | "untestable";

const LAW = { lr: "lr^2", gamma: "1/gamma^2" } as const;

/** A goodness-of-fit p below this adds a warning that the points are not on one power law. */
export const POWER_LAW_P = 0.01;

export function verdictKind(fit: PowerLawFit | null, expected: number): VerdictKind {
  if (!fit) return "untestable";
  const [lo, hi] = fit.ci95;
  if (expected < lo || expected > hi) return "does not hold";
  return lo <= 0 && hi >= 0 ? "inconclusive" : "holds";
}

/** The sentence after the line's description and exponent. */
export function verdictSentence(info: EstimatorInfo, axis: ScalingAxis, fit: PowerLawFit | null, local: readonly LocalExponent[], counts: { used: number; cells: number; excluded: string[] }): string {
  const e = info.expected[axis];
  const law = LAW[axis];
  const what = `${info.quantity} here`;
  const kind = verdictKind(fit, e);
  let s: string;
  switch (kind) {
    case "untestable":
      return `cannot be fitted: ${counts.used} of ${counts.cells} cells can enter a log (${summarise(counts.excluded)}); the ${law} law is untested for ${what}.`;
    case "does not hold":
      s = `the paper's ${e} is outside the 95% interval: the ${law} law does not hold for ${what}.`;
      break;
    case "inconclusive":
      s = `the paper's ${e} is inside the 95% interval, but so is 0: inconclusive for ${what}.`;
      break;
    case "holds":
      s = `the paper's ${e} is inside the 95% interval: consistent with the ${law} law for ${what}.`;
      break;
  }
  if (fit && fit.pValue !== null && fit.pValue < POWER_LAW_P && local.length > 1) {
    const slopes = local.map((l) => l.slope);
    s += ` The points are not on one power law (chi2/dof = ${fmt(fit.chi2PerDof!)}, p = ${fit.pValue.toExponential(1)}): local exponents run from ${fmt(Math.min(...slopes))} to ${fmt(Math.max(...slopes))}.`;
  }
  if (counts.excluded.length > 0) s += ` ${counts.excluded.length} of ${counts.cells} cells excluded (${summarise(counts.excluded)}).`;
  return s;
}

/** "p = 0 x3, p = 1 x1" */
function summarise(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) {
    const key = r.startsWith("drift ") ? "drift <= 0" : r;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([r, n]) => (n > 1 ? `${r} x${n}` : r)).join(", ") || "none";
}
