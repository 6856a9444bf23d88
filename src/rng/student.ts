import { normal } from "./normal.ts";
import { uniformOpen0, type RngState } from "./xoshiro.ts";

/** Gamma(shape, 1) variate for shape >= 1 (Marsaglia & Tsang 2000). */
export function gammaVariate(s: RngState, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal(s);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen0(s);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Student-t variate with nu > 2 degrees of freedom, scaled to unit variance:
 * T = Z / sqrt(W / nu), W ~ chi^2(nu) = 2 Gamma(nu/2), and Var T = nu / (nu - 2).
 * `scale` must be sqrt((nu - 2) / nu), passed in so it is computed once per run.
 */
export function studentUnitVariance(s: RngState, nu: number, scale: number): number {
  const z = normal(s);
  const w = 2 * gammaVariate(s, 0.5 * nu);
  return (scale * z) / Math.sqrt(w / nu);
}
