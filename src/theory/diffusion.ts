import { sinh } from "../stats/det-math.ts";
import { M0, M1, M2 } from "./gradient-moments.ts";
import { writeMoments, type MomentsKind } from "./moments-choice.ts";

/**
 * The diffusion approximation of plain noisy SGD (zero signal, no weight decay) in the variables
 * x = asinh(r) and rho = ln(|gamma| / |gamma0|), per unit of the intrinsic time
 * ds = kappa dt, kappa = lr^2 sigma^2 / (B gamma^2) (docs/theory.md):
 *
 *   dr   = (r m2 - m1) ds + noise,  Var = (m0 - 2 r m1 + r^2 m2) ds
 *   drho = -(m2 / 2) ds + noise,     Var = m2 ds,   Cov(dr, drho) = (m1 - r m2) ds
 *
 * Every coefficient depends on r alone, so in the intrinsic time r is an autonomous 1-D diffusion; gamma
 * only sets how fast intrinsic time runs: ds/dt = kappa0 exp(-2 rho). The asinh keeps r's far positive
 * side (where r behaves like a geometric Brownian motion) on a short grid.
 */
export interface DiffusionCoefficients {
  /** drift and variance of x, drift and variance of rho, covariance of x and rho */
  bx: Float64Array;
  axx: Float64Array;
  brho: Float64Array;
  arr: Float64Array;
  axr: Float64Array;
}

export function diffusionCoefficients(
  x: Float64Array,
  alpha: number,
  batch: number,
  moments: MomentsKind,
): DiffusionCoefficients {
  const n = x.length;
  const out: DiffusionCoefficients = {
    bx: new Float64Array(n),
    axx: new Float64Array(n),
    brho: new Float64Array(n),
    arr: new Float64Array(n),
    axr: new Float64Array(n),
  };
  const m = new Float64Array(5);
  for (let i = 0; i < n; i++) {
    const r = sinh(x[i]);
    writeMoments(moments, r, alpha, batch, m);
    const br = r * m[M2] - m[M1];
    const ar = rVariance(r, m);
    const j1 = 1 / Math.sqrt(1 + r * r); // dx/dr
    const j2 = -r * j1 * j1 * j1; // d2x/dr2
    out.bx[i] = j1 * br + 0.5 * j2 * ar;
    out.axx[i] = j1 * j1 * ar;
    out.brho[i] = -0.5 * m[M2];
    out.arr[i] = m[M2];
    out.axr[i] = j1 * (m[M1] - r * m[M2]);
  }
  return out;
}

/**
 * The drift and variance of x = asinh(r) at one point (the bx and axx of diffusionCoefficients),
 * written into out[0], out[1]; m is a scratch array of 5.
 */
export function xCoefficientsAt(x: number, alpha: number, batch: number, moments: MomentsKind, m: Float64Array, out: Float64Array): void {
  const r = sinh(x);
  writeMoments(moments, r, alpha, batch, m);
  const br = r * m[M2] - m[M1];
  const ar = rVariance(r, m);
  const j1 = 1 / Math.sqrt(1 + r * r);
  out[0] = j1 * br - 0.5 * r * j1 * j1 * j1 * ar;
  out[1] = j1 * j1 * ar;
}

/** m0 - 2 r m1 + r^2 m2, the per-kappa variance of dr, = E[a^2 (1 - r xhat)^2] >= 0 (clamped against rounding). */
export function rVariance(r: number, m: Float64Array): number {
  return Math.max(0, m[M0] - 2 * r * m[M1] + r * r * m[M2]);
}
