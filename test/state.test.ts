/**
 * The engine's state (src/engine/state.ts) holds everything a run's future depends on: a copy taken
 * at any update continues exactly as the original does, bit for bit, for every kind of state the step
 * touches (the optimiser's moments and age across a phase boundary, psBN's counter, the reduced
 * model's pooled normals part-used, a learned pre-layer); and the algorithm is an argument of the run.
 * Exact checks, no tolerance.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileProblem } from "../src/engine/compiled.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { allocateState, copyState, startTrajectories } from "../src/engine/state.ts";
import { step } from "../src/engine/step.ts";
import { RUNNING, checkUnit, runToEnd } from "../src/engine/trajectory.ts";
import { ConfigError } from "../src/model/errors.ts";
import { DEFAULT_OPTIMIZER, defineProblem } from "../src/model/problem.ts";
import { seedState } from "../src/rng/streams.ts";

const adam = { ...DEFAULT_OPTIMIZER, kind: "adam" as const, lr: 0.02 };
const CASES = [
  {
    name: "mechanistic, Adam kept across a phase boundary, copied in the first phase",
    problem: defineProblem({ batch: 8, steps: 120, optimizer: adam, keepOptimizerState: true, phases: [{ steps: 80, optimizer: { ...adam, lr: 0.05 } }] }),
    at: 57,
  },
  {
    name: "mechanistic psBN with momentum, copied while the counter runs",
    problem: defineProblem({ batch: 8, steps: 300, beta0: -1.5, norm: { kind: "revive", margin: 0.5, patience: 6 }, optimizer: { kind: "momentum", lr: 0.2 } }),
    at: 3,
  },
  {
    name: "mechanistic, learned pre-layer, Student-t noise, per-sample",
    problem: defineProblem({ batch: 6, steps: 200, input: { kind: "linear", dim: 3 }, loss: { kind: "noise", noise: { kind: "student", nu: 4, sigma: 1 }, signal: 0.1 } }),
    at: 91,
  },
  {
    name: "reduced, pooled normals part-used (copied after an odd number of steps)",
    problem: defineProblem({ model: "reduced", batch: 16, steps: 400, optimizer: { kind: "adamw", lr: 0.03, weightDecay: 0.1 } }),
    at: 45,
  },
];

for (const { name, problem, at } of CASES) {
  test(`copyState: a copy continues as the original, bit for bit: ${name}`, () => {
    const c = compileProblem(problem);
    const original = allocateState(c, 1), copy = allocateState(c, 1);
    startTrajectories(c, original, 1);
    seedState("state-copy", original.streams[0]);
    for (let k = 0; k < at; k++) {
      step(c, original);
      assert.equal(checkUnit(c, original, 0, false), RUNNING);
    }
    // the copy is taken where the state says what it names: psBN counting, the pool part-used
    if (problem.norm?.kind === "revive") assert.ok(original.inactiveRun[0] > 0, "revive's counter is running");
    if (problem.model === "reduced") assert.ok(original.poolNext[0] > 0 && original.poolNext[0] < original.pools[0].length, "pool part-used");
    copyState(original, copy);
    const reasonA = runToEnd(c, original, false, null);
    const reasonB = runToEnd(c, copy, false, null);
    assert.equal(reasonB, reasonA);
    assert.deepEqual(copy.p, original.p);
    assert.deepEqual(copy.m, original.m);
    assert.deepEqual(copy.rng, original.rng);
    assert.equal(copy.t, original.t);
    assert.equal(copy.firstPassage[0], original.firstPassage[0]);
    // and the run is the one the engine gives from the start
    const whole = allocateState(c, 1);
    startTrajectories(c, whole, 1);
    seedState("state-copy", whole.streams[0]);
    runToEnd(c, whole, false, null);
    assert.deepEqual(whole.p, original.p);
  });
}

test("copyState: a copy with its stream reseeded branches off (fresh numbers from the same point)", () => {
  const c = compileProblem(CASES[3].problem);
  const a = allocateState(c, 1), b = allocateState(c, 1);
  startTrajectories(c, a, 1);
  seedState("state-branch", a.streams[0]);
  for (let k = 0; k < 20; k++) step(c, a);
  copyState(a, b);
  seedState("state-branch/child", b.streams[0]);
  b.poolNext[0] = b.pools[0].length; // drop the pooled normals drawn from the parent's stream
  runToEnd(c, a, false, null);
  runToEnd(c, b, false, null);
  assert.notEqual(b.p[1], a.p[1]);
});

test("the algorithm is an argument of the run: the same problem run reduced equals the problem that names it", () => {
  const problem = defineProblem({ batch: 16, steps: 200, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 } });
  const opts = { seed: 9, trials: 40, stopAtCollapse: false };
  const asArgument = simulateTrajectories(problem, { ...opts, algorithm: { model: "reduced", sampling: "exact-sum" } });
  const named = simulateTrajectories({ ...problem, model: "reduced" }, opts);
  assert.deepEqual(asArgument, named);
  const perSample = simulateTrajectories(problem, { ...opts, algorithm: { model: "mechanistic", sampling: "per-sample" } });
  assert.deepEqual(perSample, simulateTrajectories({ ...problem, noiseSampling: "per-sample" }, opts));
  assert.notDeepEqual(perSample.finalBeta, simulateTrajectories(problem, opts).finalBeta);
  // the problem is validated for the algorithm that runs it: the reduced model has no teacher law
  const teacher = defineProblem({ loss: { kind: "teacher", readout: 1, gamma: 1, beta: 0, labelNoise: 1 } });
  assert.throws(() => simulateTrajectories(teacher, { ...opts, algorithm: { model: "reduced", sampling: "exact-sum" } }), ConfigError);
});
