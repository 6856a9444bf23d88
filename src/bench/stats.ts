/** Small statistics for the bench: medians of timings, pooled binomial estimates, agreement. */

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A collapse-probability estimate: collapsed out of n finite trajectories. */
export interface Estimate {
  name: string;
  collapsed: number;
  n: number;
  p: number;
  se: number;
}

/** Pools counts over repeats (different seeds): p = sum collapsed / sum n, binomial se. */
export function pooledEstimate(name: string, runs: { collapsed: number; n: number }[]): Estimate {
  let collapsed = 0, n = 0;
  for (const r of runs) {
    collapsed += r.collapsed;
    n += r.n;
  }
  const p = n > 0 ? collapsed / n : NaN;
  return { name, collapsed, n, p, se: n > 0 ? Math.sqrt((p * (1 - p)) / n) : NaN };
}

/** How many combined standard errors two estimates may differ by. */
export const AGREEMENT_K = 4;
export const AGREEMENT_RULE = `|p_i - p_j| < ${AGREEMENT_K} sqrt(se_i^2 + se_j^2)`;

export interface PairCheck {
  a: string;
  b: string;
  diff: number;
  limit: number;
  /** the difference in combined standard errors */
  z: number;
  ok: boolean;
}

/**
 * Every pair of estimates must agree within AGREEMENT_K combined standard errors. With the binomial
 * se the limit is zero when both p are 0 or 1, so a floor of one trajectory's worth (1/n) is added.
 */
export function pairwiseAgreement(estimates: Estimate[]): { rule: string; pairs: PairCheck[]; ok: boolean } {
  const pairs: PairCheck[] = [];
  for (let i = 0; i < estimates.length; i++) {
    for (let j = i + 1; j < estimates.length; j++) {
      const a = estimates[i], b = estimates[j];
      const se = Math.sqrt(a.se * a.se + b.se * b.se);
      const floor = 1 / Math.min(a.n, b.n);
      const limit = AGREEMENT_K * se + floor;
      const diff = Math.abs(a.p - b.p);
      pairs.push({ a: a.name, b: b.name, diff, limit, z: se > 0 ? diff / se : 0, ok: diff < limit });
    }
  }
  return { rule: `${AGREEMENT_RULE} (+ 1/n)`, pairs, ok: pairs.every((p) => p.ok) };
}
