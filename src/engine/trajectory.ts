import type { RngState } from "../rng/xoshiro.ts";
import { POOL_SIZE, type CompiledUnit } from "./compiled.ts";
import { meetsCriterion } from "../model/criteria.ts";
import { optimizerStep, resetOptimizerState } from "./optimizer.ts";
import { runPrePhases } from "./phases.ts";
import { normUpdate } from "./psbn.ts";
import { reducedGradients } from "./reduced-step.ts";
import { batchGradients } from "./step.ts";

/** Why a trajectory ended. */
export const STOP_HORIZON = 0; // ran all T updates (censored unless it collapsed and kept going)
export const STOP_COLLAPSED = 1; // stopped at its first passage
export const STOP_NON_FINITE = 2; // a parameter became NaN or infinite

export const STOP_REASONS = ["horizon", "collapsed", "non-finite"] as const;

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

/** Optional record of (gamma, beta) every `every` updates, starting with the initial state. */
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
 * Runs one trajectory from (gamma0, beta0) for at most T updates, checking the criterion after each,
 * and writes its outcome at position `slot` of `out`. The loop allocates nothing.
 */
export function runTrajectory(
  c: CompiledUnit,
  s: RngState,
  stopAtCollapse: boolean,
  out: TrajectoryOutcomes,
  slot: number,
  path: PathRecorder | null = null,
): void {
  const p = c.p;
  p[0] = c.gamma0;
  p[1] = c.beta0;
  for (let k = 0; k < c.inputDim; k++) p[2 + k] = c.w0[k];
  resetOptimizerState(c);
  c.laneNext[0] = POOL_SIZE; // a new trajectory, a new stream: no pooled normals carry over
  // phases before the last (src/engine/phases.ts) leave their state in c; the path starts after them
  const preOk = c.pre.length === 0 || runPrePhases(c, s);
  if (path !== null) recordPoint(path, p[0], p[1]);

  const T = preOk ? c.steps : 0, on = c.criterionOn, threshold = c.criterionThreshold, reduced = c.reduced;
  const plainBn = c.norm === 0;
  let first = 0;
  let reason = preOk ? STOP_HORIZON : STOP_NON_FINITE;
  let t = 0;
  while (t < T) {
    if (reduced) reducedGradients(c, s);
    else batchGradients(c, s);
    if (plainBn) optimizerStep(c, t);
    else normUpdate(c, t); // psBN and other norms: src/engine/psbn.ts
    t++;
    const gamma = p[0], beta = p[1];
    if (path !== null && t % path.every === 0) recordPoint(path, gamma, beta);
    if (!(Number.isFinite(gamma) && Number.isFinite(beta))) {
      reason = STOP_NON_FINITE;
      break;
    }
    if (first === 0 && meetsCriterion(on, threshold, gamma, beta)) {
      first = t;
      if (stopAtCollapse) {
        reason = STOP_COLLAPSED;
        break;
      }
    }
  }
  out.firstPassage[slot] = first;
  out.stepsRun[slot] = t;
  out.stopReason[slot] = reason;
  out.finalGamma[slot] = p[0];
  out.finalBeta[slot] = p[1];
}

function recordPoint(path: PathRecorder, gamma: number, beta: number): void {
  if (path.length < path.gamma.length) {
    path.gamma[path.length] = gamma;
    path.beta[path.length] = beta;
    path.length++;
  }
}
