import { lnGamma } from "./special.ts";

/**
 * Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), a > 0, x >= 0.
 * The series converges fast for x < a + 1, the continued fraction (modified Lentz) for x >= a + 1;
 * each is used where it converges and the other tail is one minus it, so the smaller tail keeps its
 * relative accuracy (~1e-14).
 */
export function regularizedGammaP(a: number, x: number): number {
  return gammaTails(a, x)[0];
}

export function regularizedGammaQ(a: number, x: number): number {
  return gammaTails(a, x)[1];
}

/** Upper tail of the chi-square distribution with `dof` degrees of freedom: P(X >= x). */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
}

function gammaTails(a: number, x: number): [number, number] {
  if (Number.isNaN(a) || Number.isNaN(x) || !(a > 0) || x < 0) return [NaN, NaN];
  if (x === 0) return [0, 1];
  if (x === Infinity) return [1, 0];
  const prefix = Math.exp(a * Math.log(x) - x - lnGamma(a));
  if (x < a + 1) {
    const p = prefix * lowerSeries(a, x);
    return [p, 1 - p];
  }
  const q = prefix * upperFraction(a, x);
  return [1 - q, q];
}

/** sum_n x^n / (a (a+1) ... (a+n)), so that P = prefix * sum. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 1000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
  }
  return sum;
}

/** 1 / (x + 1 - a - 1 (1 - a) / (x + 3 - a - ...)), so that Q = prefix * fraction. */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}
