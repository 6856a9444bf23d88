import { cos, pow, PI } from "../stats/det-math.ts";

/**
 * Gauss quadrature rules, computed once per size and kept: Gauss-Legendre on [0, 1] and the
 * probabilists' Gauss-Hermite rule (weight the standard normal density, weights summing to 1).
 * Nodes by Newton's method on the three-term recurrences; both are accurate to ~1e-15.
 */
export interface GaussRule {
  x: Float64Array;
  w: Float64Array;
}

const legendre = new Map<number, GaussRule>();
const hermite = new Map<number, GaussRule>();

/** n-point Gauss-Legendre rule on [0, 1]. */
export function gaussLegendre01(n: number): GaussRule {
  let rule = legendre.get(n);
  if (rule) return rule;
  rule = { x: new Float64Array(n), w: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    let z = cos((PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p1 = 1, p0 = 0;
      for (let j = 1; j <= n; j++) {
        const p2 = p0;
        p0 = p1;
        p1 = ((2 * j - 1) * z * p0 - (j - 1) * p2) / j;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    rule.x[i] = (1 - z) / 2;
    rule.w[i] = 1 / ((1 - z * z) * dp * dp);
  }
  legendre.set(n, rule);
  return rule;
}

/** n-point Gauss-Hermite rule for E[f(Z)], Z ~ N(0, 1): sum_i w_i f(x_i), sum_i w_i = 1. */
export function gaussHermiteNormal(n: number): GaussRule {
  let rule = hermite.get(n);
  if (rule) return rule;
  // physicists' nodes (weight e^{-t^2}) from the orthonormal recurrence, then t -> sqrt(2) t
  const t = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // starting guesses of Numerical Recipes' gauher, largest root first
    let z: number;
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * pow(2 * n + 1, -1 / 6);
    else if (i === 1) z = t[0] - (1.14 * pow(n, 0.426)) / t[0];
    else if (i === 2) z = 1.86 * t[1] - 0.86 * t[0];
    else if (i === 3) z = 1.91 * t[2] - 0.91 * t[1];
    else z = 2 * t[i - 1] - t[i - 2];
    let dp = 1;
    for (let it = 0; it < 200; it++) {
      let p1 = pow(PI, -0.25), p0 = 0;
      for (let j = 1; j <= n; j++) {
        const p2 = p0;
        p0 = p1;
        p1 = z * Math.sqrt(2 / j) * p0 - Math.sqrt((j - 1) / j) * p2;
      }
      dp = Math.sqrt(2 * n) * p0;
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    t[i] = z;
    w[i] = 2 / (dp * dp);
  }
  rule = { x: new Float64Array(n), w: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    rule.x[i] = Math.SQRT2 * t[n - 1 - i];
    rule.w[i] = w[n - 1 - i] / Math.sqrt(PI);
  }
  hermite.set(n, rule);
  return rule;
}
