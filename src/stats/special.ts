// Special functions needed by the interval and survival code: log-gamma,
// the regularized incomplete beta function and its inverse, and the standard
// normal density, distribution function and quantile.

const LN_SQRT_2PI = 0.9189385332046727417803297; // ln(sqrt(2*pi))
const INV_SQRT_2PI = 0.3989422804014326779399461; // 1/sqrt(2*pi)
const DBL_EPS = 2.220446049250313e-16;

/** Phi^{-1}(0.975): the normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

// Lanczos approximation with g = 7 and nine terms (Godfrey's coefficients);
// relative error of Gamma about 1e-15 for positive arguments.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln|Gamma(x)|. Uses the reflection formula for x < 0.5; +Infinity at the poles 0, -1, -2, ... */
export function lnGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Infinity;
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Continued fraction for I_x(a, b) (Abramowitz & Stegun 26.5.8):
 *   I_x(a,b) = x^a (1-x)^b / (a B(a,b)) * 1 / (1 + c1 / (1 + c2 / (1 + ...)))
 * with c_{2m}   =  m (b - m) x / ((a + 2m - 1)(a + 2m))
 *      c_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
 * Evaluated with the modified Lentz method; returns the value of the bracketed
 * fraction 1 / (1 + c1 / (1 + ...)). Converges fast for x < (a + 1) / (a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const maxTerms = 1000 + Math.ceil(50 * Math.sqrt(Math.max(a, b)));
  // Lentz: f = b0 + a1/(b1 + a2/(b2 + ...)) with b0 = 0, a1 = 1, b_n = 1, a_{n+1} = c_n.
  let f = tiny;
  let C = f;
  let D = 0;
  for (let n = 0; n < maxTerms; n++) {
    let coef: number;
    if (n === 0) {
      coef = 1;
    } else if (n % 2 === 0) {
      const m = n / 2;
      coef = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    } else {
      const m = (n - 1) / 2;
      coef = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    }
    D = 1 + coef * D;
    if (Math.abs(D) < tiny) D = tiny;
    C = 1 + coef / C;
    if (Math.abs(C) < tiny) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) <= DBL_EPS) break;
  }
  return f;
}

// Above this argument the Stirling series below is accurate to < 3e-16.
const STIRLING_MIN = 15;

/** Stirling-series remainder: lnGamma(z) - [(z - 1/2) ln z - z + ln sqrt(2 pi)], for z >= STIRLING_MIN. */
function stirlingCorrection(z: number): number {
  const r = 1 / (z * z);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / z;
}

/**
 * ln[x^a (1 - x)^b / B(a, b)] for 0 < x < 1. Written so that large a and/or b
 * do not lose precision in the difference of big log-gamma values: a naive
 * lnGamma(a + b) - lnGamma(a) - lnGamma(b) loses ~1e-9 relative at a + b ~ 1e6.
 */
function lnBetaPrefix(x: number, a: number, b: number): number {
  if (a >= STIRLING_MIN && b >= STIRLING_MIN) {
    // x^a (1-x)^b / B(a,b) = sqrt(ab / (2 pi (a+b))) (x/mu)^a ((1-x)/(1-mu))^b e^{-corrections}
    // with mu = a / (a + b). Near the mode, writing x/mu = 1 + d/a and
    // (1-x)/(1-mu) = 1 - d/b with d = x (a + b) - a makes the two big terms
    // cancel analytically; far from it (1 + d/a or 1 - d/b small) plain logs are
    // more accurate.
    const d = x * b - (1 - x) * a;
    const termA = d / a > -0.5 ? a * Math.log1p(d / a) : a * (Math.log(x) + Math.log1p(b / a));
    const termB = d / b < 0.5 ? b * Math.log1p(-d / b) : b * (Math.log1p(-x) + Math.log1p(a / b));
    return (
      termA +
      termB +
      0.5 * (Math.log(a) + Math.log(b) - Math.log(a + b)) -
      LN_SQRT_2PI -
      (stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(a + b))
    );
  }
  if (b >= STIRLING_MIN) {
    // lnGamma(a + b) - lnGamma(b) via Stirling, for small a and large b.
    return (
      a * Math.log(x * (a + b)) +
      b * Math.log1p(-x) +
      (b - 0.5) * Math.log1p(a / b) -
      a -
      lnGamma(a) -
      stirlingCorrection(b) +
      stirlingCorrection(a + b)
    );
  }
  if (a >= STIRLING_MIN) {
    return (
      b * (Math.log1p(-x) + Math.log(a + b)) +
      a * Math.log(x) +
      (a - 0.5) * Math.log1p(b / a) -
      b -
      lnGamma(b) -
      stirlingCorrection(a) +
      stirlingCorrection(a + b)
    );
  }
  return a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b);
}

// Largest integer parameter for which upperTailIntegerA is used.
const FINITE_SUM_MAX = 10000;

/**
 * 1 - I_x(a, b) for a positive integer a, as the finite negative-binomial sum
 *   (1 - x)^b * sum_{j < a} (b)_j x^j / j!,
 * given prefix = x^a (1 - x)^b / B(a, b). The continued fraction evaluated at an
 * argument 1 - x close to 1 cancels badly (relative error ~1e-11 for b ~ 1e6,
 * a small); this sum of positive terms does not. Meant for x at or above the
 * mean, where the terms fall as j falls.
 */
function upperTailIntegerA(x: number, a: number, b: number, prefix: number): number {
  // The j = a - 1 term is prefix / (x (a + b - 1)); step down with
  // term_{j-1} / term_j = j / ((b + j - 1) x), which shrinks as j falls.
  let term = 1;
  let sum = 1;
  for (let j = a - 1; j >= 1; j--) {
    const ratio = j / ((b + j - 1) * x);
    term *= ratio;
    sum += term;
    // Once the ratio is below 1 the rest is bounded by a geometric tail.
    if (ratio < 1 && term * ratio < 1e-17 * sum * (1 - ratio)) break;
  }
  return (prefix / (x * (a + b - 1))) * sum;
}

/**
 * [I_x(a, b), 1 - I_x(a, b)], both with good relative precision: one of them is
 * computed directly and (unless a or b is tiny) is not close to 1, so the other,
 * formed as 1 minus it, loses little. Use the fraction directly where it converges quickly, otherwise
 * the symmetry I_x(a, b) = 1 - I_{1-x}(b, a); integer parameters get the exact
 * finite sum where the fraction's argument would be close to 1.
 */
function betaTails(x: number, a: number, b: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (x >= 1) return [1, 0];
  const prefix = Math.exp(lnBetaPrefix(x, a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower =
      x > 0.5 && Number.isInteger(b) && b <= FINITE_SUM_MAX
        ? upperTailIntegerA(1 - x, b, a, prefix)
        : (prefix * betaContinuedFraction(x, a, b)) / a;
    return [lower, 1 - lower];
  }
  const upper =
    x < 0.5 && Number.isInteger(a) && a <= FINITE_SUM_MAX
      ? upperTailIntegerA(x, a, b, prefix)
      : (prefix * betaContinuedFraction(1 - x, b, a)) / b;
  return [1 - upper, upper];
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0.
 * The smaller of I and 1 - I has ~1e-14 relative accuracy. The exception is a
 * non-integer parameter that is tiny next to the other (ratio >~ 1e4): there the
 * tail on the long side is only good to ~1e-10 (integer parameters, as in
 * binomial intervals, are exact via a finite sum).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return NaN;
  return betaTails(x, a, b)[0];
}

/** Bisection point of a bracket inside [0, 1/2] or [1/2, 1], geometric in the distance to the nearer end. */
function bisect(lo: number, hi: number): number {
  if (hi <= 0.5) return lo > 0 ? Math.sqrt(lo * hi) : hi * 1e-10;
  const near = 1 - hi;
  const far = 1 - lo;
  return 1 - (near > 0 ? Math.sqrt(near * far) : far * 1e-10);
}

/**
 * Root of I_x(a, b) = p inside the bracket (lo, hi), starting from the guess x;
 * q = 1 - p. The equation is written on the side of the smaller probability
 * (I_x = p, or 1 - I_x = q, with q exact when p > 1/2) so no digits are lost.
 * Safeguarded Newton: a Newton step is taken when it stays inside the current
 * bracket and the steps keep shrinking, otherwise the bracket is bisected.
 */
function solveBeta(a: number, b: number, p: number, q: number, lo: number, hi: number, x: number): number {
  const useUpper = p > 0.5;
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  let prevStep = Infinity;
  let prevPrevStep = Infinity;
  for (let iter = 0; iter < 400; iter++) {
    const [lower, upper] = betaTails(x, a, b);
    const f = useUpper ? q - upper : lower - p; // increasing in x
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const lnPdf = lnBetaPrefix(x, a, b) - Math.log(x) - Math.log1p(-x);
    const newton = x - f / Math.exp(lnPdf);
    if (newton === x) return x; // correction below the spacing of doubles
    const newtonStep = Math.abs(newton - x);
    const inBracket = newton > lo && newton < hi;
    // Newton converges quadratically, so once its step is this small the point it
    // lands on is accurate to the noise level of I_x itself (or, near 1, to the
    // spacing of doubles).
    if (inBracket && newtonStep <= Math.max(1e-12 * Math.min(newton, 1 - newton), 2 * DBL_EPS * newton)) {
      return newton;
    }
    // rtsafe-style: accept Newton only inside the bracket and when the steps
    // shrink at least by half every two iterations, else bisect.
    let next = inBracket && newtonStep <= 0.5 * prevPrevStep ? newton : bisect(lo, hi);
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (!(next > lo && next < hi)) return next; // bracket down to adjacent doubles
    prevPrevStep = prevStep;
    prevStep = Math.abs(next - x);
    x = next;
  }
  return x;
}

/** Starting point for solveBeta: the normal approximation, or the x^a law near 0. */
function betaGuess(p: number, a: number, b: number): number {
  if (a >= 5 && b >= 5) {
    const mean = a / (a + b);
    const sd = Math.sqrt((mean * (1 - mean)) / (a + b + 1));
    return mean + normalQuantile(p) * sd;
  }
  // near 0, I_x(a, b) ~ x^a / (a B(a, b))
  return Math.exp((Math.log(p) + Math.log(a) + lnBeta(a, b)) / a);
}

/**
 * Quantile of the Beta(a, b) distribution: the x in [0, 1] with I_x(a, b) = p.
 * Relative accuracy ~1e-13 in min(x, 1 - x) for moderate a, b, limited by
 * I_x itself (and near 1 by the spacing of doubles).
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(a > 0) || !(b > 0)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const q = 1 - p;
  const [lowerHalf, upperHalf] = betaTails(0.5, a, b);
  const rootBelowHalf = p <= 0.5 ? p <= lowerHalf : q >= upperHalf;
  const guess = p <= 0.5 ? betaGuess(p, a, b) : 1 - betaGuess(q, b, a);
  return rootBelowHalf ? solveBeta(a, b, p, q, 0, 0.5, guess) : solveBeta(a, b, p, q, 0.5, 1, guess);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  const y = Math.abs(x);
  if (y > 40) return 0;
  // exp(-y^2/2) with y^2 split into an exactly representable part and a small
  // correction, which keeps the relative accuracy in the tails.
  const head = Math.trunc(y * 16) / 16;
  const del = (y - head) * (y + head);
  return INV_SQRT_2PI * Math.exp(-0.5 * head * head) * Math.exp(-0.5 * del);
}

// Cody (1969), "Rational Chebyshev approximations for the error function",
// in the form of his ANORM routine for the normal distribution directly
// (as in R's pnorm), which avoids the rounding of x / sqrt(2).
const NA = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249,
  0.065682337918207449113,
];
const NB = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const NC = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
  2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
  1.0765576773720192317e-8,
];
const ND = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
  18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const NP = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
  2.9112874951168792e-5, 0.02307344176494017303,
];
const NQ = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
  7.29751555083966205e-5,
];

/**
 * Standard normal distribution function Phi(x), with ~1e-15 relative accuracy
 * for both Phi(x) and, through symmetry, 1 - Phi(x) = Phi(-x), including the
 * far tails (Phi(-37.5) ~ 5e-308; underflows to 0 below about -38.5).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.66291) {
    const ysq = y > 1.11e-16 ? x * x : 0;
    let num = NA[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + NA[i]) * ysq;
      den = (den + NB[i]) * ysq;
    }
    return 0.5 + (x * (num + NA[3])) / (den + NB[3]);
  }
  let ratio: number; // Phi(-y) / exp(-y^2 / 2)
  if (y <= 5.656854249492380195) {
    let num = NC[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + NC[i]) * y;
      den = (den + ND[i]) * y;
    }
    ratio = (num + NC[7]) / (den + ND[7]);
  } else {
    if (y > 40) return x > 0 ? 1 : 0;
    const r = 1 / (x * x);
    let num = NP[5] * r;
    let den = r;
    for (let i = 0; i < 4; i++) {
      num = (num + NP[i]) * r;
      den = (den + NQ[i]) * r;
    }
    ratio = (INV_SQRT_2PI - (r * (num + NP[4])) / (den + NQ[4])) / y;
  }
  const head = Math.trunc(y * 16) / 16;
  const del = (y - head) * (y + head);
  const tail = Math.exp(-0.5 * head * head) * Math.exp(-0.5 * del) * ratio;
  return x > 0 ? 1 - tail : tail;
}

// Acklam's rational approximation to the normal quantile (relative error < 1.15e-9).
const QA = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile Phi^{-1}(p): Acklam's approximation followed by one
 * Halley step against normalCdf, giving close to full double precision.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Work in the lower half, where p carries full relative precision; 1 - p is
  // exact for p >= 0.5.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) /
      ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) /
      (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
  }
  const pdf = normalPdf(x);
  if (pdf > 0) {
    const u = (normalCdf(x) - p) / pdf;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}
