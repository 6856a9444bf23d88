/**
 * A dead psBN unit under weight decay comes back (docs/psbn.md, "Recovery"). Two parts:
 * - deterministic: while dead, (gamma, beta) = c_t (gamma0, beta0), so the first update after which the
 *   unit is outside its cone is t_exit = floor(ln(D/alpha) / -ln(1 - lr lambda)) + 1 (SGD), D the depth
 *   of (gamma0, beta0) in BN's cone; tested for equality on every path (it does not depend on the noise);
 * - random: the first update whose batch has an active sample (the recovery time) has the survival
 *   S(t) = prod (1 - H(r_s)) with H exact (B P(xhat_1 > -r)) where -r >= sqrt((B - 2)/2); tested at the
 *   predicted 10%, 50% and 90% points against the binomial SE of the empirical fraction, 4 SE (fixed
 *   seed; 4 SE keeps the chance of a false alarm below 1e-4 per check). Where H is only the union
 *   bound (B = 32), the predicted fraction fired is an upper bound and is tested as one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { measureRecovery, type RecoveryCell } from "../src/experiments/psbn-recovery.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { defineProblem } from "../src/model/problem.ts";
import {
  coneDepth, coneExitFromFactors, coneExitStep, decayFactors, firingSurvival, survivalQuantileStep,
} from "../src/theory/psbn-recovery.ts";

const N = 300;
const cell = (f: Partial<RecoveryCell>): RecoveryCell => ({ alpha: 0.1, lr: 0.1, weightDecay: 0.04, batch: 8, gamma0: 1, beta0: -4, ...f });
const fraction = (fire: Int32Array, t: number) => fire.filter((x) => x > 0 && x <= t).length / fire.length;

const EXACT_CELLS = [cell({}), cell({ weightDecay: 0.02 }), cell({ alpha: 0.05 }), cell({ alpha: 0.2 }), cell({ momentum: 0.9, weightDecay: 0.004 })];

for (const k of EXACT_CELLS) {
  test(`recovery at B = 8, alpha ${k.alpha}, lr x lambda ${k.lr * k.weightDecay}${k.momentum ? `, momentum ${k.momentum}` : ""}: exit exact, first firing as derived`, () => {
    const steps = 4000;
    const c = decayFactors(k, steps);
    const exit = k.momentum ? coneExitFromFactors(k, c) : coneExitStep(k);
    assert.ok(exit !== null && exit > 0);
    if (!k.momentum) {
      // the formula's argument is far from an integer, so float rounding of the path cannot move it
      const x = Math.log(coneDepth(k) / k.alpha) / -Math.log1p(-k.lr * k.weightDecay);
      assert.ok(Math.abs(x - Math.round(x)) > 1e-6);
      assert.equal(coneExitFromFactors(k, c), exit, "closed form and recurrence agree");
    }
    const runs = measureRecovery(k, { seed: 5, paths: N, maxSteps: steps });
    for (let i = 0; i < N; i++) assert.equal(runs.exit[i], exit, `path ${i}`);
    for (let i = 0; i < N; i++) assert.ok(runs.fire[i] > exit!, `path ${i} fired at ${runs.fire[i]}, exit ${exit}`);
    const { survival, exactUpTo } = firingSurvival(k, c);
    for (const q of [0.1, 0.5, 0.9]) {
      const t = survivalQuantileStep(survival, q)!;
      assert.ok(t !== null && t <= exactUpTo, `the ${q} point ${t} is where H is exact (<= ${exactUpTo})`);
      const p = 1 - survival[t], se = Math.sqrt((p * (1 - p)) / N);
      const got = fraction(runs.fire, t);
      assert.ok(Math.abs(got - p) <= 4 * se, `q ${q}: fired by ${t}: ${got} vs ${p} +- ${se}`);
    }
  });
}

test("recovery at B = 32: the union-bound law is an upper bound on the fraction fired", () => {
  const k = cell({ batch: 32, beta0: -8 });
  const steps = 2000, c = decayFactors(k, steps);
  const runs = measureRecovery(k, { seed: 6, paths: N, maxSteps: steps });
  for (let i = 0; i < N; i++) assert.equal(runs.exit[i], coneExitStep(k));
  const { survival, exactUpTo } = firingSurvival(k, c);
  const t50 = survivalQuantileStep(survival, 0.5)!;
  assert.ok(t50 > exactUpTo, "the median is beyond the exact region: this test is the bound's");
  for (const q of [0.1, 0.5, 0.9]) {
    const t = survivalQuantileStep(survival, q)!;
    const p = 1 - survival[t], se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(fraction(runs.fire, t) <= p + 4 * se, `q ${q}: ${fraction(runs.fire, t)} vs bound ${p}`);
  }
});

test("no recovery without a shift or without decay: BN under decay and psBN without it stay dead", () => {
  // BN's cone is a cone: scaling (gamma, beta) by (1 - lr lambda)^t never leaves it
  assert.equal(coneExitStep(cell({ alpha: 0 })), null);
  assert.equal(coneExitStep(cell({ weightDecay: 0 })), null);
  for (const f of [{ norm: { kind: "bn" as const }, optimizer: { lr: 0.1, weightDecay: 0.04 } }, { norm: { kind: "psbn" as const, alpha: 0.1 }, optimizer: { lr: 0.1 } }]) {
    const o = simulateTrajectories(defineProblem({ batch: 8, beta0: -4, steps: 3000, collapse: { kind: "dead" }, ...f }), { seed: 1, trials: 20, stopAtCollapse: false });
    for (let i = 0; i < 20; i++) assert.ok(o.finalBeta[i] + (f.norm.kind === "psbn" ? 0.1 : 0) <= -Math.abs(o.finalGamma[i]) * Math.sqrt(7), `${f.norm.kind} ${i}`);
  }
});

test("the sign cases of the exit time: alive at the start, lr x lambda >= 1, a negative shift", () => {
  assert.equal(coneExitStep(cell({ beta0: -2.7 })), 0, "beta0 + alpha > -sqrt(7): not dead");
  assert.equal(coneExitStep(cell({ lr: 1, weightDecay: 1 })), 1);
  assert.equal(coneExitStep(cell({ lr: 1, weightDecay: 1.5 })), 1);
  assert.equal(coneExitStep(cell({ alpha: -0.1 })), null);
  const runs = measureRecovery(cell({ lr: 1, weightDecay: 1 }), { seed: 1, paths: 5, maxSteps: 10 });
  assert.deepEqual(Array.from(runs.exit), [1, 1, 1, 1, 1]);
});
