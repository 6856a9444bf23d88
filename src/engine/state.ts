import type { RngState } from "../rng/xoshiro.ts";
import type { Compiled } from "./compiled.ts";

/**
 * Normals the reduced model draws at once (32 steps' worth): any size gives the same sequence; a
 * small one wastes little of a short trajectory's stream (the rest of the pool is never used).
 */
export const POOL_SIZE = 64;

/**
 * Everything a run's future depends on, and nothing else: with the Compiled it was made for, a copy
 * continues exactly as the original would (copyState), and a copy whose streams are reseeded is a new
 * branch from the same point. A state holds `units` units side by side, each with its (gamma, beta)
 * and first passage: independent trajectories with a stream each (the reduced model's lanes), the K
 * units of one layer (which share stream 0), or a single trajectory. Plain typed arrays, so a copy is
 * a few `set` calls and the step loop never allocates.
 */
export interface UnitState {
  /** units this state holds, parameters per unit, parameters after the units' own (a layer's readout) */
  readonly units: number;
  readonly width: number;
  readonly shared: number;
  /** units in use: 0 .. active - 1 */
  active: number;
  /** the phase running (an index into Compiled.phases), updates made in it */
  phase: number;
  t: number;
  /** updates since the optimiser's state was last reset: Adam's step count, momentum's first step */
  age: number;
  /** unit u's parameters [gamma, beta, w_0 ..] at u * width, then the shared ones */
  readonly p: Float64Array;
  /** the optimiser's state, laid out as p: momentum buffer, Adam's first and second moments */
  readonly buf: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** unit u's random stream (a xoshiro128** state) at 4u .. 4u + 3 */
  readonly rng: Int32Array;
  /** the reduced model's pooled normals of unit u at u * POOL_SIZE, and the next one to use (POOL_SIZE: empty) */
  readonly pool: Float64Array;
  readonly poolNext: Int32Array;
  /** psBN: consecutive updates after which the unit's batch had no active sample */
  readonly inactiveRun: Int32Array;
  /** 1-based update of the last phase after which the criterion first held; 0 if it has not */
  readonly firstPassage: Int32Array;
  /** views of rng and pool per unit, made once (not state: they alias the arrays above) */
  readonly streams: readonly RngState[];
  readonly pools: readonly Float64Array[];
}

/** A state with room for `units` units (by default the most the run uses side by side). */
export function allocateState(c: Compiled, units = c.units): UnitState {
  const width = c.width, shared = c.shared, n = units * width + shared;
  const rng = new Int32Array(4 * units), pool = new Float64Array(units * POOL_SIZE);
  return {
    units,
    width,
    shared,
    active: 0,
    phase: 0,
    t: 0,
    age: 0,
    p: new Float64Array(n),
    buf: new Float64Array(n),
    m: new Float64Array(n),
    v: new Float64Array(n),
    rng,
    pool,
    poolNext: new Int32Array(units).fill(POOL_SIZE),
    inactiveRun: new Int32Array(units),
    firstPassage: new Int32Array(units),
    streams: Array.from({ length: units }, (_, u) => rng.subarray(4 * u, 4 * u + 4)),
    pools: Array.from({ length: units }, (_, u) => pool.subarray(u * POOL_SIZE, (u + 1) * POOL_SIZE)),
  };
}

/** Copies the whole of `from` into `to` (a state of the same shape): `to` then continues as `from` would. */
export function copyState(from: UnitState, to: UnitState): void {
  if (from.units !== to.units || from.width !== to.width || from.shared !== to.shared) {
    throw new RangeError("copyState: the states have different shapes");
  }
  to.active = from.active;
  to.phase = from.phase;
  to.t = from.t;
  to.age = from.age;
  to.p.set(from.p);
  to.buf.set(from.buf);
  to.m.set(from.m);
  to.v.set(from.v);
  to.rng.set(from.rng);
  to.pool.set(from.pool);
  to.poolNext.set(from.poolNext);
  to.inactiveRun.set(from.inactiveRun);
  to.firstPassage.set(from.firstPassage);
}

/** Unit `from` of s replaces unit `to` (how a stopped lane is filled; shared parameters stay). */
export function moveUnit(s: UnitState, from: number, to: number): void {
  const w = s.width, a = from * w, b = to * w;
  for (let k = 0; k < w; k++) {
    s.p[b + k] = s.p[a + k];
    s.buf[b + k] = s.buf[a + k];
    s.m[b + k] = s.m[a + k];
    s.v[b + k] = s.v[a + k];
  }
  s.rng.copyWithin(4 * to, 4 * from, 4 * from + 4);
  s.pool.copyWithin(to * POOL_SIZE, from * POOL_SIZE, (from + 1) * POOL_SIZE);
  s.poolNext[to] = s.poolNext[from];
  s.inactiveRun[to] = s.inactiveRun[from];
  s.firstPassage[to] = s.firstPassage[from];
}

/**
 * Puts units 0 .. n - 1 at the start of a trajectory: (gamma0, beta0, w0), the optimiser's state
 * cleared, no pooled normals, no first passage, the first phase. Their streams are the caller's to seed.
 */
export function startTrajectories(c: Compiled, s: UnitState, n: number): void {
  const u0 = c.unit, w = s.width, d = u0.inputDim;
  for (let u = 0; u < n; u++) {
    const o = u * w;
    s.p[o] = u0.gamma0;
    s.p[o + 1] = u0.beta0;
    for (let k = 0; k < d; k++) s.p[o + 2 + k] = u0.w0[k];
    s.poolNext[u] = POOL_SIZE;
    s.inactiveRun[u] = 0;
    s.firstPassage[u] = 0;
  }
  s.active = n;
  s.phase = 0;
  s.t = 0;
  resetOptimizer(s);
}

/** Clears the optimiser's buffers and its age. */
export function resetOptimizer(s: UnitState): void {
  s.buf.fill(0);
  s.m.fill(0);
  s.v.fill(0);
  s.age = 0;
}

/**
 * Moves s on to phase k (docs/regimes.md): the parameters carry over, the optimiser's state only if
 * the problem keeps it, and psBN's count of inactive batches restarts.
 */
export function enterPhase(c: Compiled, s: UnitState, k: number): void {
  s.phase = k;
  s.t = 0;
  if (!c.phases[k].keepsState) resetOptimizer(s);
  s.inactiveRun.fill(0);
}
