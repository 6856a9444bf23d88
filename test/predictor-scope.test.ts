/**
 * What each predictor refuses, with a reason (src/theory/predictor-scope.ts), and the diffusion
 * predictor's convergence check (src/theory/checked-prediction.ts) on one setting of each criterion
 * kind it accepts: the number is given only if a 1.5x finer grid and moved cut-offs change it by less
 * than 1% (or 1e-4).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { defineProblem, type UnitProblem } from "../src/model/problem.ts";
import { diffusionScope, finiteStepScope } from "../src/theory/predictor-scope.ts";
import { predictCollapseChecked } from "../src/theory/checked-prediction.ts";
import { criterionTest } from "../src/model/criteria.ts";

type Fields = Parameters<typeof defineProblem>[0];
const problem = (f: Fields): UnitProblem => defineProblem({ batch: 8, collapse: { kind: "ratio", c: 2 }, ...f });

test("refused by both predictors, with the reason named", () => {
  const cases: Array<[Fields, RegExp]> = [
    [{ optimizer: { kind: "momentum", momentum: 0.9 } }, /optimizer momentum/],
    [{ optimizer: { kind: "adam" } }, /optimizer adam/],
    [{ optimizer: { kind: "adamw", weightDecay: 0.01 } }, /optimizer adamw/],
    [{ optimizer: { weightDecay: 0.01 } }, /weight decay/],
    [{ optimizer: { schedule: { kind: "cosine", minFactor: 0 } } }, /schedule/],
    [{ loss: { kind: "noise", noise: { kind: "student", nu: 2.5, sigma: 1 }, signal: 0 } }, /Student-t/],
    [{ loss: { kind: "noise", noise: { kind: "gauss", sigma: 1 }, signal: 0.1 } }, /signal/],
    [{ input: { kind: "linear", dim: 4 } }, /pre-layer/],
    [{ collapse: { kind: "gamma", e: 0.1 } }, /\|gamma\|/],
    [{ model: "reduced" }, /mechanistic/],
    [{ norm: { kind: "rshift" } }, /plain BN/],
    [{ collapse: { kind: "ratio", c: 3 } }, /inside the dead cone/], // B = 8: edge -2.65
  ];
  for (const [f, re] of cases) {
    const p = problem(f);
    assert.match(diffusionScope(p) ?? "accepted", re, JSON.stringify(f));
    assert.match(finiteStepScope(p) ?? "accepted", re, JSON.stringify(f));
  }
});

test("dead for B >= 6 and thresholds at the cone's edge: the diffusion refuses, the finite-step predictor accepts", () => {
  for (const B of [6, 8, 32]) {
    const p = problem({ batch: B, collapse: { kind: "dead" } });
    assert.match(diffusionScope(p) ?? "accepted", /Feller/, `B = ${B}`);
    assert.equal(finiteStepScope(p), null, `B = ${B}`);
  }
  // within 5% of sqrt(7) = 2.6458 (ratio:2.6 is 1.7% from it); ratio:2.4 is 9% from it
  assert.match(diffusionScope(problem({ collapse: { kind: "ratio", c: 2.6 } })) ?? "accepted", /within 5%/);
  assert.equal(diffusionScope(problem({ collapse: { kind: "ratio", c: 2.4 } })), null);
  // B < 6: the diffusion reaches the edge in finite time, so dead is left to the convergence check
  assert.equal(diffusionScope(problem({ batch: 4, collapse: { kind: "dead" } })), null);
  // LeakyReLU has no absorbing cone
  assert.equal(diffusionScope(problem({ activation: { kind: "leaky", alpha: 0.1 }, collapse: { kind: "dead" } })), null);
  assert.equal(diffusionScope(problem({})), null);
  assert.equal(finiteStepScope(problem({})), null);
});

function checked(p: UnitProblem, r0: number, tau: number) {
  const alpha = p.activation.kind === "leaky" ? p.activation.alpha : 0;
  return predictCollapseChecked({ r0, tau, batch: p.batch, alpha, threshold: criterionTest(p.collapse, p.batch).threshold });
}

/** One test per criterion kind the diffusion accepts (each is three 2-D solves, ~2-3 s on an idle core). */
const accepted: Array<[string, UnitProblem, number, number]> = [
  ["ratio:2, B = 8", problem({}), 0, 0.5],
  ["sparsity:0.95, B = 8", problem({ collapse: { kind: "sparsity", s: 0.95 } }), 0, 1],
  ["dead, B = 4 (< 6: the edge is reached in finite time)", problem({ batch: 4, collapse: { kind: "dead" } }), 0, 1],
];
for (const [name, p, r0, tau] of accepted) {
  test(`convergence check passed on the default grid: ${name}`, (t) => {
    assert.equal(diffusionScope(p), null, name);
    const c = checked(p, r0, tau);
    t.diagnostic(`P = ${c.p}, ${JSON.stringify(c.convergence)}, ${c.ms.toFixed(0)} ms`);
    assert.ok(c.p !== null && c.p > 0.01 && c.p < 1, `${name}: ${c.reason}`);
    assert.ok(c.convergence!.change < c.convergence!.tolerance, name);
  });
}

test("the check refuses what does not converge: B = 32, ratio:3.9 (30% above the edge), tau = 1", () => {
  const c = checked(problem({ batch: 32, collapse: { kind: "ratio", c: 3.9 } }), 0, 1);
  assert.equal(c.p, null);
  assert.match(c.reason ?? "", /not converged: P = .* moves by .* on a 1.5x finer grid and by .* with the cut-offs moved out/);
});
