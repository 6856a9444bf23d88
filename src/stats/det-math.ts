/**
 * Elementary functions from +, -, *, / and sqrt only, so that the theory's numbers are the same bits
 * under every JavaScript engine. (Node 20's and Deno 2's V8 return different last bits for Math.exp,
 * log, sin, cos, atan, asinh, pow, ... on a small fraction of arguments; the basic operations and sqrt
 * are correctly rounded everywhere.) Accuracy: a few ulps, checked against Math in test/det-math.test.ts.
 *
 * Methods: argument reduction by a split constant (Cody and Waite), then Taylor series evaluated by
 * Horner's rule, with enough terms that the truncation is below 1e-17 on the reduced range.
 */

const LN2_HI = 6.93147180369123816490e-1; // ln 2 rounded to 32 bits: k * LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634;
export const PI = 3.141592653589793;
const PIO2_1 = 1.5707963267341256; // pi/2 in three pieces, the first two 33 bits long
const PIO2_2 = 6.077100506303966e-11;
const PIO2_3 = 2.0222662487959506e-21;
const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17;

const bits = new DataView(new ArrayBuffer(8));

/** 2^k for integer k in [-1022, 1023], exactly. */
function pow2(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** y * 2^k, k an integer. */
function scale2(y: number, k: number): number {
  while (k > 1023) {
    y *= pow2(1023);
    k -= 1023;
  }
  while (k < -1022) {
    y *= pow2(-1022);
    k += 1022;
  }
  return y * pow2(k);
}

// 1/n! for the series
const INV_FACT: number[] = [1];
for (let n = 1; n <= 24; n++) INV_FACT.push(INV_FACT[n - 1] / n);

export function exp(x: number): number {
  if (x !== x) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO; // |r| <= 0.3466
  let s = INV_FACT[14];
  for (let n = 13; n >= 0; n--) s = s * r + INV_FACT[n];
  return scale2(s, k);
}

/** e^x - 1, accurate for small x. */
export function expm1(x: number): number {
  if (x > -0.3 && x < 0.3) {
    let s = INV_FACT[16];
    for (let n = 15; n >= 1; n--) s = s * x + INV_FACT[n];
    return s * x;
  }
  return exp(x) - 1;
}

export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: make it normal
    e = -54;
  }
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  e += (hi >>> 20) - 1023;
  bits.setUint32(0, (hi & 0x000fffff) | 0x3ff00000); // mantissa m in [1, 2)
  let m = bits.getFloat64(0);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716
  const f = m - 1, s = f / (2 + f), s2 = s * s;
  let t = 1 / 23;
  for (let n = 21; n >= 1; n -= 2) t = t * s2 + 1 / n;
  return e * LN2_HI + (e * LN2_LO + 2 * s * t);
}

/** log(1 + x), accurate for small x. */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (u === Infinity) return Infinity;
  return (log(u) * x) / (u - 1);
}

/** x reduced to r in [-pi/4, pi/4] and the quadrant k mod 4, for |x| up to ~1e8. */
function reduce(x: number, out: Float64Array): void {
  const k = Math.round(x / PIO2_HI);
  out[0] = x - k * PIO2_1 - k * PIO2_2 - k * PIO2_3;
  out[1] = ((k % 4) + 4) % 4;
}

// signed series coefficients: sin r = r sum SIN[k] r^2k, cos r = sum COS[k] r^2k (|r| <= pi/4, last term
// ~1e-25), atan t = t sum ATAN[k] t^2k (|t| <= tan(pi/16), last term ~1e-26)
const SIN: number[] = [], COS: number[] = [], ATAN: number[] = [];
for (let k = 0; k <= 11; k++) {
  SIN.push((k % 2 === 0 ? 1 : -1) * INV_FACT[2 * k + 1]);
  COS.push((k % 2 === 0 ? 1 : -1) * INV_FACT[2 * k]);
}
for (let k = 0; k <= 17; k++) ATAN.push((k % 2 === 0 ? 1 : -1) / (2 * k + 1));

function series(c: readonly number[], x2: number): number {
  let s = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) s = s * x2 + c[k];
  return s;
}

function sinKernel(r: number): number {
  return r * series(SIN, r * r);
}

function cosKernel(r: number): number {
  return series(COS, r * r);
}

const reduced = new Float64Array(2);

export function sin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  reduce(x, reduced);
  const r = reduced[0], q = reduced[1];
  return q === 0 ? sinKernel(r) : q === 1 ? cosKernel(r) : q === 2 ? -sinKernel(r) : -cosKernel(r);
}

export function cos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  reduce(x, reduced);
  const r = reduced[0], q = reduced[1];
  return q === 0 ? cosKernel(r) : q === 1 ? -sinKernel(r) : q === 2 ? -cosKernel(r) : sinKernel(r);
}

export function tan(x: number): number {
  return sin(x) / cos(x);
}

/** atan on [0, 1] by two argument halvings (atan x = 2 atan(x / (1 + sqrt(1 + x^2)))) and a series. */
function atanUnit(x: number): number {
  const t1 = x / (1 + Math.sqrt(1 + x * x));
  const t = t1 / (1 + Math.sqrt(1 + t1 * t1)); // |t| <= tan(pi/16)
  return 4 * t * series(ATAN, t * t);
}

export function atan(x: number): number {
  if (x !== x) return NaN;
  const a = x < 0 ? -x : x;
  const v = a <= 1 ? atanUnit(a) : a === Infinity ? PIO2_HI : PIO2_HI - atanUnit(1 / a) + PIO2_LO;
  return x < 0 ? -v : v;
}

export function atan2(y: number, x: number): number {
  if (y !== y || x !== x) return NaN;
  if (x > 0) return atan(y / x);
  if (x < 0) return y >= 0 ? atan(y / x) + PI : atan(y / x) - PI;
  return y > 0 ? PIO2_HI : y < 0 ? -PIO2_HI : 0;
}

export function asinh(x: number): number {
  const a = x < 0 ? -x : x;
  let v: number;
  if (a < 3.7252902984e-9) v = a;
  else if (a > 2.68435456e8) v = log(a) + LN2_HI + LN2_LO;
  else v = log1p(a + (a * a) / (1 + Math.sqrt(1 + a * a)));
  return x < 0 ? -v : v;
}

export function sinh(x: number): number {
  const a = x < 0 ? -x : x;
  let v: number;
  if (a < 1) {
    const a2 = a * a;
    let s = INV_FACT[19];
    for (let n = 17; n >= 3; n -= 2) s = s * a2 + INV_FACT[n];
    v = a + a * a2 * s;
  } else {
    const e = exp(a);
    v = 0.5 * (e - 1 / e);
  }
  return x < 0 ? -v : v;
}

export function cosh(x: number): number {
  const e = exp(x < 0 ? -x : x);
  return 0.5 * (e + 1 / e);
}

/** x^y for x > 0 (and 0^y = 0 for y > 0), as exp(y log x). */
export function pow(x: number, y: number): number {
  if (x === 0) return y > 0 ? 0 : y === 0 ? 1 : Infinity;
  if (y === 0) return 1;
  return exp(y * log(x));
}

/** sqrt(x^2 + y^2), scaled so that neither square overflows. */
export function hypot(x: number, y: number): number {
  const a = x < 0 ? -x : x, b = y < 0 ? -y : y;
  const big = a > b ? a : b;
  if (big === 0 || big === Infinity) return big;
  if (big < 1e150 && big > 1e-150) return Math.sqrt(a * a + b * b);
  const p = a / big, q = b / big;
  return big * Math.sqrt(p * p + q * q);
}
