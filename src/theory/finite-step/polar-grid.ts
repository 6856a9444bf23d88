import * as D from "../../stats/det-math.ts";
/**
 * The grid of the finite-step predictor (docs/theory.md section 6). The state is the point
 * (a, b) = (|gamma|, beta) / (lr sigma): the step law depends on it only through r = b / a, and a
 * step moves it by a vector of fixed size (~ 1/sqrt(B)), whatever lr and gamma are. Polar coordinates:
 *
 *   xi = asinh(lambda r) / lambda  (r < 0),  xi = atan(r)  (r >= 0)      the direction, r = b / a
 *   s  = asinh(R / R0),  R = sqrt(a^2 + b^2)                               the distance from 0
 *
 * xi is uniform in r near the collapse threshold (lambda sets how fast the spacing grows with |r|) and
 * uniform in the polar angle on the positive side, up to the beta axis (xi = pi/2, gamma = 0, beta > 0);
 * the two halves meet at r = 0 with two continuous derivatives. s is uniform in R near the origin and
 * in ln R far from it. Nodes are uniform in (xi, s), from the threshold (xi_c) to pi/2 and from R = 0 to
 * R0 sinh(sMax); node k = js * xiNodes + kx.
 */
export interface PolarGridSpec {
  xiNodes: number;
  sNodes: number;
  lambda: number;
  /** R0 */
  radialScale: number;
  sMax: number;
}

export interface PolarGrid extends PolarGridSpec {
  /** collapse threshold on r (the lower end of the grid in xi) */
  threshold: number;
  xiLow: number;
  dXi: number;
  dS: number;
  size: number;
  /** per xi node: the direction cos, sin of the polar angle, and r (Infinity on the beta axis) */
  cos: Float64Array;
  sin: Float64Array;
  ratio: Float64Array;
  /** per s node: R */
  radius: Float64Array;
}

export function xiOfRatio(r: number, lambda: number): number {
  return r < 0 ? D.asinh(lambda * r) / lambda : D.atan(r);
}

/** xi of the point (a, b), a >= 0 (a = 0, b < 0 gives -Infinity). */
export function xiOfPoint(a: number, b: number, lambda: number): number {
  return b >= 0 ? D.atan2(b, a) : D.asinh((lambda * b) / a) / lambda;
}

export function makePolarGrid(spec: PolarGridSpec, threshold: number): PolarGrid {
  const { xiNodes, sNodes, lambda, radialScale, sMax } = spec;
  const xiLow = xiOfRatio(threshold, lambda);
  const dXi = (Math.PI / 2 - xiLow) / (xiNodes - 1), dS = sMax / (sNodes - 1);
  const cos = new Float64Array(xiNodes), sin = new Float64Array(xiNodes), ratio = new Float64Array(xiNodes);
  for (let k = 0; k < xiNodes; k++) {
    const xi = k === xiNodes - 1 ? Math.PI / 2 : xiLow + k * dXi;
    const theta = xi >= 0 ? xi : D.atan(D.sinh(lambda * xi) / lambda);
    cos[k] = k === xiNodes - 1 ? 0 : D.cos(theta);
    sin[k] = k === xiNodes - 1 ? 1 : D.sin(theta);
    ratio[k] = k === 0 ? threshold : k === xiNodes - 1 ? Infinity : xi >= 0 ? D.tan(xi) : D.sinh(lambda * xi) / lambda;
  }
  const radius = new Float64Array(sNodes);
  for (let j = 0; j < sNodes; j++) radius[j] = radialScale * D.sinh(j * dS);
  return { ...spec, threshold, xiLow, dXi, dS, size: xiNodes * sNodes, cos, sin, ratio, radius };
}

/**
 * Weights of the quadratic Lagrange interpolant through the three nodes nearest to x (in node units,
 * on nodes 0 .. n-1; one-sided at the ends) into out[0..2]; returns the first node. x beyond the last
 * node is clamped there (no extrapolation).
 */
export function quadraticWeights(x: number, n: number, out: Float64Array): number {
  if (x > n - 1) x = n - 1;
  let start = Math.round(x) - 1;
  if (start < 0) start = 0;
  else if (start > n - 3) start = n - 3;
  const d = x - start - 1;
  out[0] = 0.5 * d * (d - 1);
  out[1] = 1 - d * d;
  out[2] = 0.5 * d * (d + 1);
  return start;
}

