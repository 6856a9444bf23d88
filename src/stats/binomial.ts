// Confidence intervals for a binomial proportion k / n.

import { betaQuantile, Z95 } from './special.ts';

function checkCounts(k: number, n: number): void {
  if (!Number.isFinite(n) || n < 0 || !Number.isFinite(k) || k < 0 || k > n) {
    throw new RangeError(`binomial counts need 0 <= k <= n, got k=${k}, n=${n}`);
  }
}

/**
 * Wilson score interval. With n = 0 there is no information and the result is
 * [0, 1]. The bounds are exactly 0 at k = 0 and exactly 1 at k = n.
 */
export function wilsonInterval(k: number, n: number, z: number = Z95): [number, number] {
  checkCounts(k, n);
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2n = (z * z) / n;
  const denom = 1 + z2n;
  const center = (p + z2n / 2) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  const lo = k === 0 ? 0 : Math.max(0, center - half);
  const hi = k === n ? 1 : Math.min(1, center + half);
  return [lo, hi];
}

/**
 * Exact (Clopper-Pearson) interval at confidence `level`:
 *   lower = BetaQuantile(alpha/2; k, n - k + 1),  upper = BetaQuantile(1 - alpha/2; k + 1, n - k),
 * with lower = 0 at k = 0 and upper = 1 at k = n. With n = 0 the result is [0, 1].
 */
export function clopperPearsonInterval(k: number, n: number, level = 0.95): [number, number] {
  checkCounts(k, n);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (n === 0) return [0, 1];
  const tail = (1 - level) / 2;
  const lo = k === 0 ? 0 : betaQuantile(tail, k, n - k + 1);
  const hi = k === n ? 1 : betaQuantile(1 - tail, k + 1, n - k);
  return [lo, hi];
}

/**
 * Plug-in standard error sqrt(p (1 - p) / n) of p = k / n. It is 0 at k = 0 and
 * k = n (use an interval there), and Infinity for n = 0, where nothing is known.
 */
export function binomialStandardError(k: number, n: number): number {
  checkCounts(k, n);
  if (n === 0) return Infinity;
  const p = k / n;
  return Math.sqrt((p * (1 - p)) / n);
}
