import type { Compiled, PhaseConstants } from "./compiled.ts";
import { optimizerStep } from "./optimizer.ts";
import type { UnitState } from "./state.ts";

/**
 * "rshift" (docs/psbn.md): the learned parameters are (gamma, rho) with y = gamma (xhat + rho), i.e.
 * beta = gamma rho and r = rho sign(gamma). The chain rule gives dL/dgamma|rho = dL/dgamma + rho dL/dbeta
 * and dL/drho = gamma dL/dbeta; the optimiser (and its state, and weight decay) acts on (gamma, rho).
 * p keeps (gamma, beta) between updates, so the criteria and outcomes read it unchanged. Reads BN's
 * gradient from g, for every unit of s; the first n parameters are updated.
 */
export function rshiftUpdate(c: Compiled, o: PhaseConstants, s: UnitState, g: Float64Array, n: number): void {
  const p = s.p, w = c.width;
  for (let u = 0; u < s.active; u++) {
    const i = u * w;
    const gamma = p[i];
    const rho = p[i + 1] / gamma;
    const gBeta = g[i + 1];
    g[i] += rho * gBeta;
    g[i + 1] = gamma * gBeta;
    p[i + 1] = rho;
  }
  optimizerStep(o, s, g, n);
  for (let u = 0; u < s.active; u++) p[u * w + 1] = p[u * w] * p[u * w + 1];
}

/**
 * psBN's post-shift (a reconstruction, docs/psbn.md), after an update of unit 0 of s, whose batch is
 * in the scratch xhat (psBN runs on the mechanistic model, one trajectory at a time). The batch of
 * that update is checked at the new parameters: if no sample is active (max_i gamma xhat_i + beta <= 0,
 * so the unit outputs zero on the whole batch and its gradients were exactly zero) for `patience`
 * updates in a row, the unit counts as saturated and beta is shifted up so that the batch's top sample
 * sits at y = margin |gamma|. Otherwise nothing changes: the unit computes the BN function of its
 * parameters. The count restarts with every trajectory and every phase (src/engine/state.ts).
 */
export function postShift(c: Compiled, s: UnitState): void {
  const p = s.p, xhat = c.scratch.xhat, B = c.unit.batch;
  const gamma = p[0], beta = p[1];
  let top = -Infinity;
  for (let i = 0; i < B; i++) {
    const y = gamma * xhat[i];
    if (y > top) top = y;
  }
  if (top + beta > 0) {
    s.inactiveRun[0] = 0;
    return;
  }
  if (++s.inactiveRun[0] < c.unit.psbnPatience) return;
  s.inactiveRun[0] = 0;
  p[1] = c.unit.psbnMargin * Math.abs(gamma) - top;
}
