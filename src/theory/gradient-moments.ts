import { normalCdf, normalPdf } from "../stats/special.ts";

/**
 * Moments of the per-sample gradient factors of one unit when xhat ~ N(0, 1) (the large-B limit of the
 * standardised batch; docs/model.md section 5), for the activation slope a(y) = 1 (y > 0), alpha (y <= 0)
 * and y = gamma xhat + beta, r = beta / |gamma|, s = sign(gamma):
 *
 *   e0 = E[a]            e1 = E[a xhat]            (the mean gradient is signal * (e1, e0))
 *   m0 = E[a^2]          m1 = E[a^2 xhat]          m2 = E[a^2 xhat^2]
 *
 * so that the per-step gradient noise of (gamma, beta) has covariance (sigma^2 / B) [[m2, m1], [m1, m0]].
 * For ReLU (alpha = 0): m0 = Phi(r), m1 = s phi(r), m2 = Phi(r) - r phi(r).
 * The active side is xhat > -r when gamma > 0 and xhat < r when gamma < 0; the two cases differ only
 * in the sign of the odd moments.
 */
export interface GradientMoments {
  e0: number;
  e1: number;
  m0: number;
  m1: number;
  m2: number;
}

export const E0 = 0, E1 = 1, M0 = 2, M1 = 3, M2 = 4;

/** Writes [e0, e1, m0, m1, m2] into out (allocation-free, for step loops). */
export function writeGradientMoments(r: number, alpha: number, signGamma: number, out: Float64Array): void {
  if (r === Infinity) {
    // gamma = 0, beta >= 0: every sample active
    out[E0] = 1; out[E1] = 0; out[M0] = 1; out[M1] = 0; out[M2] = 1;
    return;
  }
  if (r === -Infinity) {
    out[E0] = alpha; out[E1] = 0; out[M0] = alpha * alpha; out[M1] = 0; out[M2] = alpha * alpha;
    return;
  }
  combineMoments(r, normalCdf(r), normalPdf(r), alpha, signGamma, out);
}

/**
 * The moments from P = Phi(r) (probability of the active side) and q = phi(r). The reduced model's
 * step loop (src/engine/reduced-gradients.ts) writes the same five lines out with tabulated P and q.
 */
function combineMoments(r: number, P: number, q: number, alpha: number, signGamma: number, out: Float64Array): void {
  const a2 = alpha * alpha;
  const activeX2 = P - r * q; // E[xhat^2; active]
  out[E0] = P + alpha * (1 - P);
  out[E1] = signGamma * (1 - alpha) * q;
  out[M0] = P + a2 * (1 - P);
  out[M1] = signGamma * (1 - a2) * q;
  out[M2] = activeX2 + a2 * (1 - activeX2);
}

export function gradientMoments(r: number, alpha = 0, signGamma = 1): GradientMoments {
  const out = new Float64Array(5);
  writeGradientMoments(r, alpha, signGamma, out);
  return { e0: out[E0], e1: out[E1], m0: out[M0], m1: out[M1], m2: out[M2] };
}
