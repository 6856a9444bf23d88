/**
 * Regime experiments (docs/regimes.md): the direction of each effect at one chosen setting, with a
 * tolerance of three standard errors of the difference. Cells differing only in the optimiser, weight
 * decay or phases share one stream key (paired, same random numbers until the runs diverge); batch
 * size and the noise law change the draws themselves, so those pairs are independent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { DEFAULT_OPTIMIZER, defineProblem, type UnitProblem } from "../src/model/problem.ts";

type Fields = Parameters<typeof defineProblem>[0];
const BASE = { batch: 32, steps: 500, collapse: { kind: "ratio", c: 3 } } as const;

function prob(fields: Fields, n: number, key = "regimes"): number {
  const o = simulateTrajectories(defineProblem(fields), { seed: 5, trials: n, streamKey: key });
  let c = 0;
  for (let i = 0; i < n; i++) if (o.firstPassage[i] > 0) c++;
  return c / n;
}
const se2 = (p: number, n: number) => (p * (1 - p)) / n;
/** asserts a > b by more than three standard errors of the difference */
function above(a: number, na: number, b: number, nb: number, what: string): void {
  const se = Math.sqrt(se2(a, na) + se2(b, nb));
  assert.ok(a - b > 3 * se, `${what}: ${a} vs ${b} (se of difference ${se.toFixed(4)})`);
}

test("optimisers at matched lr 0.1: momentum 0.9 and Adam collapse more than SGD", () => {
  const n = 300;
  const sgd = prob({ ...BASE, optimizer: { lr: 0.1 } }, n);
  above(prob({ ...BASE, optimizer: { lr: 0.1, kind: "momentum" } }, n), n, sgd, n, "momentum vs sgd");
  above(prob({ ...BASE, optimizer: { lr: 0.1, kind: "adam" } }, n), n, sgd, n, "adam vs sgd");
});

test("momentum at matched effective step lr (1 - m): the same P as SGD within 3 SE (the small-step limit)", () => {
  const n = 600;
  const sgd = prob({ ...BASE, optimizer: { lr: 0.2 } }, n);
  const mom = prob({ ...BASE, optimizer: { lr: 0.02, kind: "momentum" } }, n);
  assert.ok(Math.abs(mom - sgd) < 3 * Math.sqrt(se2(sgd, n) + se2(mom, n)), `${mom} vs ${sgd}`);
  assert.ok(sgd > 0.03, "the comparison must be at a setting where units collapse");
});

test("weight decay 0.01 raises SGD's collapse probability at lr 0.2 (paired)", () => {
  const n = 300;
  above(prob({ ...BASE, optimizer: { lr: 0.2, weightDecay: 0.01 } }, n), n, prob({ ...BASE, optimizer: { lr: 0.2 } }, n), n, "wd vs none");
});

test("Adam with coupled L2 0.03 collapses more than AdamW with the same decoupled decay (lr 0.02)", () => {
  const n = 300;
  const adam = prob({ ...BASE, optimizer: { lr: 0.02, kind: "adam", weightDecay: 0.03 } }, n);
  const adamw = prob({ ...BASE, optimizer: { lr: 0.02, kind: "adamw", weightDecay: 0.03 } }, n);
  above(adam, n, adamw, n, "adam+L2 vs adamw");
});

test("batch size: B = 8 collapses more than B = 128 at lr 0.2 (criterion ratio:2, inside every B's live region)", () => {
  const n = 300;
  const c = { kind: "ratio", c: 2 } as const;
  above(prob({ ...BASE, collapse: c, batch: 8, optimizer: { lr: 0.2 } }, n), n, prob({ ...BASE, collapse: c, batch: 128, optimizer: { lr: 0.2 } }, n), n, "B8 vs B128");
});

const PRETRAIN = (kind: "sgd" | "adam", lr: number) => [
  { steps: 1000, optimizer: { ...DEFAULT_OPTIMIZER, kind, lr }, loss: { kind: "teacher", readout: 1, gamma: 0.3, beta: -0.6, labelNoise: 0.5 } } as const,
];

test("fine-tuning after a pre-training phase that left gamma ~ 0.25, r ~ -2 collapses more than training from scratch", () => {
  const n = 300;
  const scratch = prob({ ...BASE, steps: 300, optimizer: { lr: 0.1 } }, n);
  const tuned = prob({ ...BASE, steps: 300, optimizer: { lr: 0.1 }, phases: PRETRAIN("sgd", 0.05) }, n);
  above(tuned, n, scratch, n, "fine-tune vs scratch");
});

test("Adam fine-tuning: resetting the moments collapses more than keeping them (lr 0.003)", () => {
  const n = 300;
  const f = { ...BASE, steps: 300, optimizer: { lr: 0.003, kind: "adam" as const }, phases: PRETRAIN("adam", 0.01) };
  above(prob(f, n), n, prob({ ...f, keepOptimizerState: true }, n), n, "reset vs keep");
});

test("Student-t noise (nu = 2.2) at matched variance collapses LESS than Gaussian at B = 8, lr 0.08", () => {
  const n = 800;
  const base = { batch: 8, steps: 400, collapse: { kind: "ratio", c: 2 } } as const;
  const gauss = prob({ ...base, optimizer: { lr: 0.08 }, noiseSampling: "per-sample" }, n);
  const student = prob({ ...base, optimizer: { lr: 0.08 }, loss: { kind: "noise", noise: { kind: "student", nu: 2.2, sigma: 1 }, signal: 0 } }, n);
  above(gauss, n, student, n, "gauss vs student");
});

test("LeakyReLU has no absorbing region: units started just inside the dead cone come back; ReLU units never do", () => {
  const n = 300;
  const bound = Math.sqrt(31);
  const back = (fields: Fields) => {
    const problem: UnitProblem = defineProblem({ ...fields, batch: 32, steps: 300, gamma0: 1, beta0: -bound - 0.05, collapse: { kind: "ratio", c: 1e9 }, optimizer: { lr: 0.2 } });
    const o = simulateTrajectories(problem, { seed: 5, trials: n, streamKey: "leaky", stopAtCollapse: false });
    let k = 0;
    for (let i = 0; i < n; i++) if (o.finalBeta[i] / Math.abs(o.finalGamma[i]) > -bound) k++;
    return k / n;
  };
  assert.equal(back({}), 0);
  const leaky = back({ activation: { kind: "leaky", alpha: 0.1 } });
  assert.ok(leaky > 3 * Math.sqrt(se2(leaky, n)) && leaky > 0, `leaky back ${leaky}`);
});

test("every regime and remedy experiment of the reproduce set resolves, in full and quick mode", async () => {
  const { REGIME_EXPERIMENTS } = await import("../src/experiments/regimes.ts");
  const { resolvedConfig } = await import("../src/experiments/measure.ts");
  for (const exp of REGIME_EXPERIMENTS) for (const m of exp.measurements) for (const mode of ["full", "quick"] as const) resolvedConfig(m, mode);
});
