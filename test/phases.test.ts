/**
 * Training phases (runToEnd in src/engine/trajectory.ts, enterPhase in src/engine/state.ts;
 * docs/regimes.md). Exact checks: a run split into phases with the same optimiser and kept state is
 * the single-phase run, bit for bit; resetting Adam's moments changes it; a pre-training phase with
 * the teacher loss moves the state toward the teacher; configs with phases resolve, and bad phases
 * are refused naming the field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { ConfigError } from "../src/model/errors.ts";
import { DEFAULT_OPTIMIZER, defineProblem, type OptimizerKind, type UnitProblem } from "../src/model/problem.ts";

const N = 40;
const never = { kind: "ratio", c: 1e9 } as const;

function finals(problem: UnitProblem, key = "phases") {
  const out = simulateTrajectories(problem, { seed: 7, trials: N, streamKey: key, stopAtCollapse: false });
  return { gamma: Array.from(out.finalGamma), beta: Array.from(out.finalBeta), steps: Array.from(out.stepsRun) };
}

function split(kind: OptimizerKind, keep: boolean, lr = 0.02): [UnitProblem, UnitProblem] {
  const opt = { kind, lr, momentum: 0.9 };
  const whole = defineProblem({ batch: 16, steps: 120, collapse: never, optimizer: opt });
  const parts = defineProblem({
    batch: 16, steps: 50, collapse: never, optimizer: opt, keepOptimizerState: keep,
    phases: [{ steps: 30, optimizer: { ...DEFAULT_OPTIMIZER, ...opt } }, { steps: 40, optimizer: { ...DEFAULT_OPTIMIZER, ...opt } }],
  });
  return [whole, parts];
}

for (const kind of ["sgd", "momentum", "adam", "adamw"] as const) {
  test(`${kind}: phases with kept optimiser state are the single run, bit for bit`, () => {
    const [whole, parts] = split(kind, true);
    const a = finals(whole), b = finals(parts);
    assert.deepEqual(b.gamma, a.gamma);
    assert.deepEqual(b.beta, a.beta);
  });
}

test("sgd has no state: resetting it between phases changes nothing", () => {
  const [whole, parts] = split("sgd", false);
  assert.deepEqual(finals(parts).beta, finals(whole).beta);
});

for (const kind of ["momentum", "adam"] as const) {
  test(`${kind}: resetting the optimiser state at phase boundaries changes the run`, () => {
    const [whole, parts] = split(kind, false);
    const a = finals(whole).beta, b = finals(parts).beta;
    assert.ok(a.some((v, i) => v !== b[i]));
  });
}

test("a teacher pre-training phase leaves (gamma, r) near the teacher's; the last phase starts there", () => {
  const teacher = { kind: "teacher", readout: 1, gamma: 0.3, beta: -0.6, labelNoise: 0.2 } as const;
  const p = defineProblem({
    batch: 32, steps: 1, collapse: never, optimizer: { lr: 1e-9 },
    phases: [{ steps: 800, optimizer: { ...DEFAULT_OPTIMIZER, lr: 0.05 }, loss: teacher }],
  });
  const f = finals(p);
  const meanG = f.gamma.reduce((a, b) => a + b, 0) / N;
  const meanR = f.beta.reduce((a, b, i) => a + b / Math.abs(f.gamma[i]), 0) / N;
  assert.ok(Math.abs(meanG - 0.3) < 0.08, `mean gamma ${meanG}`);
  assert.ok(Math.abs(meanR + 2) < 0.3, `mean r ${meanR}`);
  assert.deepEqual(f.steps, new Array(N).fill(1)); // stepsRun counts the last phase only
});

test("configs: phases as an array or JSON text, norm, keepOptimizerState; bad phases name the field", () => {
  const phases = [{ steps: 100, lr: 0.05, optimizer: "adam", loss: "teacher:0.3:-0.6:0.5" }];
  const a = resolveSweep({ lr: 0.1, phases, norm: "revive:0.25", keepOptimizerState: true });
  const b = resolveSweep({ lr: 0.1, phases: JSON.stringify(phases), norm: "revive:0.25", keepOptimizerState: true });
  assert.deepEqual(a.template, b.template);
  assert.equal(a.template.phases?.[0].optimizer.kind, "adam");
  assert.equal(a.template.phases?.[0].loss?.kind, "teacher");
  assert.deepEqual(a.template.norm, { kind: "revive", margin: 0.25, patience: 20 });
  // absent fields stay absent: configs without them resolve exactly as before
  assert.equal("phases" in resolveSweep({ lr: 0.1 }).config, false);
  const bad = (raw: unknown, field: string) =>
    assert.throws(() => resolveSweep(raw), (e: unknown) => e instanceof ConfigError && e.field === field);
  bad({ phases: [{ steps: 0, lr: 0.1 }] }, "phases");
  bad({ phases: [{ steps: 10, lr: -1 }] }, "phases");
  bad({ phases: "[not json" }, "phases");
  bad({ norm: "layernorm" }, "norm");
  bad({ norm: "revive", model: "reduced" }, "norm");
  bad({ norm: "psbn:0.5:20" }, "norm");
});
