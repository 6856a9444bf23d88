import { trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import { NORM_BN, POOL_SIZE, type CompiledUnit } from "./compiled.ts";
import { meetsCriterion } from "../model/criteria.ts";
import { optimizerStepAt } from "./optimizer.ts";
import { reducedGradientsOnLanes } from "./reduced-step.ts";
import { STOP_COLLAPSED, STOP_HORIZON, STOP_NON_FINITE, type TrajectoryOutcomes } from "./trajectory.ts";

/** Trajectories the reduced model runs side by side. */
export const LANES = 16;

/** The reduced model with plain BN and a single phase runs on lanes; anything else one by one. */
export function runsOnLanes(c: CompiledUnit): boolean {
  return c.reduced && c.norm === NORM_BN && c.pre.length === 0;
}

/**
 * Runs trajectories firstTrial .. firstTrial + trials - 1 of a reduced-model unit LANES at a time,
 * step by step side by side, writing outcomes at positions 0 .. trials - 1 of `out`.
 *
 * Why: one reduced step is a short chain of dependent operations (a division, table reads, the
 * update), so a single trajectory leaves the processor waiting; steps of independent trajectories
 * overlap, and the optimiser updates all lanes in one call. Each
 * trajectory still draws from its own stream and does exactly the arithmetic of runTrajectory, so
 * the outcomes are the same bits (test/reduced-lanes.test.ts). A lane whose trajectory stops is
 * filled with the last active lane; the block's step counter t is shared, which keeps the learning
 * rate schedule and Adam's bias corrections those of each trajectory.
 */
export function simulateReducedLanes(
  c: CompiledUnit,
  seed: string | number,
  streamKey: string,
  firstTrial: number,
  trials: number,
  stopAtCollapse: boolean,
  out: TrajectoryOutcomes,
): void {
  const K = LANES, T = c.steps, on = c.criterionOn, threshold = c.criterionThreshold;
  const p = new Float64Array(2 * K), g = new Float64Array(2 * K);
  const buf = new Float64Array(2 * K), m = new Float64Array(2 * K), v = new Float64Array(2 * K);
  const state = new Int32Array(4 * K), pool = new Float64Array(K * POOL_SIZE);
  const states = Array.from({ length: K }, (_, l) => state.subarray(4 * l, 4 * l + 4));
  const pools = Array.from({ length: K }, (_, l) => pool.subarray(l * POOL_SIZE, (l + 1) * POOL_SIZE));
  const next = new Int32Array(K), first = new Int32Array(K), slot = new Int32Array(K);

  for (let j0 = 0; j0 < trials; j0 += K) {
    let n = Math.min(K, trials - j0);
    for (let l = 0; l < n; l++) {
      seedState(trajectoryKey(seed, streamKey, firstTrial + j0 + l), states[l]);
      p[2 * l] = c.gamma0;
      p[2 * l + 1] = c.beta0;
      next[l] = POOL_SIZE;
      first[l] = 0;
      slot[l] = j0 + l;
    }
    buf.fill(0);
    m.fill(0);
    v.fill(0);

    let t = 0;
    while (t < T && n > 0) {
      reducedGradientsOnLanes(c, states, pools, next, p, g, n);
      optimizerStepAt(c, t, p, g, buf, m, v, 0, 2 * n);
      t++;
      // backwards, so that the last lane, moved into a stopped one, has been checked already
      for (let l = n - 1; l >= 0; l--) {
        const gamma = p[2 * l], beta = p[2 * l + 1];
        let reason = -1;
        if (!(Number.isFinite(gamma) && Number.isFinite(beta))) reason = STOP_NON_FINITE;
        else if (first[l] === 0 && meetsCriterion(on, threshold, gamma, beta)) {
          first[l] = t;
          if (stopAtCollapse) reason = STOP_COLLAPSED;
        }
        if (reason < 0) continue;
        writeOutcome(out, slot[l], first[l], t, reason, gamma, beta);
        n--;
        if (l !== n) {
          p[2 * l] = p[2 * n]; p[2 * l + 1] = p[2 * n + 1];
          buf[2 * l] = buf[2 * n]; buf[2 * l + 1] = buf[2 * n + 1];
          m[2 * l] = m[2 * n]; m[2 * l + 1] = m[2 * n + 1];
          v[2 * l] = v[2 * n]; v[2 * l + 1] = v[2 * n + 1];
          state.copyWithin(4 * l, 4 * n, 4 * n + 4);
          pool.copyWithin(l * POOL_SIZE, n * POOL_SIZE, (n + 1) * POOL_SIZE);
          next[l] = next[n];
          first[l] = first[n];
          slot[l] = slot[n];
        }
      }
    }
    for (let l = 0; l < n; l++) writeOutcome(out, slot[l], first[l], t, STOP_HORIZON, p[2 * l], p[2 * l + 1]);
  }
}

function writeOutcome(
  out: TrajectoryOutcomes,
  at: number,
  first: number,
  steps: number,
  reason: number,
  gamma: number,
  beta: number,
): void {
  out.firstPassage[at] = first;
  out.stepsRun[at] = steps;
  out.stopReason[at] = reason;
  out.finalGamma[at] = gamma;
  out.finalBeta[at] = beta;
}
