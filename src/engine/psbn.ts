import { NORM_PSBN, NORM_RSHIFT, type CompiledUnit } from "./compiled.ts";
import { optimizerStep } from "./optimizer.ts";

/**
 * The update of a unit whose norm is not plain BN (docs/psbn.md); plain BN calls optimizerStep
 * directly. Reads the gradient in c.g (BN's (dL/dgamma, dL/dbeta)) and the batch in c.xhat.
 */
export function normUpdate(c: CompiledUnit, t: number): void {
  if (c.norm === NORM_RSHIFT) rshiftUpdate(c, t);
  else {
    optimizerStep(c, t);
    if (c.norm === NORM_PSBN) postShift(c, t);
  }
}

/**
 * "rshift": the learned parameters are (gamma, rho) with y = gamma (xhat + rho), i.e. beta = gamma rho
 * and r = rho sign(gamma). The chain rule gives dL/dgamma|rho = dL/dgamma + rho dL/dbeta and
 * dL/drho = gamma dL/dbeta; the optimiser (and its state, and weight decay) acts on (gamma, rho).
 * c.p keeps (gamma, beta) between updates, so the criteria and outcomes read it unchanged.
 */
export function rshiftUpdate(c: CompiledUnit, t: number): void {
  const p = c.p, g = c.g;
  const gamma = p[0];
  const rho = p[1] / gamma;
  const gBeta = g[1];
  g[0] += rho * gBeta;
  g[1] = gamma * gBeta;
  p[1] = rho;
  optimizerStep(c, t);
  p[1] = p[0] * p[1];
}

/**
 * psBN's post-shift (a reconstruction, docs/psbn.md). After each update the batch of that update is
 * checked at the new parameters: if no sample is active (max_i gamma xhat_i + beta <= 0, so the unit
 * outputs zero on the whole batch and its gradients were exactly zero) for `patience` updates in a
 * row, the unit counts as saturated and beta is shifted up so that the batch's top sample sits at
 * y = margin |gamma|. Otherwise nothing changes: the unit computes the BN function of its parameters.
 * The counter restarts with every trajectory (and every phase).
 */
export function postShift(c: CompiledUnit, t = -1): void {
  if (t === 0) c.inactiveRun = 0;
  const p = c.p, xhat = c.xhat, B = c.batch;
  const gamma = p[0], beta = p[1];
  let top = -Infinity;
  for (let i = 0; i < B; i++) {
    const y = gamma * xhat[i];
    if (y > top) top = y;
  }
  if (top + beta > 0) {
    c.inactiveRun = 0;
    return;
  }
  if (++c.inactiveRun < c.psbnPatience) return;
  c.inactiveRun = 0;
  p[1] = c.psbnMargin * Math.abs(gamma) - top;
}
