/**
 * The small-step time variable and the scale symmetry (docs/model.md section 5, docs/theory.md).
 *
 * tau = lr^2 sigma^2 T / (B gamma0^2): in the small-step limit the collapse probability by T depends on
 * lr, gamma0, sigma, B and T only through tau (given r0, the activation, the criterion on r, and the
 * O(1/B) shape of the batch moments).
 */
export function tau(lr: number, sigma: number, steps: number, batch: number, gamma0: number): number {
  return (lr * lr * sigma * sigma * steps) / (batch * gamma0 * gamma0);
}

/** Steps needed to reach a given tau: the inverse of `tau` in T (not rounded). */
export function stepsForTau(t: number, lr: number, sigma: number, batch: number, gamma0: number): number {
  return (t * batch * gamma0 * gamma0) / (lr * lr * sigma * sigma);
}

export interface ScaleSetting {
  lr: number;
  gamma: number;
  beta: number;
}

/**
 * Exact symmetry (plain SGD or momentum, no weight decay, noise loss): the trajectory from
 * (c gamma, c beta) with rate c lr, driven by the same random numbers, is c times the original, so
 * r = beta/|gamma|, every ratio/sparsity/dead criterion and its first-passage time are unchanged
 * (c > 0; bit-exact in floating point when c is a power of two). Not a symmetry for the `gamma:E`
 * criterion (which sees |gamma| itself), for Adam, for weight decay, or for the teacher loss.
 */
export function scaleSetting(s: ScaleSetting, c: number): ScaleSetting {
  return { lr: c * s.lr, gamma: c * s.gamma, beta: c * s.beta };
}
