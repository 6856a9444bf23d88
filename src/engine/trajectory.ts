import { meetsCriterion } from "../model/criteria.ts";
import type { Compiled } from "./compiled.ts";
import { enterPhase, startTrajectories, type UnitState } from "./state.ts";
import { step } from "./step.ts";

/** Why a trajectory ended. */
export const STOP_HORIZON = 0; // ran all T updates (censored unless it collapsed and kept going)
export const STOP_COLLAPSED = 1; // stopped at its first passage
export const STOP_NON_FINITE = 2; // a parameter became NaN or infinite

export const STOP_REASONS = ["horizon", "collapsed", "non-finite"] as const;

/** checkUnit's answer when the unit goes on. */
export const RUNNING = -1;

/** Plain per-trajectory outcomes of a block of trajectories, in typed arrays. */
export interface TrajectoryOutcomes {
  /** 1-based index of the first update after which the criterion held; 0 if it never did */
  firstPassage: Int32Array;
  /** updates executed */
  stepsRun: Int32Array;
  /** STOP_* code */
  stopReason: Uint8Array;
  finalGamma: Float64Array;
  finalBeta: Float64Array;
}

export function allocateOutcomes(n: number): TrajectoryOutcomes {
  return {
    firstPassage: new Int32Array(n),
    stepsRun: new Int32Array(n),
    stopReason: new Uint8Array(n),
    finalGamma: new Float64Array(n),
    finalBeta: new Float64Array(n),
  };
}

/**
 * What every loop checks after a step, for unit u of s: STOP_NON_FINITE if its gamma or beta is no
 * longer finite; else, in the last phase, the criterion, recording the first passage and returning
 * STOP_COLLAPSED if the unit is to stop there; else RUNNING.
 */
export function checkUnit(c: Compiled, s: UnitState, u: number, stopAtCollapse: boolean): number {
  const o = u * s.width;
  const gamma = s.p[o], beta = s.p[o + 1];
  if (!(Number.isFinite(gamma) && Number.isFinite(beta))) return STOP_NON_FINITE;
  if (s.firstPassage[u] === 0 && c.phases[s.phase].last && meetsCriterion(c.unit.criterionOn, c.unit.criterionThreshold, gamma, beta)) {
    s.firstPassage[u] = s.t;
    if (stopAtCollapse) return STOP_COLLAPSED;
  }
  return RUNNING;
}

/** Writes unit u's outcome at position `slot` of `out` (updates run count the last phase's only). */
export function writeOutcome(out: TrajectoryOutcomes, slot: number, c: Compiled, s: UnitState, u: number, reason: number): void {
  const o = u * s.width;
  out.firstPassage[slot] = s.firstPassage[u];
  out.stepsRun[slot] = c.phases[s.phase].last ? s.t : 0;
  out.stopReason[slot] = reason;
  out.finalGamma[slot] = s.p[o];
  out.finalBeta[slot] = s.p[o + 1] - c.unit.shift; // the trained beta (psBN's state holds beta + alpha)
}

/** Optional record of (gamma, beta) every `every` updates of the last phase, starting with its initial state. */
export interface PathRecorder {
  every: number;
  gamma: Float64Array;
  beta: Float64Array;
  length: number;
}

export function createPathRecorder(steps: number, every: number): PathRecorder {
  const n = Math.floor(steps / every) + 1;
  return { every, gamma: new Float64Array(n), beta: new Float64Array(n), length: 0 };
}

/**
 * Runs one trajectory (unit 0 of s, its stream seeded by the caller) from (gamma0, beta0) through
 * every phase, checking after each update, and writes its outcome at position `slot` of `out`. The
 * loop allocates nothing.
 */
export function runTrajectory(
  c: Compiled,
  s: UnitState,
  stopAtCollapse: boolean,
  out: TrajectoryOutcomes,
  slot: number,
  path: PathRecorder | null = null,
): void {
  startTrajectories(c, s, 1);
  writeOutcome(out, slot, c, s, 0, runToEnd(c, s, stopAtCollapse, path));
}

/**
 * Runs unit 0 of s on from wherever it stands to the end of its last phase (or its stop) and returns
 * the STOP_* code. Phases before the last are preparation: only finiteness is checked there, and the
 * path starts with the last phase (docs/regimes.md).
 */
export function runToEnd(c: Compiled, s: UnitState, stopAtCollapse: boolean, path: PathRecorder | null): number {
  const p = s.p, shift = c.unit.shift;
  for (;;) {
    const ph = c.phases[s.phase], T = ph.steps, last = ph.last;
    if (last && path !== null && s.t === 0) recordPoint(path, p[0], p[1] - shift);
    while (s.t < T) {
      step(c, s);
      if (last && path !== null && s.t % path.every === 0) recordPoint(path, p[0], p[1] - shift);
      const reason = checkUnit(c, s, 0, stopAtCollapse);
      if (reason !== RUNNING) {
        if (!last && path !== null) recordPoint(path, p[0], p[1] - shift); // where the preparation failed
        return reason;
      }
    }
    if (last) return STOP_HORIZON;
    enterPhase(c, s, s.phase + 1);
  }
}

function recordPoint(path: PathRecorder, gamma: number, beta: number): void {
  if (path.length < path.gamma.length) {
    path.gamma[path.length] = gamma;
    path.beta[path.length] = beta;
    path.length++;
  }
}
