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
    if (i === 0) return sign * normalTail(s);
    // wedge between layer i's rectangle and the density
    const y = F[i] + uniform32(s) * (F[i + 1] - F[i]);
    if (y < Math.exp(-0.5 * z * z)) return sign * z;
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

/** Fills out[0..n) with N(0, 1) variates. */
export function fillNormal(s: RngState, out: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = normal(s);
}
