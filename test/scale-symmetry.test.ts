/**
 * docs/model.md section 5, scale symmetry. With the noise loss (delta_i independent of the parameters),
 * the gradient (1/B) sum_i delta_i f'(y_i) (xhat_i, 1) depends on (gamma, beta) only through the signs
 * of y_i = gamma xhat_i + beta, which (c gamma, c beta) keeps for c > 0. So with plain SGD or momentum
 * and no weight decay, (gamma, beta, lr) -> (c gamma, c beta, c lr) maps the trajectory driven by a
 * given stream of random numbers onto c times itself. For c a power of two every product and
 * difference involved is exact in floating point, and r = beta / |gamma| is unchanged bit for bit, so
 * outcomes must be identical and final parameters exactly c times the original.
 *
 * All checks here are exact (deepEqual / ===); there is no statistical tolerance.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { STOP_COLLAPSED, STOP_NON_FINITE, type TrajectoryOutcomes } from "../src/engine/trajectory.ts";
import { defineProblem, type Activation, type Criterion, type Loss, type UnitProblem } from "../src/model/problem.ts";

const TRIALS = 200;
const STEPS = 300;
const BATCH = 8;
const GAMMA0 = 1.5;
const BETA0 = -0.25;
const SEED = "scale-symmetry";

const CRITERIA: Criterion[] = [{ kind: "ratio", c: 1.5 }, { kind: "dead" }, { kind: "sparsity", s: 0.9 }];
/** lr chosen (at gamma0 = 1.5, B = 8, T = 300) so that a fair fraction of runs collapse */
const OPTIMIZERS = [
  { kind: "sgd", lr: 0.45 },
  { kind: "momentum", lr: 0.045, momentum: 0.9 },
] as const;
const MODES = ["exact-sum", "per-sample"] as const;

function problem(
  c: number,
  opt: { kind: "sgd" | "momentum"; lr: number; momentum?: number },
  collapse: Criterion,
  noiseSampling: "exact-sum" | "per-sample",
  extra: { weightDecay?: number; activation?: Activation; loss?: Loss } = {},
): UnitProblem {
  return defineProblem({
    batch: BATCH,
    steps: STEPS,
    gamma0: c * GAMMA0,
    beta0: c * BETA0,
    collapse,
    noiseSampling,
    ...(extra.activation ? { activation: extra.activation } : {}),
    ...(extra.loss ? { loss: extra.loss } : {}),
    optimizer: { ...opt, lr: c * opt.lr, weightDecay: extra.weightDecay ?? 0 },
  });
}

function collapsedFraction(o: TrajectoryOutcomes): number {
  let n = 0;
  for (const f of o.firstPassage) if (f > 0) n++;
  return n / o.firstPassage.length;
}

/** The exact symmetry: identical outcomes, parameters scaled by exactly c. */
function assertScaled(base: TrajectoryOutcomes, scaled: TrajectoryOutcomes, c: number, what: string): void {
  assert.deepEqual(scaled.firstPassage, base.firstPassage, `${what}: firstPassage`);
  assert.deepEqual(scaled.stopReason, base.stopReason, `${what}: stopReason`);
  assert.deepEqual(scaled.stepsRun, base.stepsRun, `${what}: stepsRun`);
  assert.deepEqual(scaled.finalGamma, base.finalGamma.map((v) => c * v), `${what}: finalGamma = c * original`);
  assert.deepEqual(scaled.finalBeta, base.finalBeta.map((v) => c * v), `${what}: finalBeta = c * original`);
}

for (const opt of OPTIMIZERS) {
  for (const mode of MODES) {
    test(`scale symmetry is bit-exact: ${opt.kind}, ${mode}, c = 2 and c = 1/4`, () => {
      for (const crit of CRITERIA) {
        const what = `${opt.kind} ${mode} ${JSON.stringify(crit)}`;
        const base = simulateTrajectories(problem(1, opt, crit, mode), { seed: SEED, trials: TRIALS });
        // not vacuous: the runs are genuinely random and a fair fraction of them collapse
        const frac = collapsedFraction(base);
        assert.ok(frac > 0.05 && frac < 0.95, `${what}: collapsed fraction ${frac} should be in (0.05, 0.95)`);
        assert.ok(base.stopReason.every((r) => r !== STOP_NON_FINITE), `${what}: a run went non-finite`);
        assert.ok(base.stopReason.some((r) => r === STOP_COLLAPSED));
        for (const c of [2, 0.25]) {
          const scaled = simulateTrajectories(problem(c, opt, crit, mode), { seed: SEED, trials: TRIALS });
          assertScaled(base, scaled, c, `${what} c=${c}`);
        }
      }
    });
  }
}

test("scale symmetry over the full horizon (stopAtCollapse false), leaky ReLU and Student-t noise", () => {
  const crit: Criterion = { kind: "ratio", c: 1.5 };
  const variants: { name: string; extra: { activation?: Activation; loss?: Loss }; mode: "exact-sum" | "per-sample" }[] = [
    { name: "relu exact-sum", extra: {}, mode: "exact-sum" },
    { name: "relu per-sample", extra: {}, mode: "per-sample" },
    { name: "leaky 0.1", extra: { activation: { kind: "leaky", alpha: 0.1 } }, mode: "exact-sum" },
    {
      name: "student nu=3",
      extra: { loss: { kind: "noise", noise: { kind: "student", nu: 3, sigma: 1 }, signal: 0 } },
      mode: "per-sample",
    },
  ];
  for (const v of variants) {
    for (const opt of OPTIMIZERS) {
      const what = `${v.name} ${opt.kind}`;
      const base = simulateTrajectories(problem(1, opt, crit, v.mode, v.extra), { seed: SEED, trials: 100, stopAtCollapse: false });
      assert.ok(base.stepsRun.every((n) => n === STEPS), `${what}: every run goes to T`);
      const frac = collapsedFraction(base);
      assert.ok(frac > 0.05 && frac < 0.95, `${what}: collapsed fraction ${frac} should be in (0.05, 0.95)`);
      for (const c of [2, 0.25]) {
        const scaled = simulateTrajectories(problem(c, opt, crit, v.mode, v.extra), { seed: SEED, trials: 100, stopAtCollapse: false });
        assertScaled(base, scaled, c, `${what} c=${c}`);
      }
    }
  }
});

test("negative control: with weight decay 0.01 the symmetry does not hold bitwise", () => {
  const crit: Criterion = { kind: "ratio", c: 1.5 };
  for (const opt of OPTIMIZERS) {
    for (const mode of MODES) {
      const what = `${opt.kind} ${mode} wd=0.01`;
      const run = (c: number) =>
        simulateTrajectories(problem(c, opt, crit, mode, { weightDecay: 0.01 }), { seed: SEED, trials: 50, stopAtCollapse: false });
      const base = run(1);
      for (const c of [2, 0.25]) {
        const scaled = run(c);
        let differ = 0;
        for (let i = 0; i < base.finalGamma.length; i++) if (scaled.finalGamma[i] !== c * base.finalGamma[i]) differ++;
        assert.ok(differ > 0, `${what} c=${c}: weight decay (g + lambda p) is not scale-free, yet all finalGamma scaled exactly`);
      }
    }
  }
});
