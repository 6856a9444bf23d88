import { sampleTail } from "./standardised-sample.ts";

/**
 * How a dead psBN unit (y = gamma xhat + beta + alpha) comes back under weight decay (docs/psbn.md,
 * section "Recovery"). While no sample of a batch is active the loss gradient is exactly zero, so only
 * the decay moves (gamma, beta): SGD with L2 decay lambda, and AdamW from a fresh state, multiply both
 * by q = 1 - lr lambda per update; SGD with momentum from a fresh state multiplies both by the same
 * c_t of a second-order recurrence. Then r_t = (beta_t + alpha) / |gamma_t| = r0 + alpha / (c_t |gamma0|),
 * r0 = beta0 / |gamma0|, rises deterministically until a batch has an active sample.
 */
export interface DeadPsbnUnit {
  gamma0: number;
  beta0: number;
  alpha: number;
  batch: number;
  lr: number;
  weightDecay: number;
  /** "sgd" (and AdamW from a fresh state: the same factor), or momentum mu from a fresh buffer */
  momentum?: number;
}

/**
 * The factor c_t with (gamma_t, beta_t) = c_t (gamma0, beta0) while the unit gets no loss gradient, for
 * t = 0 .. steps: q^t for SGD; for PyTorch momentum (buffer b_1 = lambda p_0, then
 * b_{t+1} = mu b_t + lambda p_t, p_{t+1} = p_t - lr b_{t+1}) the same recurrence on the scalar c_t.
 */
export function decayFactors(u: DeadPsbnUnit, steps: number): Float64Array {
  const c = new Float64Array(steps + 1);
  c[0] = 1;
  const mu = u.momentum ?? 0, k = u.lr * u.weightDecay;
  let buf = 0;
  for (let t = 0; t < steps; t++) {
    const g = u.weightDecay * c[t];
    buf = t === 0 ? g : mu * buf + g;
    c[t + 1] = mu === 0 ? c[t] * (1 - k) : c[t] - u.lr * buf;
  }
  return c;
}

/**
 * The depth D = -(beta0 + |gamma0| sqrt(B - 1)) of the trained parameters in BN's dead cone: the psBN
 * unit is dead at the factor c > 0 exactly when c D >= alpha (beta + alpha <= -|gamma| sqrt(B - 1)).
 */
export function coneDepth(u: DeadPsbnUnit): number {
  return -(u.beta0 + Math.abs(u.gamma0) * Math.sqrt(u.batch - 1));
}

/**
 * The first update after which the unit is outside its dead cone (so that a batch can fire it), for SGD
 * with L2 decay at a constant lr: 0 if it is not dead at the start (D < alpha); otherwise, with
 * q = 1 - lr lambda in (0, 1) and alpha > 0, the least t with q^t D < alpha,
 *   t_exit = floor(ln(D / alpha) / -ln(1 - lr lambda)) + 1  (~ ln(D / alpha) / (lr lambda) for small lr lambda);
 * 1 if lr lambda >= 1 (one update sends beta to q beta0 >= 0, so y >= alpha > 0 somewhere); null (never) when
 * alpha <= 0 or lambda = 0: BN's cone is a cone, scaling (gamma, beta) never leaves it.
 */
export function coneExitStep(u: DeadPsbnUnit): number | null {
  const D = coneDepth(u);
  if (!(D >= u.alpha)) return 0;
  if (!(u.alpha > 0)) return null;
  const k = u.lr * u.weightDecay;
  if (!(k > 0)) return null;
  if (k >= 1) return 1;
  return Math.floor(Math.log(D / u.alpha) / -Math.log1p(-k)) + 1;
}

/** The same, from any decay factors c_t (decayFactors): the least t with c_t D < alpha, null if none within them. */
export function coneExitFromFactors(u: DeadPsbnUnit, c: Float64Array): number | null {
  const D = coneDepth(u);
  for (let t = 0; t < c.length; t++) if (!(c[t] * D >= u.alpha)) return t;
  return null;
}

/** r_t = (c beta0 + alpha) / |c gamma0|: the unit's effective ratio at the decay factor c. */
export function effectiveRatio(u: DeadPsbnUnit, c: number): number {
  return (c * u.beta0 + u.alpha) / Math.abs(c * u.gamma0);
}

/**
 * P(a batch has an active sample) for a unit at effective ratio r, BN with eps = 0: P(max_i xhat_i > -r)
 * (the same for gamma < 0, by symmetry). With sum xhat_i = 0 and sum xhat_i^2 = B, two samples above c
 * force the other B - 2 below -2c in sum, so 2c^2 + 4c^2/(B - 2) <= B: for c >= sqrt((B - 2)/2) at
 * most one sample is above c and P = B P(xhat_1 > c) exactly (the exact law of one standardised sample);
 * below, that sum is the union bound, an upper bound (exact false).
 */
export function firingProbability(r: number, batch: number): { p: number; exact: boolean } {
  const c = -r, edge = Math.sqrt(batch - 1);
  if (!(c < edge)) return { p: 0, exact: true };
  const exact = c >= Math.sqrt((batch - 2) / 2);
  const p = batch * sampleTail(c / edge, batch);
  return { p: Math.min(1, p), exact };
}

/**
 * The law of the first update whose batch fires the unit (the recovery time): S[t] = P(no batch of
 * updates 1..t had an active sample) = prod_{s < t} (1 - H(r_s)), r_s the effective ratio before update
 * s + 1 (batches are independent and the state is deterministic until then). `exactUpTo` is the last
 * t for which every factor is exact; beyond it S is a lower bound (H an upper bound).
 */
export function firingSurvival(u: DeadPsbnUnit, c: Float64Array): { survival: Float64Array; exactUpTo: number } {
  const S = new Float64Array(c.length);
  S[0] = 1;
  let exactUpTo = 0, allExact = true;
  for (let t = 1; t < c.length; t++) {
    const h = firingProbability(effectiveRatio(u, c[t - 1]), u.batch);
    allExact &&= h.exact;
    S[t] = S[t - 1] * (1 - h.p);
    if (allExact) exactUpTo = t;
  }
  return { survival: S, exactUpTo };
}

/** The least t with S[t] <= 1 - q (the q-quantile of the recovery time), null if not within S. */
export function survivalQuantileStep(S: Float64Array, q: number): number | null {
  for (let t = 0; t < S.length; t++) if (S[t] <= 1 - q) return t;
  return null;
}
