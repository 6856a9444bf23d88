import { trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import type { Compiled } from "./compiled.ts";
import { allocateState, moveUnit, startTrajectories } from "./state.ts";
import { step } from "./step.ts";
import { RUNNING, STOP_HORIZON, checkUnit, writeOutcome, type TrajectoryOutcomes } from "./trajectory.ts";

/**
 * Runs trajectories firstTrial .. firstTrial + trials - 1 of a reduced-model problem compiled to run
 * on lanes (runsOnLanes), LANES at a time as the units of one state, step by step side by side,
 * writing outcomes at positions 0 .. trials - 1 of `out`.
 *
 * Why: one reduced step is a short chain of dependent operations (a division, table reads, the
 * update), so a single trajectory leaves the processor waiting; steps of independent trajectories
 * overlap, and the optimiser updates all lanes in one call. Each trajectory still draws from its own
 * stream and does exactly the arithmetic of runTrajectory, so the outcomes are the same bits
 * (test/reduced-lanes.test.ts). A lane whose trajectory stops is filled with the last active lane;
 * the state's step counter is shared, which keeps the learning rate schedule and Adam's bias
 * corrections those of each trajectory.
 */
export function simulateReducedLanes(
  c: Compiled,
  seed: string | number,
  streamKey: string,
  firstTrial: number,
  trials: number,
  stopAtCollapse: boolean,
  out: TrajectoryOutcomes,
): void {
  const s = allocateState(c), K = s.units, T = c.phases[0].steps;
  const slot = new Int32Array(K);
  for (let j0 = 0; j0 < trials; j0 += K) {
    const n = Math.min(K, trials - j0);
    startTrajectories(c, s, n);
    for (let l = 0; l < n; l++) {
      seedState(trajectoryKey(seed, streamKey, firstTrial + j0 + l), s.streams[l]);
      slot[l] = j0 + l;
    }
    while (s.t < T && s.active > 0) {
      step(c, s);
      // backwards, so that the last lane, moved into a stopped one, has been checked already
      for (let l = s.active - 1; l >= 0; l--) {
        const reason = checkUnit(c, s, l, stopAtCollapse);
        if (reason === RUNNING) continue;
        writeOutcome(out, slot[l], c, s, l, reason);
        const last = --s.active;
        if (l !== last) {
          moveUnit(s, last, l);
          slot[l] = slot[last];
        }
      }
    }
    for (let l = 0; l < s.active; l++) writeOutcome(out, slot[l], c, s, l, STOP_HORIZON);
  }
}
