import type { Compiled } from "../engine/compiled.ts";
import { POOL_SIZE, allocateState, copyState, enterPhase, startTrajectories, type UnitState } from "../engine/state.ts";
import { step } from "../engine/step.ts";
import { RUNNING, STOP_NON_FINITE, checkUnit } from "../engine/trajectory.ts";
import { ON_RATIO, ratioOf } from "../model/criteria.ts";
import { amsStreams, trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import { createRngState, uniform53 } from "../rng/xoshiro.ts";

/**
 * One run of adaptive multilevel splitting (Cerou & Guyader 2007) in its generalised form (Brehier,
 * Gazeau, Goudenege, Lelievre & Rousset 2016), estimating P(first passage <= T) of a compiled problem.
 *
 * The score of a trajectory is the running maximum, over the updates of its last phase, of the
 * criterion's coordinate mapped to grow toward collapse: -r = -beta/|gamma| for the ratio criteria
 * (dead, ratio, sparsity), -|gamma| for gamma. The criterion holds exactly when that coordinate is at
 * or above the collapse level L = -threshold, so "collapsed by T" is "score >= L".
 *
 * N replicas start from the initial state. Each iteration takes z, the k-th lowest score; if z >= L
 * the run stops. Otherwise every replica with score <= z is killed (ties at z included: that is
 * what keeps the estimator unbiased when scores tie, Brehier et al. 2016), K of them; if K = N the
 * run ends with estimate 0. Each killed replica is replaced by a branch: a survivor chosen uniformly,
 * replayed from its own start to the first update at which its coordinate exceeds z, and continued
 * from that full state (parameters, optimiser moments, psBN counter, step index, phase) with fresh
 * random numbers. The estimate is prod_q (1 - K_q / N) times the fraction of the final replicas at L.
 *
 * A replica is stored as its start state (the branch point, its stream already seeded), so a branch
 * point is found by replaying the parent: bit for bit the same path (test/state.test.ts), at the
 * price of the replayed updates, which count in the work.
 */

export interface AmsSettings {
  /** N: replicas */
  replicas: number;
  /** k: the k-th lowest score is the next level */
  kill: number;
  /**
   * "extreme" (the default here; the sweep's default is "time"): the running maximum of the coordinate x (minus L). "time": below the level,
   * the running maximum of the distance to the collapse set in parameter units, (x - L)|gamma| for
   * the ratio criteria (= -(beta - threshold |gamma|)), x - L for gamma, divided by
   * sqrt((T - t + 1) / T): the distance in units of the spread the parameters still have time for, so
   * a state far from collapse late in the run, or with a large |gamma| (small steps in r), scores
   * lower. At or above the level both are x - L >= 0: the score reaches 0 exactly when the criterion
   * holds.
   */
  score?: "extreme" | "time";
}

/** What one AMS run returns. */
export interface AmsRunResult {
  /** the run's estimate of P(first passage <= T); 0 when every replica was killed at once, or below 1e-300 */
  p: number;
  /** natural log of p (-Infinity when p = 0), kept because p may underflow */
  logP: number;
  /** iterations (levels) taken */
  iterations: number;
  /** replicas killed over all iterations: more than k x iterations where scores tied at a level */
  killed: number;
  /** updates executed: the initial replicas, every branch, and every replay to a branch point */
  steps: number;
  /** final replicas at the collapse level */
  reached: number;
  /** distinct initial replicas the final replicas at the level descend from */
  ancestors: number;
  /** final replicas whose parameters went non-finite */
  nonFinite: number;
  /** the run ended because every replica was at or below the level (estimate 0) */
  extinct: boolean;
  /** the run stopped because the estimate fell below 1e-300 before reaching the level (estimate 0) */
  belowFloor: boolean;
}

/** ln(1e-300): below it a run's estimate is reported as 0 (belowFloor) rather than iterate on. */
const LOG_FLOOR = Math.log(1e-300);

/** The score coordinate of a state's unit 0: -r or -|gamma|, increasing toward collapse. */
function coordinate(on: number, gamma: number, beta: number): number {
  return on === ON_RATIO ? -ratioOf(gamma, beta) : -Math.abs(gamma);
}

/** The collapse level of the score: the criterion holds exactly when the coordinate is >= it. */
export function collapseLevel(c: Compiled): number {
  return -c.unit.criterionThreshold;
}

/** Mutable scratch of one run, allocated once per (compiled, N). */
interface Workspace {
  c: Compiled;
  origin: UnitState[];
  work: UnitState;
  score: Float64Array;
  /** the coordinate at each replica's start (its branch point; -Infinity for an initial replica) and how advance stopped there */
  originScore: Float64Array;
  originStop: Int8Array;
  sorted: Float64Array;
  ancestor: Int32Array;
  nonFinite: Uint8Array;
  survivors: Int32Array;
  killed: Int32Array;
  seen: Uint8Array;
  pick: Int32Array;
  /** updates executed so far in this run */
  steps: number;
  timeAware: boolean;
  L: number;
  /** the stop of the last advance: RUNNING (horizon or crossing) or a STOP_* code */
  stop: number;
}

function workspace(c: Compiled, n: number): Workspace {
  return {
    c,
    origin: Array.from({ length: n }, () => allocateState(c, 1)),
    work: allocateState(c, 1),
    score: new Float64Array(n),
    originScore: new Float64Array(n),
    originStop: new Int8Array(n),
    sorted: new Float64Array(n),
    ancestor: new Int32Array(n),
    nonFinite: new Uint8Array(n),
    survivors: new Int32Array(n),
    killed: new Int32Array(n),
    seen: new Uint8Array(n),
    pick: createRngState(),
    steps: 0,
    stop: RUNNING,
    timeAware: false,
    L: collapseLevel(c),
  };
}

/**
 * Runs s (unit 0) on through its phases, as runToEnd does, and returns the running maximum of the
 * score coordinate over the last phase's updates, starting from `best`. It stops at the horizon, at
 * a non-finite parameter, at the first passage (the coordinate reaches L), or, when `until` is
 * finite, at the first update of the last phase whose coordinate exceeds `until` (a replay to a
 * branch point). ws.stop tells which.
 */
function advance(ws: Workspace, s: UnitState, best: number, until: number): number {
  const c = ws.c, on = c.unit.criterionOn, p = s.p, timeAware = ws.timeAware, L = ws.L;
  ws.stop = RUNNING;
  for (;;) {
    const ph = c.phases[s.phase], T = ph.steps, last = ph.last;
    while (s.t < T) {
      step(c, s);
      ws.steps++;
      const reason = checkUnit(c, s, 0, true);
      if (reason === STOP_NON_FINITE) {
        ws.stop = reason;
        return best;
      }
      if (last) {
        let x = coordinate(on, p[0], p[1]) - L;
        if (timeAware && x < 0) x *= (on === ON_RATIO ? Math.abs(p[0]) : 1) / Math.sqrt((T - s.t + 1) / T);
        if (x > best) best = x;
        if (x > until || reason !== RUNNING) {
          ws.stop = reason;
          return best;
        }
      }
    }
    if (last) return best;
    enterPhase(c, s, s.phase + 1);
  }
}

let cached: Workspace | null = null;

/**
 * One AMS run: run `run` of the cell whose streams `streamKey` names, under `seed`. Replica i of
 * iteration q draws from trajectoryKey(seed, amsStreams(streamKey, run, q), i) (src/rng/keys.ts),
 * so a run's result depends on nothing but its key: not on the worker, the shard or the order.
 */
export function runAms(c: Compiled, settings: AmsSettings, seed: string | number, streamKey: string, run: number): AmsRunResult {
  const n = settings.replicas, k = settings.kill;
  if (!(Number.isInteger(n) && n >= 2 && Number.isInteger(k) && k >= 1 && k < n)) {
    throw new RangeError(`AMS needs integers N >= 2 and 1 <= k < N (got N = ${n}, k = ${k})`);
  }
  const ws = cached !== null && cached.c === c && cached.origin.length === n ? cached : (cached = workspace(c, n));
  ws.steps = 0;
  ws.timeAware = settings.score === "time";
  const L = 0; // scores are measured from the collapse level
  const { origin, work, score, originScore, originStop, sorted, ancestor, nonFinite, survivors, killed, seen } = ws;

  const first = amsStreams(streamKey, run, 0);
  for (let i = 0; i < n; i++) {
    const s = origin[i];
    startTrajectories(c, s, 1);
    seedState(trajectoryKey(seed, first, i), s.streams[0]);
    copyState(s, work);
    score[i] = advance(ws, work, -Infinity, Infinity);
    nonFinite[i] = ws.stop === STOP_NON_FINITE ? 1 : 0;
    ancestor[i] = i;
    originScore[i] = -Infinity;
    originStop[i] = RUNNING;
  }

  let logP = 0, iterations = 0, killedTotal = 0, extinct = false, belowFloor = false;
  for (;;) {
    sorted.set(score);
    sorted.sort();
    const z = sorted[k - 1];
    if (z >= L) break;
    let nk = 0, ns = 0;
    for (let i = 0; i < n; i++) {
      if (score[i] <= z) killed[nk++] = i;
      else survivors[ns++] = i;
    }
    iterations++;
    killedTotal += nk;
    if (ns === 0) {
      extinct = true;
      break;
    }
    logP += Math.log(ns / n);
    if (logP < LOG_FLOOR) {
      belowFloor = true;
      break;
    }
    const family = amsStreams(streamKey, run, iterations);
    for (let a = 0; a < nk; a++) {
      const i = killed[a];
      seedState(trajectoryKey(seed, family, i), ws.pick);
      const j = survivors[Math.floor(uniform53(ws.pick) * ns)];
      // the branch point: the survivor's first state above z, its own start when that is above z
      // already (a branch point of an earlier level), else found by replaying it from its start
      const s = origin[i];
      let x: number, stop: number;
      if (originScore[j] > z) {
        copyState(origin[j], s);
        x = originScore[j];
        stop = originStop[j];
      } else {
        copyState(origin[j], work);
        x = advance(ws, work, -Infinity, z);
        stop = ws.stop;
        if (!(x > z)) throw new Error(`AMS: replaying replica ${j} did not cross the level ${z} it had crossed (score ${score[j]})`);
        copyState(work, s);
      }
      s.rng.set(ws.pick); // fresh numbers from here: the branch's own stream, after its pick
      s.poolNext[0] = POOL_SIZE; // the reduced model's pooled normals belong to the parent's stream
      originScore[i] = x;
      originStop[i] = stop;
      ancestor[i] = ancestor[j];
      if (stop !== RUNNING) {
        // the branch point is already the end: at the collapse level
        score[i] = x;
        nonFinite[i] = 0;
        continue;
      }
      copyState(s, work);
      score[i] = advance(ws, work, x, Infinity);
      nonFinite[i] = ws.stop === STOP_NON_FINITE ? 1 : 0;
    }
  }

  let reached = 0, ancestors = 0, bad = 0;
  seen.fill(0);
  for (let i = 0; i < n; i++) {
    bad += nonFinite[i];
    if (score[i] >= L) {
      reached++;
      if (seen[ancestor[i]] === 0) {
        seen[ancestor[i]] = 1;
        ancestors++;
      }
    }
  }
  if (extinct || belowFloor || reached === 0) logP = -Infinity;
  else logP += Math.log(reached / n);
  return { p: Math.exp(logP), logP, iterations, killed: killedTotal, steps: ws.steps, reached, ancestors, nonFinite: bad, extinct, belowFloor };
}
