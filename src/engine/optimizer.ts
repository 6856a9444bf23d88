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
  const p = c.p, g = c.g, n = c.nParams;
  const lr = c.lr[t];
  const wd = c.weightDecay;
  const kind = c.optimizer;
  if (kind === OPT_SGD) {
    for (let k = 0; k < n; k++) p[k] -= lr * (g[k] + wd * p[k]);
  } else if (kind === OPT_MOMENTUM) {
    const mom = c.momentum, buf = c.buf;
    for (let k = 0; k < n; k++) {
      const gk = g[k] + wd * p[k];
      const b = t + c.ageOffset === 0 ? gk : mom * buf[k] + gk;
      buf[k] = b;
      p[k] -= lr * b;
    }
  } else {
    const b1 = c.beta1, b2 = c.beta2, eps = c.adamEps, m = c.m, v = c.v;
    const age = t + c.ageOffset;
    const stepSize = lr / (1 - Math.pow(b1, age + 1));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, age + 1));
    const decoupled = kind === OPT_ADAMW;
    for (let k = 0; k < n; k++) {
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
