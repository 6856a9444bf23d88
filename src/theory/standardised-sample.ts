import { exp, log1p } from "../stats/det-math.ts";
import { incompleteBetaPair, lnBeta } from "./det-special.ts";

/**
 * The exact law of one standardised sample of a Gaussian batch of size B >= 3 (BN with eps = 0 and the
 * biased variance): xhat = sqrt(B - 1) W, W^2 ~ Beta(1/2, (B-2)/2), so W has the density
 * (1 - w^2)^((B-4)/2) / Beta(1/2, (B-2)/2) on [-1, 1] (docs/theory.md section 2). On det-math.ts, and
 * every tail relative to itself, so the dead cone's edge (tails of 1e-30) keeps its digits.
 */

/** P(W > w). */
export function sampleTail(w: number, batch: number): number {
  if (w >= 1) return 0;
  if (w <= -1) return 1;
  // P(|W| > |w|) = P(W^2 > w^2) = 1 - I_{w^2}(1/2, (B-2)/2)
  const [inner, outer] = incompleteBetaPair(w * w, 0.5, 0.5 * (batch - 2));
  return w >= 0 ? 0.5 * outer : 0.5 + 0.5 * inner;
}

/** The w with P(W > w) = t (0 < t < 1), by bisection to the last bit. */
export function sampleTailQuantile(t: number, batch: number): number {
  let lo = -1, hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (sampleTail(mid, batch) > t) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * [J0, J1, J2](c) = E[xhat^k; xhat > c], k = 0, 1, 2 (the active side's moments when gamma > 0, c = -r):
 * J0 = P(W > w), J1 = sqrt(B-1) (1 - w^2)^((B-2)/2) / ((B-2) Beta(1/2, (B-2)/2)), J2 = c J1 + P(W_{B+2} > w),
 * w = c / sqrt(B - 1).
 */
export function activeMoments(c: number, batch: number): [number, number, number] {
  const s = Math.sqrt(batch - 1);
  if (!(c < s)) return [0, 0, 0];
  if (!(c > -s)) return [1, 0, 1];
  if (batch === 2) return c < -1 ? [1, 0, 1] : c < 1 ? [0.5, 0.5, 0.5] : [0, 0, 0]; // xhat = +-1
  const w = c / s;
  const j1 = (exp(0.5 * (batch - 2) * log1p(-w * w) - lnBeta(0.5, 0.5 * (batch - 2))) * s) / (batch - 2);
  return [sampleTail(w, batch), j1, c * j1 + sampleTail(w, batch + 2)];
}
