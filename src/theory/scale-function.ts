import { exp, log, log1p } from "../stats/det-math.ts";
import { xCoefficientsAt } from "./diffusion.ts";
import { gaussLegendre01 } from "./gauss-rules.ts";
import type { MomentsKind } from "./moments-choice.ts";

const RULE = 8;

/**
 * P(the 1-D diffusion of x = asinh(r), in its intrinsic time, reaches x[0] before x[n-1]) at every node
 * of the increasing grid x, by the scale function (docs/theory.md section 5):
 *
 *   u(x) = int_x^{x_R} S'(y) dy / int_{x_0}^{x_R} S'(y) dy,   S'(y) = exp(-int_{x_0}^y 2 b(z) / a(z) dz)
 *
 * with b, a the drift and variance of x. Nothing is solved: two nested Gauss-Legendre rules per grid cell
 * give ln S' and the cell integrals of S', and the ratio is formed in log space, so the result stays
 * accurate where a and b both vanish (the dead cone's edge, where 2 b / a stays finite while a ~ 1e-16).
 * The coefficients are evaluated at interior quadrature points only, never at the barrier itself.
 */
export function eventualHitProbability(x: Float64Array, alpha: number, batch: number, moments: MomentsKind): Float64Array {
  const n = x.length;
  const g = gaussLegendre01(RULE);
  const m = new Float64Array(5), c = new Float64Array(2);
  const ratio = (y: number): number => {
    xCoefficientsAt(y, alpha, batch, moments, m, c);
    return (2 * c[0]) / c[1];
  };
  // lnS[i] = ln S'(x_i); lnJ[i] = ln int_{x_i}^{x_{i+1}} S'
  const lnS = new Float64Array(n), lnJ = new Float64Array(n);
  const inner = new Float64Array(RULE);
  for (let i = 0; i < n - 1; i++) {
    const h = x[i + 1] - x[i];
    let whole = 0;
    for (let j = 0; j < RULE; j++) whole += g.w[j] * ratio(x[i] + h * g.x[j]);
    whole *= h;
    // ln S' at each outer node y_j = x_i + h g.x[j]: lnS[i] - int_{x_i}^{y_j} 2b/a (inner rule on [x_i, y_j])
    let peak = -Infinity;
    for (let j = 0; j < RULE; j++) {
      const len = h * g.x[j];
      let part = 0;
      for (let k = 0; k < RULE; k++) part += g.w[k] * ratio(x[i] + len * g.x[k]);
      inner[j] = lnS[i] - part * len;
      if (inner[j] > peak) peak = inner[j];
    }
    let sum = 0;
    for (let j = 0; j < RULE; j++) sum += g.w[j] * exp(inner[j] - peak);
    lnJ[i] = peak + log(sum * h);
    lnS[i + 1] = lnS[i] - whole;
  }
  // ln int_{x_i}^{x_R} S', from the right, by log-sum-exp
  const lnU = new Float64Array(n);
  lnU[n - 1] = -Infinity;
  for (let i = n - 2; i >= 0; i--) lnU[i] = logAddExp(lnJ[i], lnU[i + 1]);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = exp(lnU[i] - lnU[0]);
  return u;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}
