import { fillNormal } from "../rng/normal.ts";
import type { RngState } from "../rng/xoshiro.ts";
import { tableNormalCdf, tableNormalPdf } from "../stats/normal-table.ts";
import type { CompiledUnit } from "./compiled.ts";

/**
 * The reduced model's gradient (docs/reduced-model.md): writes into c.g one draw of
 *
 *   (dL/dgamma, dL/dbeta) ~ N(signal (e1, e0), (sigma^2 / B) [[m2, m1], [m1, m0]])
 *
 * with the moments of src/theory/gradient-moments.ts at the current r = beta / |gamma|, in place of a
 * batch. Where every batch lies on one side of the kink (|r| >= sqrt(B - 1), since
 * |xhat_i| < sqrt(B - 1)), the mechanistic law is known exactly and is used instead: every sample has
 * the same slope a (1 above, alpha below), so the moments are (a, 0, a^2, 0, a^2). For ReLU below
 * that is the dead region: zero mean, zero noise, no draws.
 */
export function reducedGradients(c: CompiledUnit, s: RngState): void {
  c.laneStates[0] = s;
  reducedGradientsOnLanes(c, c.laneStates, c.lanePools, c.laneNext, c.p, c.g, 1);
}

/**
 * The same for n trajectories side by side (src/engine/reduced-lanes.ts): lane l reads (gamma, beta)
 * at p[2l], p[2l + 1], writes g[2l], g[2l + 1], and takes its normals from pools[l] starting at
 * next[l] (refilling the whole pool from states[l] when it runs out; the same sequence as drawing two
 * per step). One loop over the lanes, so that the lanes' independent steps overlap in the processor.
 */
export function reducedGradientsOnLanes(
  c: CompiledUnit,
  states: RngState[],
  pools: Float64Array[],
  next: Int32Array,
  p: Float64Array,
  g: Float64Array,
  n: number,
): void {
  const bound = c.sideBound, alpha = c.alpha, a2 = alpha * alpha;
  const noisy = c.noiseScale !== 0, k = c.noisePerSqrtBatch, mu = c.signal;
  for (let l = 0; l < n; l++) {
    const gamma = p[2 * l], beta = p[2 * l + 1];
    const absGamma = Math.abs(gamma);
    // gamma = 0: every y_i = beta, so beta <= 0 puts the whole batch on the negative side
    // (f'(0) is the negative side's slope); ratioOf differs only at beta = gamma = 0.
    const r = absGamma === 0 ? (beta > 0 ? Infinity : -Infinity) : beta / absGamma;
    let e0: number, e1: number, m0: number, m1: number, m2: number;
    if (r <= -bound || r >= bound) {
      const a = r >= bound ? 1 : alpha;
      if (a === 0) {
        g[2 * l] = 0;
        g[2 * l + 1] = 0;
        continue;
      }
      e0 = a; e1 = 0; m0 = a * a; m1 = 0; m2 = m0;
    } else {
      // the moments of src/theory/gradient-moments.ts, from P = Phi(r) and q = phi(r)
      const P = tableNormalCdf(r), q = tableNormalPdf(r), sign = gamma > 0 ? 1 : -1;
      const activeX2 = P - r * q;
      e0 = P + alpha * (1 - P);
      e1 = sign * (1 - alpha) * q;
      m0 = P + a2 * (1 - P);
      m1 = sign * (1 - a2) * q;
      m2 = activeX2 + a2 * (1 - activeX2);
    }
    let noiseG = 0, noiseB = 0;
    if (noisy) {
      const pool = pools[l];
      let at = next[l];
      if (at + 2 > pool.length) {
        fillNormal(states[l], pool, pool.length);
        at = 0;
      }
      const z1 = pool[at], z2 = pool[at + 1];
      next[l] = at + 2;
      // Cholesky factor of [[m2, m1], [m1, m0]], guarded against rounding at the tails
      const l11 = m2 > 0 ? Math.sqrt(m2) : 0;
      const l21 = l11 > 0 ? m1 / l11 : 0;
      const rest = m0 - l21 * l21;
      const l22 = rest > 0 ? Math.sqrt(rest) : 0;
      noiseG = k * (l11 * z1);
      noiseB = k * (l21 * z1 + l22 * z2);
    }
    g[2 * l] = mu * e1 + noiseG;
    g[2 * l + 1] = mu * e0 + noiseB;
  }
}
