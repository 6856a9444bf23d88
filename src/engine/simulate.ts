import type { UnitProblem } from "../model/problem.ts";
import { validateProblem } from "../model/validate.ts";
import { trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import { algorithmOf, withAlgorithm, type Algorithm } from "./algorithm.ts";
import { compileProblem, runsOnLanes, type Compiled } from "./compiled.ts";
import { simulateReducedLanes } from "./reduced-lanes.ts";
import { allocateState } from "./state.ts";
import {
  allocateOutcomes,
  createPathRecorder,
  runTrajectory,
  type PathRecorder,
  type TrajectoryOutcomes,
} from "./trajectory.ts";

export interface SimulateOptions {
  /** master seed */
  seed: string | number;
  /** number of trajectories */
  trials: number;
  /** index of the first trajectory (for blocks of a larger ensemble) */
  firstTrial?: number;
  /** names the random streams together with the seed; cells of a sweep use their coordinates */
  streamKey?: string;
  /** stop a trajectory at its first passage (default true); false runs every one to T */
  stopAtCollapse?: boolean;
  /** how the trajectories are computed; default the problem's own `model` and `noiseSampling` */
  algorithm?: Algorithm;
}

/**
 * Simulates trajectories firstTrial..firstTrial+trials-1 of one problem. Trajectory i draws from
 * its own stream keyed by (seed, streamKey, i), so any block of an ensemble reproduces exactly.
 */
export function simulateTrajectories(problem: UnitProblem, options: SimulateOptions): TrajectoryOutcomes {
  return simulateCompiled(compileValid(problem, options.algorithm), options);
}

/** Validates a problem for the algorithm that is to run it (the reduced model takes fewer), and compiles it. */
function compileValid(problem: UnitProblem, algorithm: Algorithm = algorithmOf(problem)): Compiled {
  validateProblem(withAlgorithm(problem, algorithm));
  return compileProblem(problem, algorithm);
}

/**
 * The same for an already compiled problem (workers keep one per cell). The reduced model runs many
 * trajectories side by side (src/engine/reduced-lanes.ts); the outcomes are those of
 * simulateOneByOne, bit for bit.
 */
export function simulateCompiled(unit: Compiled, options: SimulateOptions): TrajectoryOutcomes {
  if (!runsOnLanes(unit)) return simulateOneByOne(unit, options);
  const { seed, trials, firstTrial = 0, streamKey = "", stopAtCollapse = true } = options;
  const out = allocateOutcomes(trials);
  simulateReducedLanes(unit, seed, streamKey, firstTrial, trials, stopAtCollapse, out);
  return out;
}

/** Trajectory after trajectory, each run to its end by runTrajectory: the reference path. */
export function simulateOneByOne(unit: Compiled, options: SimulateOptions): TrajectoryOutcomes {
  const { seed, trials, firstTrial = 0, streamKey = "", stopAtCollapse = true } = options;
  const out = allocateOutcomes(trials);
  const s = allocateState(unit, 1);
  for (let j = 0; j < trials; j++) {
    seedState(trajectoryKey(seed, streamKey, firstTrial + j), s.streams[0]);
    runTrajectory(unit, s, stopAtCollapse, out, j);
  }
  return out;
}

/** A trajectory's (gamma, beta) path, sampled every `every` updates, for plots and notebooks. */
export interface TrajectoryPath {
  index: number;
  step: number[];
  gamma: number[];
  beta: number[];
  firstPassage: number;
  stopReason: number;
}

export function simulatePaths(
  problem: UnitProblem,
  options: SimulateOptions & { every?: number },
): TrajectoryPath[] {
  const unit = compileValid(problem, options.algorithm);
  const { seed, trials, firstTrial = 0, streamKey = "", stopAtCollapse = false } = options;
  const every = Math.max(1, Math.floor(options.every ?? Math.ceil(problem.steps / 500)));
  const out = allocateOutcomes(1);
  const s = allocateState(unit, 1);
  const paths: TrajectoryPath[] = [];
  for (let j = 0; j < trials; j++) {
    const rec: PathRecorder = createPathRecorder(problem.steps, every);
    seedState(trajectoryKey(seed, streamKey, firstTrial + j), s.streams[0]);
    runTrajectory(unit, s, stopAtCollapse, out, 0, rec);
    paths.push({
      index: firstTrial + j,
      step: Array.from({ length: rec.length }, (_, k) => k * every),
      gamma: Array.from(rec.gamma.subarray(0, rec.length)),
      beta: Array.from(rec.beta.subarray(0, rec.length)),
      firstPassage: out.firstPassage[0],
      stopReason: out.stopReason[0],
    });
  }
  return paths;
}
