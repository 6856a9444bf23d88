import { activeMoments } from "./standardised-sample.ts";
import { E0, E1, M0, M1, M2, type GradientMoments } from "./gradient-moments.ts";

/**
 * The same moments as gradient-moments.ts, but under the exact law of one standardised sample of a
 * Gaussian batch of size B (BN with eps = 0, biased variance) instead of N(0, 1).
 *
 * With xhat = sqrt(B - 1) W, W has density (1 - w^2)^((B-4)/2) / Beta(1/2, (B-2)/2) on [-1, 1]
 * (W^2 ~ Beta(1/2, (B-2)/2): the one-sample version of the studentised-residual law). For c in
 * (-sqrt(B-1), sqrt(B-1)) and w = c / sqrt(B-1):
 *
 *   J0(c) = P(xhat > c)            = Q_B(w)
 *   J1(c) = E[xhat; xhat > c]      = sqrt(B-1) (1 - w^2)^((B-2)/2) / ((B-2) Beta(1/2, (B-2)/2))
 *   J2(c) = E[xhat^2; xhat > c]    = c J1(c) + Q_{B+2}(w)
 *
 * with Q_B(w) = P(W_B > w). As B -> inf these become 1 - Phi(c), phi(c), c phi(c) + 1 - Phi(c).
 * E[xhat] = 0 and E[xhat^2] = 1 exactly (sum xhat_i^2 = B); BN's eps shrinks xhat by
 * sqrt(v / (v + eps)), a relative change of about eps B / (2 (B - 3)), neglected here.
 */
export function writeFiniteBatchMoments(r: number, alpha: number, batch: number, out: Float64Array): void {
  const [j0, j1, j2] = activeMoments(-r, batch);
  const a2 = alpha * alpha;
  out[E0] = (1 - alpha) * j0 + alpha;
  out[E1] = (1 - alpha) * j1;
  out[M0] = (1 - a2) * j0 + a2;
  out[M1] = (1 - a2) * j1;
  out[M2] = (1 - a2) * j2 + a2;
}

export function finiteBatchMoments(r: number, alpha: number, batch: number): GradientMoments {
  const out = new Float64Array(5);
  writeFiniteBatchMoments(r, alpha, batch, out);
  return { e0: out[E0], e1: out[E1], m0: out[M0], m1: out[M1], m2: out[M2] };
}

export { activeMoments };
