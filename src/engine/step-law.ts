import { normalPdf } from "../stats/special.ts";
import { E0, E1, M0, M1, M2, writeGradientMoments } from "../theory/gradient-moments.ts";

/**
 * The reduced model's step law as functions of r = beta / |gamma| (docs/reduced-model.md), for
 * gamma > 0 (gamma < 0 flips the sign of e1 and l21):
 *
 *   mean gradient   signal (e1, e0)
 *   noise           (sigma / sqrt B) L z,  L = [[l11, 0], [l21, l22]],  L L^T = [[m2, m1], [m1, m0]]
 *
 * with the moments of src/theory/gradient-moments.ts. The step loop reads them from cubic Hermite
 * tables (value and exact derivative at every node of a grid of step 1/512 over [-8, 8]), which
 * takes the place of two square roots, a division and two evaluations of Phi/phi per step.
 * The tables agree with exactStepLaw to ~1e-13 (test/step-law.test.ts); outside [-8, 8] the loop
 * calls exactStepLaw itself.
 */
export const LAW_LIMIT = 8;
export const LAW_PER_UNIT = 512;
export const LAW_NODES = 2 * LAW_LIMIT * LAW_PER_UNIT + 1;
const H = 1 / LAW_PER_UNIT;

const moments = new Float64Array(5);

/** Slots of exactStepLaw's output. */
export const LAW_E0 = 0, LAW_E1 = 1, LAW_L11 = 2, LAW_L21 = 3, LAW_L22 = 4;

/**
 * Writes [e0, e1, l11, l21, l22] at r for gamma > 0 and activation slope alpha below the kink, and,
 * if `slopes` is given, their derivatives in r (P' = phi, phi' = -r phi, and the chain rule through
 * the Cholesky factor). Square roots of rounding-level negative values are taken as 0.
 */
export function exactStepLaw(r: number, alpha: number, out: Float64Array, slopes?: Float64Array): void {
  const mo = moments;
  writeGradientMoments(r, alpha, 1, mo);
  const m0 = mo[M0], m1 = mo[M1], m2 = mo[M2];
  const l11 = m2 > 0 ? Math.sqrt(m2) : 0;
  const l21 = l11 > 0 ? m1 / l11 : 0;
  const rest = m0 - l21 * l21;
  const l22 = rest > 0 ? Math.sqrt(rest) : 0;
  out[LAW_E0] = mo[E0];
  out[LAW_E1] = mo[E1];
  out[LAW_L11] = l11;
  out[LAW_L21] = l21;
  out[LAW_L22] = l22;
  if (!slopes) return;
  // d/dr of the moments: Phi' = phi, phi' = -r phi, (Phi - r phi)' = r^2 phi
  const a2 = alpha * alpha, q = normalPdf(r), dq = -r * q;
  const dm0 = (1 - a2) * q, dm1 = (1 - a2) * dq, dm2 = (1 - a2) * r * r * q;
  const dl11 = l11 > 0 ? dm2 / (2 * l11) : 0;
  const dl21 = l11 > 0 ? (dm1 - l21 * dl11) / l11 : 0;
  slopes[LAW_E0] = (1 - alpha) * q;
  slopes[LAW_E1] = (1 - alpha) * dq;
  slopes[LAW_L11] = dl11;
  slopes[LAW_L21] = dl21;
  slopes[LAW_L22] = l22 > 0 ? (dm0 - 2 * l21 * dl21) / (2 * l22) : 0;
}

/**
 * Hermite data of the noise factor: per node k, at 6k .. 6k + 5,
 * [l11, h l11', l21, h l21', l22, h l22'] (derivatives pre-multiplied by the grid step).
 */
export interface StepLawTables {
  noise: Float64Array;
  /** per node, at 4k .. 4k + 3: [e0, h e0', e1, h e1'] */
  mean: Float64Array;
}

const cache = new Map<number, StepLawTables>();

/** The tables for activation slope alpha (built once per alpha and thread, about 10 ms). */
export function stepLawTables(alpha: number): StepLawTables {
  let t = cache.get(alpha);
  if (t) return t;
  const noise = new Float64Array(6 * LAW_NODES), mean = new Float64Array(4 * LAW_NODES);
  const v = new Float64Array(5), d = new Float64Array(5);
  for (let k = 0; k < LAW_NODES; k++) {
    exactStepLaw(-LAW_LIMIT + k * H, alpha, v, d);
    noise.set([v[LAW_L11], H * d[LAW_L11], v[LAW_L21], H * d[LAW_L21], v[LAW_L22], H * d[LAW_L22]], 6 * k);
    mean.set([v[LAW_E0], H * d[LAW_E0], v[LAW_E1], H * d[LAW_E1]], 4 * k);
  }
  t = { noise, mean };
  cache.set(alpha, t);
  return t;
}
