/**
 * The reduced model runs LANES trajectories side by side (src/engine/reduced-lanes.ts). Its outcomes
 * must be those of running each trajectory on its own (simulateOneByOne), bit for bit, for every
 * optimiser, schedule, criterion and stop rule, and blocks must not leak state into each other.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { LANES, compileProblem, runsOnLanes } from "../src/engine/compiled.ts";
import { simulateCompiled, simulateOneByOne, simulateTrajectories } from "../src/engine/simulate.ts";
import { STOP_COLLAPSED, STOP_HORIZON, STOP_NON_FINITE, type TrajectoryOutcomes } from "../src/engine/trajectory.ts";
import { DEFAULT_OPTIMIZER, defineProblem, type UnitProblem } from "../src/model/problem.ts";

function plain(o: TrajectoryOutcomes) {
  return {
    firstPassage: Array.from(o.firstPassage),
    stepsRun: Array.from(o.stepsRun),
    stopReason: Array.from(o.stopReason),
    finalGamma: Array.from(o.finalGamma),
    finalBeta: Array.from(o.finalBeta),
  };
}

const reduced = (extra: Partial<Parameters<typeof defineProblem>[0]>): UnitProblem =>
  defineProblem({ model: "reduced", batch: 16, steps: 300, collapse: { kind: "ratio", c: 2 }, ...extra });

const CASES: { name: string; problem: UnitProblem; stop: boolean; expect: number[] }[] = [
  { name: "sgd, stopped at collapse", problem: reduced({ optimizer: { kind: "sgd", lr: 0.4 } }), stop: true, expect: [STOP_COLLAPSED, STOP_HORIZON] },
  { name: "sgd, run to the horizon", problem: reduced({ optimizer: { kind: "sgd", lr: 0.4 } }), stop: false, expect: [STOP_HORIZON] },
  {
    name: "momentum with weight decay and a step schedule",
    problem: reduced({ optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9, weightDecay: 0.01, schedule: { kind: "step", every: 50, factor: 0.7 } } }),
    stop: true,
    expect: [STOP_COLLAPSED, STOP_HORIZON],
  },
  {
    name: "adam, signal, leaky slope, gamma criterion",
    problem: reduced({
      optimizer: { kind: "adam", lr: 0.02 }, activation: { kind: "leaky", alpha: 0.1 },
      loss: { kind: "noise", signal: 0.2, noise: { kind: "gauss", sigma: 1 } }, collapse: { kind: "gamma", e: 0.3 },
    }),
    stop: true,
    expect: [STOP_COLLAPSED, STOP_HORIZON],
  },
  {
    name: "adamw with a cosine schedule, dead criterion, beta0 < 0",
    problem: reduced({ optimizer: { kind: "adamw", lr: 0.05, weightDecay: 0.1, schedule: { kind: "cosine", minFactor: 0.1 } }, beta0: -1.5, collapse: { kind: "dead" } }),
    stop: false,
    expect: [STOP_HORIZON],
  },
  {
    name: "sgd at a learning rate that overflows",
    problem: reduced({ optimizer: { kind: "sgd", lr: 1e200 }, loss: { kind: "noise", signal: 1e200, noise: { kind: "gauss", sigma: 1 } }, collapse: { kind: "gamma", e: 1e-300 } }),
    stop: true,
    expect: [STOP_NON_FINITE],
  },
];

for (const c of CASES) {
  test(`lanes equal one by one, bit for bit: ${c.name}`, () => {
    const unit = compileProblem(c.problem);
    assert.ok(runsOnLanes(unit));
    // 2.3 blocks of lanes, starting at trajectory 5 of the ensemble
    const options = { seed: "lanes", streamKey: c.name, firstTrial: 5, trials: 2 * LANES + 5, stopAtCollapse: c.stop };
    const lanes = plain(simulateCompiled(unit, options));
    const oneByOne = plain(simulateOneByOne(compileProblem(c.problem), options));
    assert.deepEqual(lanes, oneByOne);
    // the case exercises what it names: each expected stop reason occurs, and nothing else
    assert.deepEqual([...new Set(lanes.stopReason)].sort(), [...c.expect].sort());
  });
}

test("lanes: a block of trajectories gives each the numbers it gets alone", () => {
  const problem = CASES[0].problem;
  const block = plain(simulateTrajectories(problem, { seed: 3, trials: LANES + 3 }));
  for (const j of [0, 7, LANES, LANES + 2]) {
    const alone = plain(simulateTrajectories(problem, { seed: 3, firstTrial: j, trials: 1 }));
    assert.equal(alone.finalBeta[0], block.finalBeta[j]);
    assert.equal(alone.firstPassage[0], block.firstPassage[j]);
  }
});

test("reduced model with phases: one by one, each trajectory's numbers do not depend on the block", () => {
  const opt = { ...DEFAULT_OPTIMIZER, kind: "momentum" as const, lr: 0.1 };
  const problem = reduced({ optimizer: opt, steps: 50, phases: [{ steps: 31, optimizer: opt }] });
  assert.ok(!runsOnLanes(compileProblem(problem)));
  const block = plain(simulateTrajectories(problem, { seed: 4, trials: 6, stopAtCollapse: false }));
  const alone = plain(simulateTrajectories(problem, { seed: 4, firstTrial: 5, trials: 1, stopAtCollapse: false }));
  assert.equal(alone.finalBeta[0], block.finalBeta[5]);
  assert.equal(alone.finalGamma[0], block.finalGamma[5]);
});

test("reduced model: phases with kept optimiser state are the single run, bit for bit (normals flow on)", () => {
  const opt = { ...DEFAULT_OPTIMIZER, kind: "adam" as const, lr: 0.01 };
  const never = { kind: "ratio", c: 1e9 } as const;
  const whole = reduced({ optimizer: opt, steps: 81, collapse: never });
  // 31 steps use 62 normals of a pool of 64: the next phase must go on with the two left
  const parts = reduced({ optimizer: opt, steps: 50, collapse: never, keepOptimizerState: true, phases: [{ steps: 31, optimizer: opt }] });
  const a = plain(simulateTrajectories(whole, { seed: 9, trials: 5, stopAtCollapse: false }));
  const b = plain(simulateTrajectories(parts, { seed: 9, trials: 5, stopAtCollapse: false }));
  assert.deepEqual(b.finalBeta, a.finalBeta);
  assert.deepEqual(b.finalGamma, a.finalGamma);
});
