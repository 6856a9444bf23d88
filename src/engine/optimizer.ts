import { OPT_ADAM, OPT_ADAMW, OPT_MOMENTUM, OPT_SGD, type CompiledUnit } from "./compiled.ts";

/** Clears the optimiser state before a trajectory (or a phase that resets it). */
export function resetOptimizerState(c: CompiledUnit): void {
  c.buf.fill(0);
  c.m.fill(0);
  c.v.fill(0);
}

/**
 * One update of every parameter from the gradient in c.g, PyTorch semantics (MODEL.md section 3).
 * `t` counts updates from 0 within the optimiser's life: the momentum buffer starts as the first
 * gradient, and Adam's bias corrections use t + 1. With phases that keep the optimiser's state, the
 * life started c.ageOffset updates before this phase's t = 0 (c.lr is indexed by the phase's own t).
 */
export function optimizerStep(c: CompiledUnit, t: number): void {
  optimizerStepAt(c, t, c.p, c.g, c.buf, c.m, c.v, 0, c.nParams);
}

/**
 * The same update of entries [from, from + n) of parameter, gradient and state vectors that c does not
 * own: the reduced model's lanes (src/engine/reduced-lanes.ts) keep many trajectories side by side in
 * one vector and update them all in one call.
 */
export function optimizerStepAt(
  c: CompiledUnit,
  t: number,
  p: Float64Array,
  g: Float64Array,
  buf: Float64Array,
  m: Float64Array,
  v: Float64Array,
  from: number,
  n: number,
): void {
  const lr = c.lr[t];
  const wd = c.weightDecay;
  const kind = c.optimizer;
  const end = from + n;
  if (kind === OPT_SGD) {
    for (let k = from; k < end; k++) p[k] -= lr * (g[k] + wd * p[k]);
  } else if (kind === OPT_MOMENTUM) {
    const mom = c.momentum;
    const first = t + c.ageOffset === 0;
    for (let k = from; k < end; k++) {
      const gk = g[k] + wd * p[k];
      const b = first ? gk : mom * buf[k] + gk;
      buf[k] = b;
      p[k] -= lr * b;
    }
  } else {
    const b1 = c.beta1, b2 = c.beta2, eps = c.adamEps;
    const age = t + c.ageOffset;
    const stepSize = lr / (1 - Math.pow(b1, age + 1));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, age + 1));
    const decoupled = kind === OPT_ADAMW;
    for (let k = from; k < end; k++) {
      let pk = p[k];
      let gk = g[k];
      if (decoupled) pk *= 1 - lr * wd;
      else gk += wd * pk;
      const mk = m[k] + (1 - b1) * (gk - m[k]); // torch's lerp form
      const vk = v[k] * b2 + (1 - b2) * gk * gk;
      m[k] = mk;
      v[k] = vk;
      p[k] = pk - (stepSize * mk) / (Math.sqrt(vk) / bc2Sqrt + eps);
    }
  }
}

export { OPT_ADAM, OPT_ADAMW, OPT_MOMENTUM, OPT_SGD };
