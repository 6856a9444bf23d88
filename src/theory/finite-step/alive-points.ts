import * as D from "../../stats/det-math.ts";
import { normalCdf, normalQuantile } from "../det-special.ts";
import { gaussHermiteNormal, gaussLegendre01 } from "../gauss-rules.ts";
import { angularDistance, deadSector } from "./dead-mass.ts";
import { xiOfPoint } from "./polar-grid.ts";

/**
 * Quadrature points of the part of one Gaussian step that does not land in the collapsed set D
 * (dead-mass.ts has the exact mass of D), as (xi, s, weight) of the target in grid coordinates. The
 * rules are chosen for where the integrand u(target) is hard:
 *
 * - a line step (rank 1) is split where it enters and leaves D and, when it passes close to the origin
 *   (where u turns with the direction of the target), refined geometrically around the closest point;
 * - a full-rank step whose mass reaches the origin (|z*| < apexRadius, z* = L^{-1} S) is integrated
 *   in polar coordinates about z*: each ray from z* is one direction of the target as seen from the
 *   origin, so the direction singularity of u at the origin costs nothing, and D is an arc of rays
 *   (panels in the direction at most 0.25 rad wide, finer toward the direction of the mass);
 * - otherwise Gauss-Hermite in z1 and Gauss-Legendre in the probability of z2 on its part outside D.
 */
export class PointBuffer {
  xi = new Float64Array(4096);
  s = new Float64Array(4096);
  w = new Float64Array(4096);
  count = 0;
  total = 0;
  lambda = 1;
  radialScale = 1;
  q = 1;

  reset(): void {
    this.count = 0;
    this.total = 0;
  }

  /** Adds the target (x, y) (x = gamma', either sign) with weight w, unless it is in D. */
  add(x: number, y: number, w: number): void {
    const ax = x < 0 ? -x : x;
    if (y <= -this.q * ax || !(w > 0)) return;
    if (this.count === this.xi.length) this.grow();
    const k = this.count++;
    this.xi[k] = xiOfPoint(ax, y, this.lambda);
    this.s[k] = D.asinh(Math.sqrt(ax * ax + y * y) / this.radialScale);
    this.w[k] = w;
    this.total += w;
  }

  private grow(): void {
    const n = this.xi.length * 2;
    for (const key of ["xi", "s", "w"] as const) {
      const bigger = new Float64Array(n);
      bigger.set(this[key]);
      this[key] = bigger;
    }
  }
}

const PANEL = gaussLegendre01(6);
const RADIAL = gaussLegendre01(8);
/** widest panel in the direction around the apex (radians), and along a line step (standard deviations) */
const PHI_PANEL = 0.25;
const LINE_PANEL = 1;
/** Gaussian mass beyond 6.5 standard deviations (8e-11) is left out of the points (the rest is rescaled). */
const LINE_REACH = 6.5;
const REACH = 6.5;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The line T = S - z (va, vb), z ~ N(0, 1), for z in [-8.5, 8.5] outside the dead interval [lo, hi]:
 * Gauss-Legendre panels at most 1 wide, halved down to the scale of the closest approach to the origin.
 */
export function linePoints(buf: PointBuffer, a: number, b: number, va: number, vb: number, lo: number, hi: number): void {
  const vv = va * va + vb * vb;
  const zc = (a * va + b * vb) / vv; // closest approach of T(z) to the origin
  const miss = Math.abs(a * vb - b * va) / Math.sqrt(vv); // its distance
  const fine = Math.min(0.5, Math.max(0.02, miss / Math.sqrt(vv)));
  if (hi > lo) {
    linePiece(buf, a, b, va, vb, -LINE_REACH, Math.min(LINE_REACH, lo), zc, fine);
    linePiece(buf, a, b, va, vb, Math.max(-LINE_REACH, hi), LINE_REACH, zc, fine);
  } else linePiece(buf, a, b, va, vb, -LINE_REACH, LINE_REACH, zc, fine);
}

function linePiece(buf: PointBuffer, a: number, b: number, va: number, vb: number, p: number, q: number, zc: number, fine: number): void {
  if (!(q > p)) return;
  if (zc > p && zc < q) {
    lineRun(buf, a, b, va, vb, zc, p, fine);
    lineRun(buf, a, b, va, vb, zc, q, fine);
  } else lineRun(buf, a, b, va, vb, p, q, LINE_PANEL);
}

/** Panels from `from` toward `to`, the first `first` wide, doubling up to LINE_PANEL. */
function lineRun(buf: PointBuffer, a: number, b: number, va: number, vb: number, from: number, to: number, first: number): void {
  const dir = to >= from ? 1 : -1, len = Math.abs(to - from);
  let at = 0, width = first;
  while (at < len) {
    const end = Math.min(len, at + width);
    for (let i = 0; i < PANEL.x.length; i++) {
      const z = from + dir * (at + (end - at) * PANEL.x[i]);
      buf.add(a - z * va, b - z * vb, (end - at) * PANEL.w[i] * INV_SQRT_2PI * D.exp(-0.5 * z * z));
    }
    at = end;
    width = Math.min(1, 2 * width);
  }
}

const sector = new Float64Array(4);

/** Polar quadrature about the apex z* over the arc outside D (see the file comment). */
export function apexPoints(buf: PointBuffer, a: number, b: number, l11: number, l21: number, l22: number): void {
  deadSector(a, b, l11, l21, l22, buf.q, sector);
  const z1 = sector[0], z2 = sector[1];
  const from = sector[3], to = sector[2] + 2 * Math.PI; // the alive arc
  const norm = D.hypot(z1, z2);
  let peak = D.atan2(-z2, -z1);
  while (peak < from) peak += 2 * Math.PI;
  while (peak > to) peak -= 2 * Math.PI;
  if (peak < from) peak = angularDistance(peak, from) < angularDistance(peak, to) ? from : to;
  const first = 0.5 / Math.max(1, norm);
  for (let side = 0; side < 2; side++) {
    const dir = side === 0 ? 1 : -1, len = side === 0 ? to - peak : peak - from;
    let at = 0, width = first;
    while (at < len) {
      const end = Math.min(len, at + width);
      for (let i = 0; i < PANEL.x.length; i++) {
        ray(buf, l11, l21, l22, z1, z2, norm, peak + dir * (at + (end - at) * PANEL.x[i]), (end - at) * PANEL.w[i]);
      }
      at = end;
      width = Math.min(PHI_PANEL, 2 * width);
    }
  }
}

/** One ray z* + t d(phi): mass t exp(-|z* + t d|^2/2) dt / 2pi, by Gauss-Legendre around its peak t = -c. */
function ray(buf: PointBuffer, l11: number, l21: number, l22: number, z1: number, z2: number, norm: number, phi: number, dphi: number): void {
  const d1 = D.cos(phi), d2 = D.sin(phi);
  const c = z1 * d1 + z2 * d2, perp2 = Math.max(0, norm * norm - c * c);
  if (perp2 > 2 * REACH * REACH) return;
  const scale = (dphi * D.exp(-0.5 * perp2)) / (2 * Math.PI);
  // the target at z = z* + t d is -t L d
  const tx = -l11 * d1, ty = -(l21 * d1 + l22 * d2);
  const top = c < 0 ? -c : 0;
  if (c > 0) radialPanel(buf, tx, ty, c, scale, 0, Math.min(REACH, (REACH + 1) / (1 + c)));
  else {
    radialPanel(buf, tx, ty, c, scale, Math.max(0, top - REACH), top);
    radialPanel(buf, tx, ty, c, scale, top, top + REACH);
  }
}

function radialPanel(buf: PointBuffer, tx: number, ty: number, c: number, scale: number, p: number, q: number): void {
  const len = q - p;
  if (!(len > 0)) return;
  for (let k = 0; k < RADIAL.x.length; k++) {
    const t = p + len * RADIAL.x[k], e = t + c;
    buf.add(t * tx, t * ty, scale * len * RADIAL.w[k] * t * D.exp(-0.5 * e * e));
  }
}

/** Gauss-Hermite in z1 (n points), Gauss-Legendre in the probability of z2 below D's boundary. */
export function cartesianPoints(buf: PointBuffer, a: number, b: number, l11: number, l21: number, l22: number, n: number): void {
  const gh = gaussHermiteNormal(n), gl = gaussLegendre01(n), q = buf.q;
  for (let i = 0; i < n; i++) {
    const z1 = gh.x[i], x = a - l11 * z1, y0 = b - l21 * z1, ax = x < 0 ? -x : x;
    // alive: y0 - l22 z2 > -q ax  <=>  z2 < (y0 + q ax) / l22
    const alive = normalCdf((y0 + q * ax) / l22);
    if (!(alive > 0)) continue;
    for (let j = 0; j < n; j++) {
      const z2 = normalQuantile(alive * gl.x[j]);
      buf.add(x, y0 - l22 * z2, gh.w[i] * alive * gl.w[j]);
    }
  }
}

/** A step much smaller than a grid cell: 3 x 3 Gauss-Hermite points of the mean covariance (l11, l21, l22). */
export function narrowPoints(buf: PointBuffer, a: number, b: number, l11: number, l21: number, l22: number): void {
  const gh = gaussHermiteNormal(3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const z1 = gh.x[i], z2 = gh.x[j];
      buf.add(a - l11 * z1, b - (l21 * z1 + l22 * z2), gh.w[i] * gh.w[j]);
    }
  }
}
