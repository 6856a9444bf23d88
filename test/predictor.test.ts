/**
 * The deterministic predictor (src/theory/predictor.ts) against the mechanistic Monte Carlo.
 * B = 8 with the criterion ratio:2 (inside the absorbing cone r <= -sqrt(7) = -2.65, so reachable),
 * kappa0 = lr^2/B <= 1.25e-3 (small-step regime). Tolerance: 4 binomial SEs of the MC estimate plus a
 * discretisation allowance of 0.01 (a 2x finer grid moves P by <= 0.0015 at these settings, and the
 * approach to the small-step limit is slow: see docs/theory.md). The large-lr setting and the 1-D
 * (gamma frozen) predictor are reported as diagnostics; the 1-D one must be rejected, since the
 * diffusion of gamma is what drives most collapses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { defineProblem } from "../src/model/problem.ts";
import { predictCollapse } from "../src/theory/predictor.ts";

const B = 8, C = 2, TRIALS = 2000;

function monteCarlo(r0: number, lr: number, steps: number, seed: string): { p: number; se: number; ms: number } {
  const t0 = performance.now();
  const problem = defineProblem({ batch: B, gamma0: 1, beta0: r0, steps, collapse: { kind: "ratio", c: C }, optimizer: { kind: "sgd", lr } });
  const o = simulateTrajectories(problem, { seed, trials: TRIALS });
  let k = 0;
  for (let i = 0; i < TRIALS; i++) if (o.firstPassage[i] > 0) k++;
  const p = k / TRIALS;
  return { p, se: Math.sqrt(Math.max(p * (1 - p), 1 / TRIALS) / TRIALS), ms: performance.now() - t0 };
}

function predict(r0: number, lr: number, steps: number, dims: "1d" | "2d" = "2d") {
  const kappa0 = (lr * lr) / B;
  return predictCollapse({ r0, tau: kappa0 * steps, batch: B, alpha: 0, threshold: -C, monitoringKappa: kappa0, dims });
}

test("small-step regime: predictor within 4 SE + 0.01 of the Monte Carlo; gamma-frozen 1-D predictor rejected", (t) => {
  const cases: Array<[number, number, number]> = [
    [0, 0.1, 400], // tau = 0.5
    [0, 0.1, 800], // tau = 1
    [-1, 0.05, 1600], // tau = 0.5
  ];
  for (const [r0, lr, steps] of cases) {
    const mc = monteCarlo(r0, lr, steps, `predictor-${r0}-${lr}`);
    const p2 = predict(r0, lr, steps), p1 = predict(r0, lr, steps, "1d");
    const tol = 4 * mc.se + 0.01;
    t.diagnostic(
      `r0=${r0} tau=${((lr * lr) / B) * steps}: MC ${mc.p.toFixed(4)} +- ${mc.se.toFixed(4)} (${mc.ms.toFixed(0)} ms), ` +
        `2-D ${p2.p.toFixed(4)} (${p2.ms.toFixed(0)} ms), 1-D ${p1.p.toFixed(4)} (${p1.ms.toFixed(0)} ms)`,
    );
    assert.ok(Math.abs(mc.p - p2.p) < tol, `r0=${r0}: MC ${mc.p} +- ${mc.se} vs predicted ${p2.p}`);
    assert.ok(Math.abs(mc.p - p1.p) > 4 * mc.se, `r0=${r0}: the 1-D predictor ${p1.p} was expected to miss MC ${mc.p}`);
  }
});

test("outside the small-step regime (lr/gamma = 0.8, kappa0 = 0.08): discrepancy reported, not asserted", (t) => {
  const mc = monteCarlo(0, 0.8, 12, "predictor-large");
  const p2 = predict(0, 0.8, 12);
  t.diagnostic(`r0=0 tau=0.96 lr=0.8: MC ${mc.p.toFixed(4)} +- ${mc.se.toFixed(4)}, predicted ${p2.p.toFixed(4)}, difference ${(p2.p - mc.p).toFixed(4)}`);
  assert.ok(Number.isFinite(p2.p) && p2.p >= 0 && p2.p <= 1, "a probability");
});

/**
 * Not monotone in r0: at B = 32, tau = 1 the predictor gives P(r0 = 0) > P(r0 = -1), and so does the
 * Monte Carlo at tau = 0.5 (0.039 +- 0.004 vs 0.028 +- 0.004, lr = 0.1): most collapses go through
 * |gamma| -> 0, and gamma diffuses faster at r = 0 (m2 = 1/2) than at r = -1 (m2 = 0.40).
 */
test("predictor: limits and monotonicity in tau and in r0 near the barrier (coarse grid)", () => {
  const base = { tau: 1, batch: 32, alpha: 0, threshold: -3, grid: { xCells: 120, rhoCells: 40, timeSteps: 100 } };
  assert.equal(predictCollapse({ ...base, r0: -3.5 }).p, 1, "starts collapsed");
  assert.equal(predictCollapse({ ...base, r0: 0, tau: 0 }).p, 0, "no time");
  const ps = [0.25, 0.5, 1, 2].map((tau) => predictCollapse({ ...base, r0: 0, tau }).p);
  for (let k = 1; k < ps.length; k++) assert.ok(ps[k] > ps[k - 1], `increasing in tau: ${ps}`);
  const qs = [-1.5, -2, -2.5].map((r0) => predictCollapse({ ...base, r0 }).p);
  for (let k = 1; k < qs.length; k++) assert.ok(qs[k] > qs[k - 1], `decreasing in r0 near the barrier: ${qs}`);
  const [p0, pm1] = [0, -1].map((r0) => predictCollapse({ ...base, r0 }).p);
  assert.ok(p0 > pm1, `P(r0 = 0) = ${p0} > P(r0 = -1) = ${pm1}`);
});
