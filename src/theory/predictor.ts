import type { MomentsKind } from "./moments-choice.ts";
import { writeMoments } from "./moments-choice.ts";
import { diffusionCoefficients, rVariance, type DiffusionCoefficients } from "./diffusion.ts";
import { makeXGrid } from "./predictor-grid.ts";
import { solveTridiagonal } from "./tridiagonal.ts";
import { eventualHitProbability } from "./scale-function.ts";
import { exp } from "../stats/det-math.ts";

/** What the predictor needs: everything else (lr, gamma0, sigma, T) enters through tau. */
export interface PredictorInput {
  r0: number;
  /** lr^2 sigma^2 T / (B gamma0^2) */
  tau: number;
  batch: number;
  /** LeakyReLU slope (0 = ReLU) */
  alpha: number;
  /** collapse once r <= threshold (ratio:c is -c, sparsity:s is Phi^-1(1-s), dead is -sqrt(B-1)) */
  threshold: number;
  moments?: MomentsKind;
  /**
   * kappa0 = lr^2 sigma^2 / (B gamma0^2) of the discrete process: when > 0 the barrier is moved by
   * 0.5826 sqrt(kappa0 Var(dr)/kappa) (Broadie-Glasserman-Kou) to account for the criterion being
   * checked once per step rather than continuously. 0 = continuous monitoring (the pure limit).
   */
  monitoringKappa?: number;
  /** "2d": (r, ln gamma), the default; "1d": gamma frozen at gamma0 (intrinsic time = tau) */
  dims?: "1d" | "2d";
  grid?: { xCells?: number; rhoCells?: number; rhoMax?: number; timeSteps?: number; rMax?: number };
}

export interface Prediction {
  p: number;
  method: string;
  /** wall-clock cost of the solve */
  ms: number;
}

const BGK = 0.5826; // -zeta(1/2) / sqrt(2 pi)

/**
 * P(r falls to the threshold within tau) in the diffusion approximation, by solving the backward
 * Kolmogorov equation u_theta = exp(-2 rho) (L_x + L_rho + L_x,rho) u on (x, rho) with the Douglas ADI
 * scheme (theta = 1/2, the mixed derivative explicit, four implicit half-steps to start because the
 * data jump at the barrier). Boundaries: u = 1 at the barrier, u = 0 at r = rMax and at rho = +rhoMax
 * (gamma so large that time stops), u = P(ever hitting) of the 1-D problem at rho = -rhoMax (gamma so
 * small that the r-diffusion runs to its end at once; by the scale function, scale-function.ts).
 * See docs/theory.md.
 */
export function predictCollapse(input: PredictorInput): Prediction {
  const t0 = performance.now();
  const moments = input.moments ?? "finite";
  const dims = input.dims ?? "2d";
  const method = `kolmogorov-${dims} (${moments} moments${input.monitoringKappa ? ", discrete-monitoring shift" : ""})`;
  const barrier = input.threshold - monitoringShift(input, moments);
  if (input.r0 <= barrier) return { p: 1, method, ms: performance.now() - t0 };
  if (!(input.tau > 0)) return { p: 0, method, ms: performance.now() - t0 };
  const g = input.grid ?? {};
  const grid = makeXGrid(barrier, input.r0, g.rMax ?? 1000, g.xCells ?? 240);
  const coef = diffusionCoefficients(grid.x, input.alpha, input.batch, moments);
  const steps = g.timeSteps ?? 200;
  const p =
    dims === "1d"
      ? solve1d(coef, grid.dx, grid.x.length, input.tau, steps)[grid.start]
      : solve2d(coef, grid.dx, grid.x.length, grid.start, input.tau, steps, g.rhoCells ?? 80, g.rhoMax ?? 3, eventualHitProbability(grid.x, input.alpha, input.batch, moments));
  return { p: Math.min(1, Math.max(0, p)), method, ms: performance.now() - t0 };
}

function monitoringShift(input: PredictorInput, moments: MomentsKind): number {
  const k = input.monitoringKappa ?? 0;
  if (!(k > 0)) return 0;
  const m = new Float64Array(5);
  writeMoments(moments, input.threshold, input.alpha, input.batch, m);
  return BGK * Math.sqrt(k * rVariance(input.threshold, m));
}

/** The x-operator b d/dx + (a/2) d2/dx2 as (lower, centre, upper) weights per node. */
interface XStencil {
  lo: Float64Array;
  ce: Float64Array;
  up: Float64Array;
}

function xStencil(c: DiffusionCoefficients, dx: number): XStencil {
  const n = c.bx.length;
  const s: XStencil = { lo: new Float64Array(n), ce: new Float64Array(n), up: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const b = c.bx[i] / (2 * dx), a = c.axx[i] / (2 * dx * dx);
    s.lo[i] = a - b;
    s.ce[i] = -2 * a;
    s.up[i] = a + b;
  }
  return s;
}

interface Work {
  lo: Float64Array;
  di: Float64Array;
  up: Float64Array;
  rhs: Float64Array;
  scratch: Float64Array;
}

function makeWork(n: number): Work {
  return { lo: new Float64Array(n), di: new Float64Array(n), up: new Float64Array(n), rhs: new Float64Array(n), scratch: new Float64Array(n) };
}

/**
 * One implicit solve along x: (I - k L_x) y = rhs on the interior nodes of the row at `off`, with y fixed
 * at both ends; rhs is read from y's interior and the solution written back.
 */
function implicitX(s: XStencil, n: number, k: number, y: Float64Array, off: number, work: Work): void {
  const m = n - 2;
  for (let q = 0; q < m; q++) {
    work.lo[q] = -k * s.lo[q + 1];
    work.di[q] = 1 - k * s.ce[q + 1];
    work.up[q] = -k * s.up[q + 1];
    work.rhs[q] = y[off + q + 1];
  }
  work.rhs[0] -= work.lo[0] * y[off];
  work.rhs[m - 1] -= work.up[m - 1] * y[off + n - 1];
  solveTridiagonal(work.lo, work.di, work.up, work.rhs, m, work.scratch);
  for (let q = 0; q < m; q++) y[off + q + 1] = work.rhs[q];
}

/** out = w L_x u on the interior of the row at `off`. */
function applyX(s: XStencil, n: number, w: number, u: Float64Array, off: number, out: Float64Array): void {
  for (let i = 1; i < n - 1; i++) {
    const k = off + i;
    out[k] = w * (s.lo[i] * u[k - 1] + s.ce[i] * u[k] + s.up[i] * u[k + 1]);
  }
}

/** Theta-scheme steps (1/2 after four implicit half-steps) of u_theta = L_x u. */
function solve1d(c: DiffusionCoefficients, dx: number, n: number, tau: number, steps: number): Float64Array {
  const st = xStencil(c, dx);
  const u = new Float64Array(n);
  u[0] = 1;
  const lu = new Float64Array(n);
  const work = makeWork(n);
  for (const [dt, theta] of schedule(tau, steps)) {
    applyX(st, n, 1, u, 0, lu);
    for (let i = 1; i < n - 1; i++) u[i] += (1 - theta) * dt * lu[i];
    implicitX(st, n, theta * dt, u, 0, work);
  }
  return u;
}

/** (dt, theta) per step: four implicit half-steps, then Crank-Nicolson-type steps. */
function schedule(tau: number, steps: number): Array<[number, number]> {
  const dt = tau / steps;
  const out: Array<[number, number]> = [];
  for (let k = 0; k < 4; k++) out.push([dt / 2, 1]);
  for (let k = 2; k < steps; k++) out.push([dt, 0.5]);
  return out;
}

function solve2d(
  c: DiffusionCoefficients,
  dx: number,
  nx: number,
  start: number,
  tau: number,
  steps: number,
  rhoCells: number,
  rhoMax: number,
  hit: Float64Array,
): number {
  const half = Math.max(2, Math.round(rhoCells / 2));
  const ny = 2 * half + 1; // rho = 0 is node `half`
  const dy = rhoMax / half;
  const w = new Float64Array(ny);
  for (let j = 0; j < ny; j++) w[j] = exp(-2 * (j - half) * dy);
  const st = xStencil(c, dx);
  const size = nx * ny;
  const u = new Float64Array(size);
  for (let j = 0; j < ny; j++) u[j * nx] = 1;
  for (let i = 0; i < nx; i++) u[i] = hit[i]; // rho = -rhoMax
  const y = new Float64Array(size);
  const l1 = new Float64Array(size), l2 = new Float64Array(size);
  const workX = makeWork(nx), workY = makeWork(ny);
  const col = new Float64Array(ny);
  const ay = new Float64Array(nx), by = new Float64Array(nx);
  for (let i = 0; i < nx; i++) {
    ay[i] = c.arr[i] / (2 * dy * dy);
    by[i] = c.brho[i] / (2 * dy);
  }
  for (const [dt, theta] of schedule(tau, steps)) {
    // explicit predictor Y0 = U + dt (A0 + A1 + A2) U, with l1 = A1 U and l2 = A2 U kept for the corrections
    for (let j = 1; j < ny - 1; j++) {
      const off = j * nx, wj = w[j];
      applyX(st, nx, wj, u, off, l1);
      for (let i = 1; i < nx - 1; i++) {
        const k = off + i;
        l2[k] = wj * ((ay[i] - by[i]) * u[k - nx] - 2 * ay[i] * u[k] + (ay[i] + by[i]) * u[k + nx]);
        const mixed = (wj * c.axr[i] * (u[k + nx + 1] - u[k + nx - 1] - u[k - nx + 1] + u[k - nx - 1])) / (4 * dx * dy);
        y[k] = u[k] + dt * (l1[k] + l2[k] + mixed);
      }
    }
    copyBoundary(u, y, nx, ny);
    // x-corrections: (I - theta dt A1) Y1 = Y0 - theta dt A1 U
    for (let j = 1; j < ny - 1; j++) {
      const off = j * nx;
      for (let i = 1; i < nx - 1; i++) y[off + i] -= theta * dt * l1[off + i];
      implicitX(st, nx, theta * dt * w[j], y, off, workX);
    }
    // rho-corrections: (I - theta dt A2) Y2 = Y1 - theta dt A2 U
    for (let i = 1; i < nx - 1; i++) {
      const m = ny - 2, k = theta * dt;
      for (let q = 0; q < m; q++) {
        const j = q + 1, wj = w[j];
        workY.lo[q] = -k * wj * (ay[i] - by[i]);
        workY.di[q] = 1 + k * wj * 2 * ay[i];
        workY.up[q] = -k * wj * (ay[i] + by[i]);
        workY.rhs[q] = y[j * nx + i] - k * l2[j * nx + i];
      }
      workY.rhs[0] -= workY.lo[0] * y[i];
      workY.rhs[m - 1] -= workY.up[m - 1] * y[(ny - 1) * nx + i];
      solveTridiagonal(workY.lo, workY.di, workY.up, workY.rhs, m, workY.scratch);
      for (let q = 0; q < m; q++) col[q] = workY.rhs[q];
      for (let q = 0; q < m; q++) y[(q + 1) * nx + i] = col[q];
    }
    u.set(y);
  }
  return u[half * nx + start];
}

function copyBoundary(from: Float64Array, to: Float64Array, nx: number, ny: number): void {
  for (let i = 0; i < nx; i++) {
    to[i] = from[i];
    to[(ny - 1) * nx + i] = from[(ny - 1) * nx + i];
  }
  for (let j = 0; j < ny; j++) {
    to[j * nx] = from[j * nx];
    to[j * nx + nx - 1] = from[j * nx + nx - 1];
  }
}
