import { OPT_ADAMW, type Compiled, type PhaseConstants } from "./compiled.ts";
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
 * psBN as FixMatch-pytorch's PSBatchNorm2d implements it (docs/psbn.md): y = gamma xhat + beta + alpha,
 * alpha fixed. The state holds the effective shift b = beta + alpha in p[1] (the start is beta0 + alpha,
 * src/engine/compiled.ts), so the forward pass, the gradients (d/dbeta = d/db) and the criterion are
 * BN's on b, and without weight decay a psBN run is the BN run from beta0 + alpha bit for bit. Only
 * weight decay sees beta = b - alpha: coupled L2 (sgd, momentum, adam) adds lambda (b - alpha) to the
 * gradient, written as g - lambda alpha before the optimiser adds lambda b; AdamW's decoupled step
 * b (1 - lr lambda) is moved back by lr lambda alpha after it. Reads BN's gradient from g, for every
 * unit of s; the first n parameters are updated.
 */
export function shiftedUpdate(c: Compiled, o: PhaseConstants, s: UnitState, g: Float64Array, n: number): void {
  const wd = o.weightDecay;
  if (wd === 0) {
    optimizerStep(o, s, g, n);
    return;
  }
  const p = s.p, w = c.width, alpha = c.unit.shift;
  if (o.optimizer === OPT_ADAMW) {
    const pull = o.lr[s.t] * wd * alpha;
    optimizerStep(o, s, g, n);
    for (let u = 0; u < s.active; u++) p[u * w + 1] += pull;
  } else {
    const pull = wd * alpha;
    for (let u = 0; u < s.active; u++) g[u * w + 1] -= pull;
    optimizerStep(o, s, g, n);
  }
}

/**
 * "revive", our reconstruction of the paper's psBN from its two properties (docs/psbn.md), after an update of unit 0 of s, whose batch is
 * in the scratch xhat (revive runs on the mechanistic model, one trajectory at a time). The batch of
 * that update is checked at the new parameters: if no sample is active (max_i gamma xhat_i + beta <= 0,
 * so the unit outputs zero on the whole batch and its gradients were exactly zero) for `patience`
 * updates in a row, the unit counts as saturated and beta is shifted up so that the batch's top sample
 * sits at y = margin |gamma|. Otherwise nothing changes: the unit computes the BN function of its
 * parameters. The count restarts with every trajectory and every phase (src/engine/state.ts).
 */
export function reviveShift(c: Compiled, s: UnitState): void {
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
  if (++s.inactiveRun[0] < c.unit.revivePatience) return;
  s.inactiveRun[0] = 0;
  p[1] = c.unit.reviveMargin * Math.abs(gamma) - top;
}
