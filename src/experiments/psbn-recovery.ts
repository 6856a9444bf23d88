import { compileProblem } from "../engine/compiled.ts";
import { simulatePaths } from "../engine/simulate.ts";
import { allocateState, startTrajectories } from "../engine/state.ts";
import { step } from "../engine/step.ts";
import { criterionShift } from "../model/criteria.ts";
import { defineProblem, type Norm } from "../model/problem.ts";
import { validateProblem } from "../model/validate.ts";
import { trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import { wilsonInterval } from "../stats/binomial.ts";

/**
 * The psBN measurements of docs/psbn.md and the figure psbn-recovery: (1) how long a dead psBN unit
 * takes to fire again under weight decay, against lr x lambda and alpha; (2) the fraction of units in
 * their dead cone over time under BN, psBN and revive on the same random numbers.
 */

/** One cell of the recovery grid: a psBN unit started at (gamma0, beta0), SGD at lr with L2 decay lambda (or momentum). */
export interface RecoveryCell {
  alpha: number;
  /** SGD with this momentum (PyTorch's) instead of plain SGD */
  momentum?: number;
  lr: number;
  weightDecay: number;
  batch: number;
  gamma0: number;
  beta0: number;
}

export interface RecoveryRuns {
  /** per path: the first update after which the unit is outside its dead cone (0: never within maxSteps) */
  exit: Int32Array;
  /** per path: the first update whose batch had an active sample, i.e. a non-zero loss gradient (0: none within maxSteps) */
  fire: Int32Array;
}

/**
 * Runs `paths` psBN units of a cell (noise loss, sigma 1, BN eps 0, exact-sum noise) until their first
 * firing or maxSteps, on the streams trajectoryKey(seed, streamKey, i). Firing is read from the engine's
 * gradient: with no active sample dL/dgamma is exactly 0 (src/engine/batch-gradients.ts), with one it
 * is sigma |xhat| z / B, non-zero with probability 1. The cone test reads the engine's state, which holds
 * the effective shift beta + alpha (src/engine/psbn.ts).
 */
export function measureRecovery(cell: RecoveryCell, options: { seed: string | number; paths: number; maxSteps: number; streamKey?: string }): RecoveryRuns {
  const problem = defineProblem({
    batch: cell.batch, gamma0: cell.gamma0, beta0: cell.beta0, bnEps: 0, steps: options.maxSteps,
    norm: { kind: "psbn", alpha: cell.alpha },
    optimizer: cell.momentum === undefined ? { lr: cell.lr, weightDecay: cell.weightDecay } : { kind: "momentum", lr: cell.lr, momentum: cell.momentum, weightDecay: cell.weightDecay },
  });
  validateProblem(problem);
  const c = compileProblem(problem);
  const s = allocateState(c, 1), g = c.scratch.g, edge = Math.sqrt(cell.batch - 1);
  const exit = new Int32Array(options.paths), fire = new Int32Array(options.paths);
  for (let i = 0; i < options.paths; i++) {
    startTrajectories(c, s, 1);
    seedState(trajectoryKey(options.seed, options.streamKey ?? "psbn-recovery", i), s.streams[0]);
    while (s.t < options.maxSteps) {
      step(c, s);
      if (exit[i] === 0 && s.p[1] > -Math.abs(s.p[0]) * edge) exit[i] = s.t;
      if (g[0] !== 0) {
        fire[i] = s.t;
        break;
      }
    }
  }
  return { exit, fire };
}

/** The sample q-quantile of recovery times with its distribution-free 95% interval (order statistics); null where not reached. */
export function quantileWithInterval(times: Int32Array, q: number): { value: number | null; lo: number | null; hi: number | null; censored: number } {
  const n = times.length;
  const sorted = Array.from(times, (t) => (t === 0 ? Infinity : t)).sort((a, b) => a - b);
  const at = (k: number) => (k >= 0 && k < n && Number.isFinite(sorted[k]) ? sorted[k] : null);
  // ranks whose binomial(n, q) interval covers the quantile at about 95%: k = nq -+ 1.96 sqrt(n q (1 - q))
  const half = 1.96 * Math.sqrt(n * q * (1 - q));
  return {
    value: at(Math.ceil(n * q) - 1),
    lo: at(Math.max(0, Math.floor(n * q - half) - 1)),
    hi: at(Math.min(n - 1, Math.ceil(n * q + half) - 1)),
    censored: sorted.filter((t) => !Number.isFinite(t)).length,
  };
}

/** A norm's label and value for the fraction-over-time panel. */
export interface NormRun {
  label: string;
  norm: Norm;
}

export interface DeadFractionPoint {
  series: string;
  step: number;
  fraction: number;
  lo: number;
  hi: number;
}

/**
 * The fraction of `paths` units in their dead cone (beta + shift <= -|gamma| sqrt(B - 1), the shift of
 * criterionShift) every `every` updates, for each norm on the same seed and stream key, so every norm
 * sees the same batches and noises; Wilson 95% intervals.
 */
export function deadFractionOverTime(
  base: Parameters<typeof defineProblem>[0],
  norms: readonly NormRun[],
  options: { seed: string | number; paths: number; every: number },
): DeadFractionPoint[] {
  return norms.flatMap(({ label, norm }) => {
    const problem = defineProblem({ ...base, norm });
    const edge = Math.sqrt(problem.batch - 1), shift = criterionShift(norm);
    const paths = simulatePaths(problem, { seed: options.seed, trials: options.paths, every: options.every, streamKey: "psbn-dead-fraction", stopAtCollapse: false });
    return paths[0].step.map((stepAt, k) => {
      const dead = paths.filter((p) => p.beta[k] + shift <= -Math.abs(p.gamma[k]) * edge).length;
      const [lo, hi] = wilsonInterval(dead, paths.length);
      return { series: label, step: stepAt, fraction: dead / paths.length, lo, hi };
    });
  });
}
