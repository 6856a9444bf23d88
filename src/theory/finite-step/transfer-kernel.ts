import * as D from "../../stats/det-math.ts";
import { apexPoints, cartesianPoints, linePoints, narrowPoints, PointBuffer } from "./alive-points.ts";
import type { StepLaw } from "./active-set-law.ts";
import { lineDeadInterval, normalMass, sectorDeadMass } from "./dead-mass.ts";
import { quadraticWeights, type PolarGrid } from "./polar-grid.ts";

/**
 * The one-step transfer operator of the chain on the polar grid, as a sparse matrix: row k holds
 * the weights with which u(next state) is averaged to give u at node k, and dead[k] the probability
 * of collapsing in that step (exact, dead-mass.ts). Built once per (B, activation, threshold); the
 * law does not depend on time (constant lr), so every step applies the same matrix.
 *
 * For each node and each Gaussian component of the step law (active-set-law.ts): the dead mass
 * exactly, the rest by quadrature points (alive-points.ts) rescaled to the exact alive mass, each
 * point spread over the 3 x 3 nodes around it with quadratic Lagrange weights (so a step's first
 * and second moments in (xi, s) are kept exactly, even when the step is far smaller than a cell).
 * A node whose widest step is below `narrow` of its cell size gets the components' mean covariance
 * by 3 x 3 Gauss-Hermite points instead (the moments are what matters there), plus the exact dead mass.
 */
export interface KernelSpec {
  /** |z*| below which a full-rank step is integrated about its apex */
  apexRadius: number;
  /** a step narrower than this fraction of a cell is represented by its mean covariance */
  narrow: number;
  /** points per dimension of the Gauss-Hermite/Legendre rule elsewhere */
  hermite: number;
}

export interface TransferKernel {
  grid: PolarGrid;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
  dead: Float64Array;
  nnz: number;
  points: number;
}

/**
 * Entries below this are dropped: at the default grid they are a fifth of the entries and carry, over
 * all rows together, 2e-6 of probability, so that even 10^4 steps move u by less than 1e-5.
 */
const DROP = 1e-10;

export function buildTransferKernel(grid: PolarGrid, laws: readonly StepLaw[], spec: KernelSpec): TransferKernel {
  const nx = grid.xiNodes, size = grid.size, q = -grid.threshold;
  const row = new RowAccumulator(size, nx);
  const rowStart = new Int32Array(size + 1), dead = new Float64Array(size);
  let col = new Int32Array(1 << 16), val = new Float64Array(1 << 16), nnz = 0, points = 0;
  const buf = new PointBuffer();
  buf.lambda = grid.lambda;
  buf.radialScale = grid.radialScale;
  buf.q = q;
  const interval = new Float64Array(2);

  for (let node = 0; node < size; node++) {
    const kx = node % nx, js = (node - kx) / nx;
    const law = laws[kx], R = grid.radius[js];
    const a = R * grid.cos[kx], b = R * grid.sin[kx];
    let dm = 0;
    if (law.moving < 1) {
      row.acc[node] += 1 - law.moving;
      row.cover(Math.min(kx, nx - 3), Math.min(js, grid.sNodes - 3));
    }
    if (law.count > 0 && isNarrow(grid, kx, js, law.widest, spec.narrow)) {
      for (let c = 0; c < law.count; c++) dm += law.data[4 * c] * componentDead(a, b, law.data, c, q, interval);
      buf.reset();
      narrowPoints(buf, a, b, law.mean[0], law.mean[1], law.mean[2]);
      points += scatter(row, buf, grid, law.moving - dm);
    } else {
      for (let c = 0; c < law.count; c++) {
        const o = 4 * c, w = law.data[o], l11 = law.data[o + 1], l21 = law.data[o + 2], l22 = law.data[o + 3];
        const pd = componentDead(a, b, law.data, c, q, interval);
        dm += w * pd;
        buf.reset();
        if (l22 === 0) linePoints(buf, a, b, l11, l21, interval[0], interval[1]);
        else if (D.hypot(a / l11, (b - (l21 * a) / l11) / l22) < spec.apexRadius) apexPoints(buf, a, b, l11, l21, l22);
        else cartesianPoints(buf, a, b, l11, l21, l22, spec.hermite);
        points += scatter(row, buf, grid, w * (1 - pd));
      }
    }
    dead[node] = dm;
    // the row: touched nodes in order, tiny entries dropped
    if (nnz + row.bound() > col.length) {
      const n = Math.max(2 * col.length, nnz + row.bound());
      const c2 = new Int32Array(n), v2 = new Float64Array(n);
      c2.set(col.subarray(0, nnz));
      v2.set(val.subarray(0, nnz));
      col = c2;
      val = v2;
    }
    nnz = row.flush(col, val, nnz);
    rowStart[node + 1] = nnz;
  }
  return { grid, rowStart, col: col.slice(0, nnz), val: val.slice(0, nnz), dead, nnz, points };
}

/**
 * One row being summed: a dense accumulator over the grid and the box of (xi, s) node indices that the
 * row has touched, scanned when the row is written out (cheaper than tracking each node).
 */
class RowAccumulator {
  acc: Float64Array;
  nx: number;
  lo = 0;
  hi = -1;
  sLo = 0;
  sHi = -1;

  constructor(size: number, nx: number) {
    this.acc = new Float64Array(size);
    this.nx = nx;
    this.reset();
  }

  reset(): void {
    this.lo = this.sLo = 1 << 30;
    this.hi = this.sHi = -1;
  }

  /** Marks the 3 x 3 block whose first node is (ix, is) as touched. */
  cover(ix: number, is: number): void {
    if (ix < this.lo) this.lo = ix;
    if (ix + 2 > this.hi) this.hi = ix + 2;
    if (is < this.sLo) this.sLo = is;
    if (is + 2 > this.sHi) this.sHi = is + 2;
  }

  /** Writes the row (columns in order, entries below DROP left out) from position nnz; clears it. */
  flush(col: Int32Array, val: Float64Array, nnz: number): number {
    const acc = this.acc, nx = this.nx;
    for (let is = this.sLo; is <= this.sHi; is++) {
      for (let ix = this.lo; ix <= this.hi; ix++) {
        const k = is * nx + ix, v = acc[k];
        if (v > DROP || v < -DROP) {
          col[nnz] = k;
          val[nnz++] = v;
        }
        acc[k] = 0;
      }
    }
    this.reset();
    return nnz;
  }

  /** An upper bound on the entries flush will write. */
  bound(): number {
    return this.hi < 0 ? 0 : (this.hi - this.lo + 1) * (this.sHi - this.sLo + 1);
  }
}

const wx = new Float64Array(3), ws = new Float64Array(3);

/** Spreads the buffer's points, rescaled to carry `mass` in total, over the grid; returns the number of points. */
function scatter(row: RowAccumulator, buf: PointBuffer, grid: PolarGrid, mass: number): number {
  if (!(buf.total > 0) || !(mass > 0)) return 0;
  const scale = mass / buf.total, nx = grid.xiNodes, ns = grid.sNodes;
  const acc = row.acc;
  for (let p = 0; p < buf.count; p++) {
    const ix = quadraticWeights((buf.xi[p] - grid.xiLow) / grid.dXi, nx, wx);
    const is = quadraticWeights(buf.s[p] / grid.dS, ns, ws);
    row.cover(ix, is);
    const w = buf.w[p] * scale;
    for (let j = 0; j < 3; j++) {
      const base = (is + j) * nx + ix, f = ws[j] * w;
      acc[base] += wx[0] * f;
      acc[base + 1] += wx[1] * f;
      acc[base + 2] += wx[2] * f;
    }
  }
  return buf.count;
}

/** P(one step of `law` from (a, b) lands in r <= -q): the sum of the components' exact dead masses. */
export function stepCollapseProbability(law: StepLaw, a: number, b: number, q: number): number {
  const interval = new Float64Array(2);
  let p = 0;
  for (let c = 0; c < law.count; c++) p += law.data[4 * c] * componentDead(a, b, law.data, c, q, interval);
  return p;
}

/** P(component c collapses the unit from (a, b)); for a line step, its dead z-interval is left in `interval`. */
function componentDead(a: number, b: number, data: Float64Array, c: number, q: number, interval: Float64Array): number {
  const o = 4 * c, l11 = data[o + 1], l21 = data[o + 2], l22 = data[o + 3];
  if (l22 === 0) {
    lineDeadInterval(a, b, l11, l21, q, interval);
    return normalMass(interval[0], interval[1]);
  }
  return sectorDeadMass(a, b, l11, l21, l22, q);
}

/** Is the widest step below `narrow` times the node's cell, in both directions? */
function isNarrow(grid: PolarGrid, kx: number, js: number, widest: number, narrow: number): boolean {
  if (!(narrow > 0) || kx === 0) return false;
  const r = grid.ratio[kx], R = grid.radius[js];
  // d(theta)/d(xi): sqrt(1 + lambda^2 r^2) / (1 + r^2) for r < 0, 1 for r >= 0
  const dTheta = r < 0 ? (Math.sqrt(1 + grid.lambda * grid.lambda * r * r) / (1 + r * r)) * grid.dXi : grid.dXi;
  const along = R * dTheta, across = grid.radialScale * D.cosh(js * grid.dS) * grid.dS;
  return widest < narrow * Math.min(along, across);
}
