import { exp, log, log1p, PI } from "../stats/det-math.ts";

/**
 * The special functions the theory needs, on det-math.ts (so the same bits under every engine):
 * the standard normal density, distribution function and quantile (the algorithms of
 * src/stats/special.ts: Cody's rational approximations, Acklam's start and a Halley step), log-gamma
 * (Lanczos), and the regularised incomplete beta function (the continued fraction of Abramowitz and
 * Stegun 26.5.8 by the modified Lentz method).
 */

const INV_SQRT_2PI = 0.3989422804014326779399461;
const LN_SQRT_2PI = 0.9189385332046727417803297;

export function normalPdf(x: number): number {
  const y = x < 0 ? -x : x;
  if (y > 40) return 0;
  // exp(-y^2/2) with y^2 split into an exact part and a small one, for relative accuracy in the tails
  const head = Math.trunc(y * 16) / 16;
  return INV_SQRT_2PI * exp(-0.5 * head * head) * exp(-0.5 * (y - head) * (y + head));
}

const NA = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const NB = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const NC = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const ND = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const NP = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const NQ = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** Phi(x), ~1e-15 relative in both tails. */
export function normalCdf(x: number): number {
  if (x !== x) return NaN;
  const y = x < 0 ? -x : x;
  if (y <= 0.66291) {
    const ysq = y > 1.11e-16 ? x * x : 0;
    let num = NA[4] * ysq, den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + NA[i]) * ysq;
      den = (den + NB[i]) * ysq;
    }
    return 0.5 + (x * (num + NA[3])) / (den + NB[3]);
  }
  let ratio: number; // Phi(-y) / exp(-y^2/2)
  if (y <= 5.656854249492380195) {
    let num = NC[8] * y, den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + NC[i]) * y;
      den = (den + ND[i]) * y;
    }
    ratio = (num + NC[7]) / (den + ND[7]);
  } else {
    if (y > 40) return x > 0 ? 1 : 0;
    const r = 1 / (x * x);
    let num = NP[5] * r, den = r;
    for (let i = 0; i < 4; i++) {
      num = (num + NP[i]) * r;
      den = (den + NQ[i]) * r;
    }
    ratio = (INV_SQRT_2PI - (r * (num + NP[4])) / (den + NQ[4])) / y;
  }
  const head = Math.trunc(y * 16) / 16;
  const tail = exp(-0.5 * head * head) * exp(-0.5 * (y - head) * (y + head)) * ratio;
  return x > 0 ? 1 - tail : tail;
}

const QA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Phi^{-1}(p): Acklam's approximation and one Halley step against normalCdf. */
export function normalQuantile(p: number): number {
  if (p !== p || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * log(p));
    x = (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) / ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  } else {
    const q = p - 0.5, r = q * q;
    x = ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) / (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
  }
  const pdf = normalPdf(x);
  if (pdf > 0) {
    const u = (normalCdf(x) - p) / pdf;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x >= 0.5 (Lanczos, g = 7: ~1e-15 relative). */
export function lnGamma(x: number): number {
  if (!(x >= 0.5)) throw new RangeError(`lnGamma: x = ${x} < 0.5 is not needed here`);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * log(t) - t + log(sum);
}

export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * I_x(a, b), the regularised incomplete beta function, for a, b >= 0.5. The continued fraction
 * converges fast for x < (a + 1) / (a + b + 2); beyond, I_x(a, b) = 1 - I_{1-x}(b, a). Returns
 * [I_x(a, b), 1 - I_x(a, b)], each accurate relative to itself (so a tail of 1e-30 keeps its digits).
 */
export function incompleteBetaPair(x: number, a: number, b: number): [number, number] {
  if (!(x > 0)) return [0, 1];
  if (!(x < 1)) return [1, 0];
  const prefix = exp(a * log(x) + b * log1p(-x) - lnBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (prefix * continuedFraction(x, a, b)) / a;
    return [lower, 1 - lower];
  }
  const upper = (prefix * continuedFraction(1 - x, b, a)) / b;
  return [1 - upper, upper];
}

/** The continued fraction 1 / (1 + d1 / (1 + d2 / ...)) of A&S 26.5.8, modified Lentz. */
function continuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    // even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    // odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/** 2 pi, for the Box-Muller draws of the pre-samples. */
export const TWO_PI = 2 * PI;
