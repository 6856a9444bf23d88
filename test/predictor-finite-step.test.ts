/**
 * The finite-step predictor (src/theory/finite-step/) against the mechanistic engine. Every statistical
 * tolerance is stated with its standard error: 4 binomial SEs for one-step checks, 3 combined SEs for
 * P(T) (the Monte Carlo's, plus the predictor's own error budget: its pre-sample spreads it by <= 0.7%
 * of p at these settings and its grid error is below 1% of p, docs/theory.md section 6).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { defineProblem, type Activation } from "../src/model/problem.ts";
import { batchSamples, stepLaw } from "../src/theory/finite-step/active-set-law.ts";
import { lineDeadInterval, normalMass, sectorDeadMass } from "../src/theory/finite-step/dead-mass.ts";
import { FINITE_STEP_LAW, solveFiniteStep } from "../src/theory/finite-step/finite-step-predictor.ts";
import { stepCollapseProbability } from "../src/theory/finite-step/transfer-kernel.ts";
import { activeMoments } from "../src/theory/standardised-sample.ts";
import { mulberry32 } from "./mulberry32.ts";
import { probe } from "./predictor-probe.fixture.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

test("dead mass of one Gaussian step (sector and line formulas) against 2e5 draws, within 4 SE", () => {
  const g = gaussian(11), q = Math.sqrt(31), N = 200000;
  for (const [a, b, l11, l21, l22] of [[0.3, 0, 0.125, 0.01, 0.125], [0.1, -0.25, 0.06, 0.05, 0.025], [0.05, 0.02, 0.09, -0.03, 0.06]]) {
    let k = 0;
    for (let i = 0; i < N; i++) {
      const z1 = g(), z2 = g(), x = a - l11 * z1, y = b - (l21 * z1 + l22 * z2);
      if (y <= -q * Math.abs(x)) k++;
    }
    const p = sectorDeadMass(a, b, l11, l21, l22, q), se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(k / N - p) < 4 * se, `sector at (${a}, ${b}): ${p} vs ${k / N} +- ${se}`);
  }
  const out = new Float64Array(2);
  for (const [a, b, va, vb] of [[0.1, -0.25, 0.094, 0.031], [0.3, 0, 0.156, 0.031], [0.05, -0.5, -0.1, 0.05]]) {
    let k = 0;
    for (let i = 0; i < N; i++) {
      const z = g(), x = a - z * va, y = b - z * vb;
      if (y <= -q * Math.abs(x)) k++;
    }
    lineDeadInterval(a, b, va, vb, q, out);
    const p = normalMass(out[0], out[1]), se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(k / N - p) < 4 * se, `line at (${a}, ${b}): ${p} vs ${k / N} +- ${se}`);
  }
});

test("the step law's mean covariance is the exact finite-B one: to 1e-4 where it is exact (Gauss-Legendre over the tail), within 3% where pre-sampled", () => {
  for (const B of [8, 32]) {
    const samples = batchSamples(B, FINITE_STEP_LAW);
    // r = -0.8 sqrt(B-1): one active sample at most, so the law is exact but for its 16-node rule over the
    // tail (3e-5 relative at B = 8); r = 0, 1: the pre-sample of 2048 batches,
    // whose mean Q2 has a relative SE of ~0.6% (B = 32) to ~1% (B = 8): 3% is 3-5 SE
    for (const [r, tol] of [[-0.8 * Math.sqrt(B - 1), 1e-4], [0, 0.03], [1, 0.03]]) {
      const law = stepLaw(r, 0, samples);
      let m2 = 0, m1 = 0, m0 = 0;
      for (let c = 0; c < law.count; c++) {
        const [w, l11, l21, l22] = law.data.subarray(4 * c, 4 * c + 4);
        m2 += w * l11 * l11;
        m1 += w * l11 * l21;
        m0 += w * (l21 * l21 + l22 * l22);
      }
      const [j0, j1, j2] = activeMoments(-r, B);
      for (const [got, want, name] of [[m2 * B, j2, "m2"], [m1 * B, j1, "m1"], [m0 * B, j0, "m0"]] as const) {
        assert.ok(Math.abs(got - want) <= tol * want, `B = ${B}, r = ${r}, ${name}: ${got} vs ${want}`);
      }
    }
  }
});

function monteCarlo(batch: number, lr: number, gamma0: number, beta0: number, steps: number, trials: number, activation: Activation = { kind: "relu" }, collapse = { kind: "dead" } as const) {
  const problem = defineProblem({ batch, gamma0, beta0, steps, collapse, activation, optimizer: { kind: "sgd", lr } });
  const o = simulateTrajectories(problem, { seed: `finite-step/${batch}/${lr}/${steps}`, trials });
  let k = 0;
  for (let i = 0; i < trials; i++) if (o.firstPassage[i] > 0) k++;
  return { p: k / trials, se: Math.sqrt(Math.max(k * (trials - k), 1) / trials) / trials };
}

test("one-step collapse probability of the law against 1e5 one-step runs of the engine, within 4 SE + 1%", () => {
  for (const [B, gamma0, beta0] of [[8, 0.3, 0], [32, 0.1, -0.25], [32, 0.3, -0.5]]) {
    const law = stepLaw(beta0 / gamma0, 0, batchSamples(B, FINITE_STEP_LAW));
    const p = stepCollapseProbability(law, gamma0, beta0, Math.sqrt(B - 1));
    const mc = monteCarlo(B, 1, gamma0, beta0, 1, 100000);
    assert.ok(Math.abs(mc.p - p) < 4 * mc.se + 0.01 * p, `B = ${B} at (${gamma0}, ${beta0}): law ${p}, engine ${mc.p} +- ${mc.se}`);
  }
});

/** One test per setting (each is one operator, ~2-4 s to build on an idle core, and 6000 engine runs). */
const settings: Array<[string, number, number, number, number, Activation, { kind: "dead" } | { kind: "ratio"; c: number }]> = [
  ["B = 8, dead, lr 0.2, gamma0 1, T = 300", 8, 0.2, 1, 300, { kind: "relu" }, { kind: "dead" }],
  ["B = 32, dead, lr 0.63, gamma0 0.5, T = 300", 32, 0.63, 0.5, 300, { kind: "relu" }, { kind: "dead" }],
  ["B = 8, leaky:0.1, ratio:2, lr 0.2, gamma0 1, T = 200", 8, 0.2, 1, 200, { kind: "leaky", alpha: 0.1 }, { kind: "ratio", c: 2 }],
];
for (const [name, B, lr, gamma0, T, act, crit] of settings) {
  test(`P(collapse by T) against 6000 engine runs, within 3 combined SE: ${name}`, (t) => {
    const threshold = crit.kind === "dead" ? -Math.sqrt(B - 1) : -crit.c;
    const sol = solveFiniteStep({ batch: B, alpha: act.kind === "leaky" ? act.alpha : 0, threshold, starts: [{ a: gamma0 / lr, b: 0, steps: [T] }] });
    const p = sol.p[0][0];
    const mc = monteCarlo(B, lr, gamma0, 0, T, 6000, act, crit as never);
    const se = Math.hypot(mc.se, 0.012 * p);
    t.diagnostic(`predictor ${p.toFixed(4)}, engine ${mc.p.toFixed(4)} +- ${mc.se.toFixed(4)}, (engine - predictor)/SE ${((mc.p - p) / se).toFixed(2)}; ${JSON.stringify(sol.size)}, ${Object.values(sol.ms).map((x) => x.toFixed(0)).join("/")} ms`);
    assert.ok(p > 0.02 && p < 0.9, `a setting that tests something (p = ${p})`);
    assert.ok(Math.abs(mc.p - p) < 3 * se, `predictor ${p}, engine ${mc.p} +- ${mc.se}`);
  });
}

test("the same bits for the same problem, in any order of its starts, and under Deno", () => {
  const here = probe();
  assert.equal(JSON.stringify(probe()), JSON.stringify(here));
  const deno = join(root, "node_modules", ".bin", "deno");
  const r = spawnSync(deno, ["run", "-A", "test/predictor-probe.fixture.ts"], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), JSON.stringify(here), "Deno and Node differ");
});
