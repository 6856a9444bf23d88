import { nextUint32, uniform32, uniformOpen0, type RngState } from "./xoshiro.ts";

/**
 * Standard normal variates by the ziggurat method (Marsaglia & Tsang 2000) with 256 layers.
 * One 32-bit draw picks the layer and the sign, an independent 32-bit draw the position inside the
 * layer (independent bits avoid the layer/value correlation of the original one-draw variant).
 * About 99% of draws are accepted at the first test: two integer draws and one multiply.
 */
const LAYERS = 256;
const R = 3.6541528853610088; // start of the tail for 256 layers
const V = 0.00492867323399; // area of each layer (unnormalised density exp(-x^2/2))

const X = new Float64Array(LAYERS + 1); // X[i]: right edge of layer i, X[LAYERS] = 0
const F = new Float64Array(LAYERS + 1); // F[i] = exp(-X[i]^2 / 2)

(function buildTables() {
  const f = (x: number) => Math.exp(-0.5 * x * x);
  X[0] = V / f(R);
  X[1] = R;
  for (let i = 1; i < LAYERS - 1; i++) {
    X[i + 1] = Math.sqrt(-2 * Math.log(V / X[i] + f(X[i])));
  }
  X[LAYERS] = 0;
  for (let i = 0; i <= LAYERS; i++) F[i] = f(X[i]);
})();

/** One N(0, 1) variate. */
export function normal(s: RngState): number {
  for (;;) {
    const bits = nextUint32(s);
    const i = bits & 255;
    const sign = bits & 256 ? -1 : 1;
    const z = uniform32(s) * X[i];
    if (z < X[i + 1]) return sign * z;
    // the base layer's overhang is the tail; any other layer's is a wedge under the density
    const v = finishRejected(s, i, sign, z);
    if (v === v) return v;
  }
}

/** A variate from the normal tail beyond R (Marsaglia 1964). */
function normalTail(s: RngState): number {
  for (;;) {
    const a = -Math.log(uniformOpen0(s)) / R;
    const b = -Math.log(uniformOpen0(s));
    if (b + b > a * a) return R + a;
  }
}

/**
 * Fills out[0..n) with N(0, 1) variates: the same numbers, from the same stream, as n calls of
 * normal(s). This is the step loop's sampler: the generator's state stays in local variables and
 * the accepted-at-once path (about 99%) is written out in full, so nothing is boxed or stored per
 * draw; the rare wedge and tail cases write the state back and go through normal()'s code.
 */
export function fillNormal(s: RngState, out: Float64Array, n: number): number {
  let sum = 0;
  let s0 = s[0] | 0, s1 = s[1] | 0, s2 = s[2] | 0, s3 = s[3] | 0;
  let i = 0;
  while (i < n) {
    // first 32 bits: layer and sign (xoshiro128** written out; see xoshiro.ts)
    let m = Math.imul(s1, 5);
    const bits = Math.imul((m << 7) | (m >>> 25), 9);
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    // second 32 bits: position in the layer
    m = Math.imul(s1, 5);
    const u = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) * TWO_POW_M32;
    t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    const layer = bits & 255;
    const z = u * X[layer];
    if (z < X[layer + 1]) {
      // the sign by a multiply, not a branch: bit 8 is random, so a branch would miss half the time
      const v = z * (1 - ((bits >> 7) & 2));
      out[i++] = v;
      sum += v;
      continue;
    }
    s[0] = s0; s[1] = s1; s[2] = s2; s[3] = s3;
    const v = finishRejected(s, layer, bits & 256 ? -1 : 1, z);
    s0 = s[0]; s1 = s[1]; s2 = s[2]; s3 = s[3];
    if (v === v) { // NaN: rejected, draw again
      out[i++] = v;
      sum += v;
    }
  }
  s[0] = s0; s[1] = s1; s[2] = s2; s[3] = s3;
  return sum;
}

const TWO_POW_M32 = 2.3283064365386963e-10;

/** The rest of normal()'s loop body after the first test failed: a variate, or NaN to draw again. */
function finishRejected(s: RngState, layer: number, sign: number, z: number): number {
  if (layer === 0) return sign * normalTail(s);
  const y = F[layer] + uniform32(s) * (F[layer + 1] - F[layer]);
  return y < Math.exp(-0.5 * z * z) ? sign * z : NaN;
}
