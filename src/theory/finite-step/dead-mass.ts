import * as D from "../../stats/det-math.ts";
import { normalCdf } from "../det-special.ts";
import { gaussLegendre01 } from "../gauss-rules.ts";

/**
 * Probabilities that one Gaussian step lands in the collapsed set D = {(x, y): y <= -q |x|}
 * (x = |gamma| or gamma after the step, y = beta, both / (lr sigma); q = -threshold > 0, so D is the
 * cone r <= threshold, both signs of gamma), computed exactly rather than by quadrature points, because
 * the indicator of D is the one discontinuity the quadrature would otherwise have to resolve.
 *
 * D = {y + q x <= 0} and {y - q x <= 0}. For the target T = S - L z (S = (a, b), z ~ N(0, I2),
 * L lower triangular) these are the half-planes nA . z >= hA and nB . z >= hB with
 * nA = (l21 + q l11, l22), hA = b + q a and nB = (l21 - q l11, l22), hB = b - q a.
 */

/**
 * For a rank-1 step T = S - z (va, vb), z ~ N(0, 1): the z-interval [lo, hi] that lands in D
 * (written to out; lo > hi when it is empty; +-Infinity for half-lines).
 */
export function lineDeadInterval(a: number, b: number, va: number, vb: number, q: number, out: Float64Array): void {
  let lo = -Infinity, hi = Infinity;
  // z kA >= hA and z kB >= hB with kA = vb + q va, kB = vb - q va
  const kA = vb + q * va, hA = b + q * a, kB = vb - q * va, hB = b - q * a;
  for (const [k, h] of [[kA, hA], [kB, hB]]) {
    if (k > 0) lo = Math.max(lo, h / k);
    else if (k < 0) hi = Math.min(hi, h / k);
    else if (h > 0) {
      lo = Infinity;
      hi = -Infinity;
    }
  }
  out[0] = lo;
  out[1] = hi;
}

/** P(z in [lo, hi]) for z ~ N(0, 1). */
export function normalMass(lo: number, hi: number): number {
  if (!(hi > lo)) return 0;
  return (hi === Infinity ? 1 : normalCdf(hi)) - (lo === -Infinity ? 0 : normalCdf(lo));
}

/**
 * The dead sector of a rank-2 step, as seen from the apex z* = L^{-1} S (the z that sends the target
 * to the origin): D's preimage is {z* + t d(phi): t >= 0, phi in [lo, hi]}, an arc of directions of
 * length pi - (angle between nA and nB) < pi. Writes z*_1, z*_2, lo, hi into out.
 */
export function deadSector(a: number, b: number, l11: number, l21: number, l22: number, q: number, out: Float64Array): void {
  const z1 = a / l11, z2 = (b - l21 * z1) / l22;
  const angA = D.atan2(l22, l21 + q * l11), angB = D.atan2(l22, l21 - q * l11); // both in (0, pi)
  // directions d with nA . d >= 0 and nB . d >= 0: [max(angA, angB) - pi/2, min(angA, angB) + pi/2]
  out[0] = z1;
  out[1] = z2;
  out[2] = Math.max(angA, angB) - Math.PI / 2;
  out[3] = Math.min(angA, angB) + Math.PI / 2;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * The standard normal mass per unit angle of the ray z* + t d(phi), t >= 0:
 * (1/2pi) int_0^inf t exp(-|z* + t d|^2 / 2) dt = (1/2pi) [e^{-|z*|^2/2} - c sqrt(2pi) e^{-(|z*|^2 - c^2)/2} Phi(-c)],
 * c = z* . d(phi).
 */
export function rayMass(z1: number, z2: number, phi: number): number {
  const c = z1 * D.cos(phi) + z2 * D.sin(phi);
  const n2 = z1 * z1 + z2 * z2, perp2 = Math.max(0, n2 - c * c);
  return (D.exp(-0.5 * n2) - c * SQRT_2PI * D.exp(-0.5 * perp2) * normalCdf(-c)) / (2 * Math.PI);
}

const ARC_RULE = 8;
const sector = new Float64Array(4);

/**
 * P(S - L z in D), z ~ N(0, I2), L = [[l11, 0], [l21, l22]] of full rank: the integral of rayMass over
 * the dead arc, by Gauss-Legendre on panels that start at the arc's end nearer the direction of -z*
 * (where the mass per angle peaks, within ~1/|z*|) and double in width away from it.
 */
export function sectorDeadMass(a: number, b: number, l11: number, l21: number, l22: number, q: number): number {
  deadSector(a, b, l11, l21, l22, q, sector);
  const z1 = sector[0], z2 = sector[1], lo = sector[2], hi = sector[3];
  const norm = D.hypot(z1, z2);
  // the sector lies in the half-plane nA . z >= hA: its distance from 0 is at least hA / |nA| (and hB / |nB|)
  const far = Math.max((b + q * a) / D.hypot(l21 + q * l11, l22), (b - q * a) / D.hypot(l21 - q * l11, l22));
  if (far > 9) return 0;
  const peak = D.atan2(-z2, -z1);
  const fromLo = angularDistance(lo, peak) <= angularDistance(hi, peak);
  const rule = gaussLegendre01(ARC_RULE), len = hi - lo;
  let total = 0, start = 0, width = Math.min(len, 0.5 / Math.max(1, norm));
  while (start < len) {
    const end = Math.min(len, start + width);
    for (let i = 0; i < ARC_RULE; i++) {
      const off = start + (end - start) * rule.x[i];
      total += (end - start) * rule.w[i] * rayMass(z1, z2, fromLo ? lo + off : hi - off);
    }
    start = end;
    width *= 2;
  }
  return Math.min(1, Math.max(0, total));
}

export function angularDistance(x: number, y: number): number {
  const d = Math.abs(x - y) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}
