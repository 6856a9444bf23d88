import { normalPdf, normalCdf } from "./det-special.ts";
import { E0, E1, M0, M1, M2 } from "./gradient-moments.ts";
import { writeMoments, type MomentsKind } from "./moments-choice.ts";

/** One state of the unit and its noise, as the per-step theory sees it. */
export interface PerStepInput {
  lr: number;
  gamma: number;
  beta: number;
  batch: number;
  /** noise scale of delta_i */
  sigma: number;
  /** LeakyReLU slope on y <= 0 (0 = ReLU) */
  alpha: number;
  /** mean mu_g of delta_i (its mean gradient to second order; its batch-to-batch variance neglected) */
  signal?: number;
  /** coupled L2 weight decay lambda (exact: it rescales lr to lr / (1 - lr lambda) for r's step) */
  weightDecay?: number;
  moments?: MomentsKind;
}

/**
 * Leading-order moments of one SGD step at a fixed state (docs/theory.md). With
 * kappa = lr^2 sigma^2 / (B gamma^2) and the moments at r:
 *   driftR = kappa (r m2 - m1) - (lr / |gamma|) mu_g (e0 - r e1) + (lr mu_g / gamma)^2 (r e1^2 - e1 e0)
 *   varR   = kappa (m0 - 2 r m1 + r^2 m2)
 *   sparsity s = 1 - Phi(r): driftSparsity = -phi(r) driftR + r phi(r) varR / 2, varSparsity = phi(r)^2 varR.
 * The noise parts are exact up to O(kappa^2) (the O(lr^3) terms vanish by symmetry of the noise);
 * the signal enters through its mean gradient mu_g (e1, e0) only: the O(lr^2 mu_g^2 / B) batch-to-batch
 * variance of that mean is neglected, and so is the O(lr mu_g kappa) cross term.
 */
export interface PerStep {
  r: number;
  kappa: number;
  driftR: number;
  varR: number;
  sparsity: number;
  driftSparsity: number;
  varSparsity: number;
}

export function perStepTheory(input: PerStepInput): PerStep {
  const { gamma, beta, batch, sigma, alpha } = input;
  const lambda = input.weightDecay ?? 0;
  const lr = input.lr / (1 - input.lr * lambda);
  const mu = input.signal ?? 0;
  const g = Math.abs(gamma);
  const r = beta / g;
  const m = new Float64Array(5);
  writeMoments(input.moments ?? "finite", r, alpha, batch, m);
  const kappa = (lr * lr * sigma * sigma) / (batch * g * g);
  const lm = (lr * mu) / g;
  const driftR = kappa * (r * m[M2] - m[M1]) - lm * (m[E0] - r * m[E1]) + lm * lm * m[E1] * (r * m[E1] - m[E0]);
  const varR = kappa * (m[M0] - 2 * r * m[M1] + r * r * m[M2]);
  const phi = normalPdf(r);
  return {
    r,
    kappa,
    driftR,
    varR,
    sparsity: normalCdf(-r),
    driftSparsity: -phi * driftR + 0.5 * r * phi * varR,
    varSparsity: phi * phi * varR,
  };
}

/**
 * The next (O(kappa^2)) noise terms of the same expansion, for checking that a given lr is small: with
 * u = lr g_gamma / |gamma| and L = r u - (lr g_beta / |gamma|), dr = L / (1 - u) exactly, and for
 * Gaussian (u, L) given the batch E[L u^3] = 3 E[u^2] E[L u], E[L^2 u^2] = E[L^2] E[u^2] + 2 E[L u]^2.
 * Batch-to-batch fluctuation of the conditional covariance is neglected (an O(1/B) relative error).
 * Zero signal only.
 */
export function perStepNextOrder(input: PerStepInput): { driftR: number; varR: number } {
  const s = perStepTheory({ ...input, signal: 0 });
  const m = new Float64Array(5);
  writeMoments(input.moments ?? "finite", s.r, input.alpha, input.batch, m);
  const b = s.driftR / s.kappa; // r m2 - m1
  const a = s.varR / s.kappa; // m0 - 2 r m1 + r^2 m2
  const k2 = s.kappa * s.kappa;
  return { driftR: 3 * k2 * m[M2] * b, varR: k2 * (3 * a * m[M2] + 5 * b * b) };
}
