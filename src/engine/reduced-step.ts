import { fillNormal } from "../rng/normal.ts";
import type { RngState } from "../rng/xoshiro.ts";
import { E0, E1, M0, M1, M2, writeGradientMomentsFast } from "../theory/gradient-moments.ts";
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
  const gamma = c.p[0], beta = c.p[1];
  const g = c.g;
  const absGamma = Math.abs(gamma);
  // gamma = 0: every y_i = beta, so beta <= 0 puts the whole batch on the negative side
  // (f'(0) is the negative side's slope); ratioOf differs only at beta = gamma = 0.
  const r = absGamma === 0 ? (beta > 0 ? Infinity : -Infinity) : beta / absGamma;
  const bound = c.sideBound;
  let e0: number, e1: number, m0: number, m1: number, m2: number;
  if (r <= -bound || r >= bound) {
    const a = r >= bound ? 1 : c.alpha;
    if (a === 0) {
      g[0] = 0;
      g[1] = 0;
      return;
    }
    e0 = a; e1 = 0; m0 = a * a; m1 = 0; m2 = m0;
  } else {
    const mo = c.moments;
    writeGradientMomentsFast(r, c.alpha, gamma > 0 ? 1 : -1, mo);
    e0 = mo[E0]; e1 = mo[E1]; m0 = mo[M0]; m1 = mo[M1]; m2 = mo[M2];
  }
  let noiseG = 0, noiseB = 0;
  const sc = c.noiseScale;
  if (sc !== 0) {
    // Cholesky factor of [[m2, m1], [m1, m0]], guarded against rounding at the tails
    // normals come from a pool refilled 256 at a time: the same sequence as drawing two per step
    const pool = c.normalPool;
    if (c.poolNext + 2 > pool.length) {
      fillNormal(s, pool, pool.length);
      c.poolNext = 0;
    }
    const z1 = pool[c.poolNext], z2 = pool[c.poolNext + 1];
    c.poolNext += 2;
    const l11 = m2 > 0 ? Math.sqrt(m2) : 0;
    const l21 = l11 > 0 ? m1 / l11 : 0;
    const rest = m0 - l21 * l21;
    const l22 = rest > 0 ? Math.sqrt(rest) : 0;
    const k = c.noisePerSqrtBatch;
    noiseG = k * (l11 * z1);
    noiseB = k * (l21 * z1 + l22 * z2);
  }
  const mu = c.signal;
  g[0] = mu * e1 + noiseG;
  g[1] = mu * e0 + noiseB;
}
