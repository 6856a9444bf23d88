import { OPT_ADAMW, OPT_MOMENTUM, OPT_SGD, type PhaseConstants } from "./compiled.ts";
import type { UnitState } from "./state.ts";

/**
 * One update of parameters 0 .. n - 1 of s from the gradient g, PyTorch semantics (docs/model.md section
 * 3), for every unit of the state at once. The learning rate is the phase's at update s.t; the
 * optimiser's age (s.age, updates since its state was last reset) decides momentum's first step (the
 * buffer starts as the first gradient) and Adam's bias corrections (age + 1).
 */
export function optimizerStep(o: PhaseConstants, s: UnitState, g: Float64Array, n: number): void {
  const p = s.p, buf = s.buf, m = s.m, v = s.v;
  const lr = o.lr[s.t];
  const wd = o.weightDecay;
  const kind = o.optimizer;
  if (kind === OPT_SGD) {
    for (let k = 0; k < n; k++) p[k] -= lr * (g[k] + wd * p[k]);
  } else if (kind === OPT_MOMENTUM) {
    const mom = o.momentum;
    const first = s.age === 0;
    for (let k = 0; k < n; k++) {
      const gk = g[k] + wd * p[k];
      const b = first ? gk : mom * buf[k] + gk;
      buf[k] = b;
      p[k] -= lr * b;
    }
  } else {
    const b1 = o.beta1, b2 = o.beta2, eps = o.adamEps;
    const age = s.age;
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
