/**
 * Reproducibility of the simulator: trajectory i of a cell draws from its own stream keyed by
 * (seed, streamKey, i), so results depend on nothing else: not on repetition, block boundaries,
 * block order, or what else the same compiled unit ran before. All checks are exact.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateCompiled, simulatePaths, simulateTrajectories } from "../src/engine/simulate.ts";
import { compileProblem } from "../src/engine/compiled.ts";
import type { TrajectoryOutcomes } from "../src/engine/trajectory.ts";
import { defineProblem, type UnitProblem } from "../src/model/problem.ts";

const FIELDS = ["firstPassage", "stepsRun", "stopReason", "finalGamma", "finalBeta"] as const;

/** Problems that exercise every kind of per-trajectory state: optimiser buffers, w, noise paths. */
const PROBLEMS: { name: string; problem: UnitProblem }[] = [
  {
    name: "sgd exact-sum",
    problem: defineProblem({ batch: 8, steps: 200, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 1.5 } }),
  },
  {
    name: "sgd per-sample",
    problem: defineProblem({ batch: 8, steps: 200, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 1.5 }, noiseSampling: "per-sample" }),
  },
  {
    name: "momentum + weight decay",
    problem: defineProblem({ batch: 8, steps: 200, optimizer: { kind: "momentum", lr: 0.03, weightDecay: 1e-3 }, collapse: { kind: "ratio", c: 1.5 } }),
  },
  {
    name: "adam",
    problem: defineProblem({ batch: 8, steps: 200, optimizer: { kind: "adam", lr: 0.05 }, collapse: { kind: "ratio", c: 1.5 } }),
  },
  {
    name: "linear input dim 3, student-t noise, leaky",
    problem: defineProblem({
      batch: 8,
      steps: 200,
      input: { kind: "linear", dim: 3 },
      activation: { kind: "leaky", alpha: 0.1 },
      loss: { kind: "noise", noise: { kind: "student", nu: 4, sigma: 1 }, signal: 0 },
      optimizer: { lr: 0.3 },
      collapse: { kind: "ratio", c: 1.5 },
    }),
  },
  {
    name: "teacher, cosine schedule",
    problem: defineProblem({
      batch: 8,
      steps: 200,
      loss: { kind: "teacher", readout: 1, gamma: 1, beta: 0.2, labelNoise: 1 },
      optimizer: { lr: 0.3, schedule: { kind: "cosine", minFactor: 0.1 } },
      collapse: { kind: "ratio", c: 1.5 },
    }),
  },
];

function concat(a: TrajectoryOutcomes, b: TrajectoryOutcomes): TrajectoryOutcomes {
  const join = <T extends Int32Array | Uint8Array | Float64Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    firstPassage: join(a.firstPassage, b.firstPassage),
    stepsRun: join(a.stepsRun, b.stepsRun),
    stopReason: join(a.stopReason, b.stopReason),
    finalGamma: join(a.finalGamma, b.finalGamma),
    finalBeta: join(a.finalBeta, b.finalBeta),
  };
}

function assertSame(a: TrajectoryOutcomes, b: TrajectoryOutcomes, what: string): void {
  for (const f of FIELDS) assert.deepEqual(a[f], b[f], `${what}: ${f}`);
}

test("same seed, same numbers; and the runs are genuinely random", () => {
  for (const { name, problem } of PROBLEMS) {
    const opts = { seed: 7, trials: 60, streamKey: "cell-a" };
    const a = simulateTrajectories(problem, opts);
    const b = simulateTrajectories(problem, opts);
    assertSame(a, b, name);
    // every trajectory has its own stream: all final gammas distinct
    assert.equal(new Set(a.finalGamma).size, a.finalGamma.length, `${name}: trajectories repeat`);
    // and with stopAtCollapse false as well
    const c = simulateTrajectories(problem, { ...opts, stopAtCollapse: false });
    const d = simulateTrajectories(problem, { ...opts, stopAtCollapse: false });
    assertSame(c, d, `${name} (to T)`);
  }
});

test("different seeds or stream keys give different results", () => {
  for (const { name, problem } of PROBLEMS) {
    const base = simulateTrajectories(problem, { seed: 7, trials: 30, streamKey: "cell-a" });
    const otherSeed = simulateTrajectories(problem, { seed: 8, trials: 30, streamKey: "cell-a" });
    const otherKey = simulateTrajectories(problem, { seed: 7, trials: 30, streamKey: "cell-b" });
    assert.notDeepEqual(otherSeed.finalGamma, base.finalGamma, `${name}: seed ignored`);
    assert.notDeepEqual(otherKey.finalGamma, base.finalGamma, `${name}: streamKey ignored`);
    // not merely a different arrangement of the same values
    let shared = 0;
    const seen = new Set(base.finalGamma);
    for (const v of otherSeed.finalGamma) if (seen.has(v)) shared++;
    for (const v of otherKey.finalGamma) if (seen.has(v)) shared++;
    assert.equal(shared, 0, `${name}: ${shared} final gammas shared between different seeds/keys`);
  }
});

test("trajectories i..j as one block equal the same indices as two blocks (firstTrial offset)", () => {
  for (const { name, problem } of PROBLEMS) {
    const seed = "blocks";
    const whole = simulateTrajectories(problem, { seed, trials: 50, firstTrial: 10 });
    const first = simulateTrajectories(problem, { seed, trials: 23, firstTrial: 10 });
    const second = simulateTrajectories(problem, { seed, trials: 27, firstTrial: 33 });
    assertSame(concat(first, second), whole, name);
    // a single trajectory run alone is the same as inside its block
    const single = simulateTrajectories(problem, { seed, trials: 1, firstTrial: 41 });
    for (const f of FIELDS) assert.equal(single[f][0], whole[f][41 - 10], `${name}: trajectory 41 alone, ${f}`);
    // firstTrial defaults to 0, and the offset really shifts the streams
    const fromZero = simulateTrajectories(problem, { seed, trials: 10 });
    const explicitZero = simulateTrajectories(problem, { seed, trials: 10, firstTrial: 0 });
    assertSame(fromZero, explicitZero, `${name}: firstTrial default`);
    assert.notDeepEqual(fromZero.finalGamma, whole.finalGamma.subarray(0, 10), `${name}: firstTrial ignored`);
  }
});

test("results do not depend on the order in which blocks are run, nor on a reused compiled unit", () => {
  for (const { name, problem } of PROBLEMS) {
    const seed = "order";
    const reference = simulateTrajectories(problem, { seed, trials: 40 });
    // one compiled unit reused for all blocks, run in reverse and scrambled order; in between it also
    // runs other trajectories of the same and of another seed, and to the full horizon, so any state
    // left over (momentum buffer, Adam moments, w, scratch) would show
    const unit = compileProblem(problem);
    const blocks = [
      [30, 10],
      [0, 5],
      [17, 13],
      [5, 12],
    ] as const;
    const parts = new Map<number, TrajectoryOutcomes>();
    for (const [firstTrial, trials] of blocks) {
      simulateCompiled(unit, { seed: "noise-in-between", trials: 3, firstTrial: firstTrial + 1000, stopAtCollapse: false });
      parts.set(firstTrial, simulateCompiled(unit, { seed, trials, firstTrial }));
    }
    const starts = [...parts.keys()].sort((x, y) => x - y);
    let assembled = parts.get(starts[0])!;
    for (const s of starts.slice(1)) assembled = concat(assembled, parts.get(s)!);
    assertSame(assembled, reference, name);
  }
});

test("simulatePaths follows the same trajectories as simulateTrajectories", () => {
  for (const { name, problem } of PROBLEMS) {
    const opts = { seed: "paths", trials: 12, firstTrial: 5, stopAtCollapse: false };
    const out = simulateTrajectories(problem, opts);
    const paths = simulatePaths(problem, { ...opts, every: 10 }); // 10 divides T = 200
    assert.equal(paths.length, 12);
    for (let j = 0; j < paths.length; j++) {
      const p = paths[j];
      assert.equal(p.index, 5 + j);
      assert.equal(p.firstPassage, out.firstPassage[j], `${name}: path ${j} first passage`);
      assert.equal(p.stopReason, out.stopReason[j], `${name}: path ${j} stop reason`);
      assert.equal(p.gamma.length, 200 / 10 + 1);
      assert.equal(p.gamma[0], problem.gamma0);
      assert.equal(p.beta[0], problem.beta0);
      assert.equal(p.step[p.step.length - 1], 200);
      assert.equal(p.gamma[p.gamma.length - 1], out.finalGamma[j], `${name}: path ${j} final gamma`);
      assert.equal(p.beta[p.beta.length - 1], out.finalBeta[j], `${name}: path ${j} final beta`);
    }
  }
});
