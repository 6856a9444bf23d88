/** The scaling analysis: chi-square tails, weighted log-log fits, verdicts, estimators, the collapse test. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareSf, regularizedGammaP } from "../src/stats/gamma.ts";
import { fitPowerLaw, localExponents, type LogPoint } from "../src/analysis/regression.ts";
import { fitCommonSlope } from "../src/analysis/pooled.ts";
import { verdictKind } from "../src/analysis/verdict.ts";
import { collapseTest, type CollapseCell } from "../src/analysis/collapse.ts";
import { medianEstimate } from "../src/analysis/median.ts";
import { driftEstimate } from "../src/analysis/one-step.ts";
import { summariseCell } from "../src/ensemble/summary.ts";
import { allocateOutcomes, STOP_COLLAPSED, STOP_HORIZON } from "../src/engine/trajectory.ts";
import { defineProblem } from "../src/model/problem.ts";
import { perStepNextOrder, perStepTheory } from "../src/theory/per-step.ts";
import { normalPdf } from "../src/stats/special.ts";
import { mulberry32 } from "./mulberry32.ts";
import type { CellResult } from "../src/ensemble/sweep.ts";

const uniform = mulberry32;

function binomial(u: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
}

/** A binomial estimate of p as a log-log point (delta method). */
function countPoint(x: number, k: number, n: number): LogPoint {
  const p = k / n;
  return { x, logY: Math.log(p), seLog: Math.sqrt((1 - p) / (n * p)) };
}

const xs = [0.05, 0.0758, 0.115, 0.174, 0.264, 0.4];

test("chi-square and incomplete gamma tails match known values", () => {
  // 95% points of chi2 with 1 and 10 dof; with 2 dof the tail is exp(-x/2) exactly;
  // with 1 dof P(X >= 1) = erfc(1/sqrt 2) = 0.31731050786291415.
  assert.ok(Math.abs(chiSquareSf(3.841458820694124, 1) - 0.05) < 1e-12);
  assert.ok(Math.abs(chiSquareSf(18.307038053275146, 10) - 0.05) < 1e-12);
  assert.ok(Math.abs(chiSquareSf(1, 1) - 0.31731050786291415) < 1e-13);
  for (const x of [0.1, 2, 10, 60]) assert.ok(Math.abs(chiSquareSf(x, 2) / Math.exp(-x / 2) - 1) < 1e-12, `x=${x}`);
  assert.ok(Math.abs(chiSquareSf(124.342, 100) - 0.05) < 1e-5); // table value, 3 decimals given
  assert.ok(Math.abs(regularizedGammaP(1, 0.7) - (1 - Math.exp(-0.7))) < 1e-14);
  assert.equal(chiSquareSf(0, 3), 1);
});

test("an exact power law is fitted exactly, with local exponents equal to it and chi2 = 0", () => {
  const pts = xs.map((x) => ({ x, logY: Math.log(3 * x ** 2.5), seLog: 0.1 }));
  const fit = fitPowerLaw(pts)!;
  assert.ok(Math.abs(fit.slope - 2.5) < 1e-12);
  assert.ok(fit.chi2 < 1e-20);
  assert.equal(fit.inflated, false);
  for (const l of localExponents(pts)) assert.ok(Math.abs(l.slope - 2.5) < 1e-12);
  assert.equal(fitPowerLaw(pts.slice(0, 1)), null); // one point: no slope
});

test("binomial power law p = c lr^2: the 95% interval covers 2 in about 95% of 60 seeded data sets", () => {
  // Under a correct model and SEs the coverage count is Binomial(60, 0.95): P(count < 52) = 0.02.
  let covered = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const u = uniform(seed);
    const pts = xs.map((x) => countPoint(x, binomial(u, 3000, 1.5 * x * x), 3000));
    const [lo, hi] = fitPowerLaw(pts)!.ci95;
    if (lo <= 2 && 2 <= hi) covered++;
  }
  assert.ok(covered >= 52, `covered ${covered} of 60`);
});

test("verdicts: exponent 4 gives 'does not hold' for 2, exponent 2 gives 'holds', flat noise gives 'inconclusive'", () => {
  const u = uniform(7);
  const steep = xs.map((x) => countPoint(x, binomial(u, 4000, 20 * x ** 4), 4000));
  const fit4 = fitPowerLaw(steep)!;
  assert.equal(verdictKind(fit4, 2), "does not hold", `slope ${fit4.slope} ci ${fit4.ci95}`);
  assert.equal(verdictKind(fit4, 4), "holds");
  const law = xs.map((x) => countPoint(x, binomial(u, 4000, 1.5 * x * x), 4000));
  assert.equal(verdictKind(fitPowerLaw(law)!, 2), "holds");
  // 20 trials per cell around p = 0.3, two lr 30% apart: the slope's SE is ~1.6, too noisy to tell 2 from 0
  const noisy = [0.1, 0.13].map((x) => countPoint(x, binomial(u, 20, 0.3), 20));
  assert.equal(verdictKind(fitPowerLaw(noisy)!, 2), "inconclusive");
  assert.equal(verdictKind(null, 2), "untestable");
});

test("points off a power law inflate the SE by sqrt(chi2/dof) and give a small goodness-of-fit p", () => {
  const u = uniform(11);
  // P = x^2 / (x^2 + 0.01): saturates, so the local exponent falls from ~2 to ~0 along the line
  const pts = xs.map((x) => countPoint(x, binomial(u, 4000, x * x / (x * x + 0.01)), 4000));
  const fit = fitPowerLaw(pts)!;
  assert.equal(fit.inflated, true);
  assert.equal(fit.interval, "student-t");
  assert.ok(fit.pValue! < 1e-6, `p = ${fit.pValue}`);
  const local = localExponents(pts);
  assert.ok(local[0].slope > 1 && local[local.length - 1].slope < 0.5);
});

test("a common exponent over lines with different intercepts recovers the exponent", () => {
  const u = uniform(5);
  const lines = [0.5, 1, 2].map((g) => xs.map((x) => countPoint(x, binomial(u, 4000, 0.4 * (x / g) ** 2), 4000)));
  const clean = [0.5, 1, 2].map((g) => xs.map((x) => ({ x, logY: Math.log((x / g) ** 2), seLog: 0.05 })));
  assert.ok(Math.abs(fitCommonSlope(clean)!.slope - 2) < 1e-12);
  assert.equal(fitCommonSlope(clean)!.dof, 18 - 3 - 1);
  const fit = fitCommonSlope(lines.map((l) => l.filter((p) => Number.isFinite(p.logY)))); // k = 0 cells cannot enter
  assert.ok(fit && Math.abs(fit.slope - 2) < 3 * fit.se, `slope ${fit?.slope} +- ${fit?.se}`); // 3 SE: fails by chance 0.3%
});

/** Cells over lr, gamma, B and T (with cells of equal tau) with P from `law(lr, gamma, batch, steps)`. */
function synthetic(seed: number, law: (lr: number, gamma: number, batch: number, steps: number) => number): CollapseCell[] {
  const u = uniform(seed);
  const cells: CollapseCell[] = [];
  for (const batch of [8, 32]) for (const steps of [100, 400]) for (const lr of [0.05, 0.1, 0.2, 0.4]) for (const gamma of [0.5, 1, 2]) {
    const n = 1000;
    cells.push({ lr, gamma, beta: 0, batch, steps, sigma: 1, n, k: binomial(u, n, law(lr, gamma, batch, steps)) });
  }
  return cells;
}

const expit = (x: number) => 1 / (1 + Math.exp(-x));
const logTau = (lr: number, g: number, b: number, t: number) => Math.log((lr * lr * t) / (b * g * g));

test("the collapse test accepts P = f(tau) (size near 5% over 40 seeds) and rejects P that also depends on B", () => {
  // f is in the fitted family (logit P cubic in log tau), so the polynomial test's null holds exactly.
  const f = (lr: number, g: number, b: number, t: number) => expit(-0.5 + 0.9 * logTau(lr, g, b, t) - 0.05 * logTau(lr, g, b, t) ** 2);
  let rejected = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const t = collapseTest(synthetic(seed, f));
    assert.ok(t.polynomial && t.equalTau, "both tests available on this grid");
    if (t.rejected) rejected++;
  }
  // Under the null rejections ~ Binomial(40, 0.05) (two tests at 0.025 each): P(>= 7) = 0.008.
  assert.ok(rejected <= 6, `rejected ${rejected} of 40`);
  // P depending on lr^2 T / gamma^2 but only through B^0.5 instead of B: does not collapse onto tau
  const g = (lr: number, gm: number, b: number, t: number) => f(lr, gm, Math.sqrt(b * 8), t);
  const bad = collapseTest(synthetic(1, g));
  assert.equal(bad.rejected, true);
  assert.ok(bad.polynomial!.pValue < 1e-6 && bad.equalTau!.pValue < 1e-6, JSON.stringify(bad));
});

test("the median estimator's interval covers the true median in about 95% of 40 samples", () => {
  // exponential first passage with median 50, censored at T = 200, 300 trajectories
  let covered = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const u = uniform(100 + seed);
    const o = allocateOutcomes(300);
    for (let i = 0; i < 300; i++) {
      const t = Math.ceil((-50 / Math.LN2) * Math.log(1 - u())); // whole steps, 1-based
      const hit = t <= 200;
      o.firstPassage[i] = hit ? t : 0;
      o.stepsRun[i] = hit ? t : 200;
      o.stopReason[i] = hit ? STOP_COLLAPSED : STOP_HORIZON;
    }
    const cell = { lr: 0.1, gamma: 1, beta: 0, batch: 8, weightDecay: 0, signal: 0, ...summariseCell(o, 200, "wilson") } as CellResult;
    const e = medianEstimate(cell);
    assert.ok(e.ci95 && e.seLog! > 0);
    if (e.ci95![0] <= 50 && 50 <= e.ci95![1]) covered++;
  }
  // Binomial(40, 0.95): P(< 34) = 0.014 (the whole-step widening makes it a little conservative)
  assert.ok(covered >= 34, `covered ${covered} of 40`);
});

test("the one-step sparsity drift agrees with the leading-order theory at small lr", () => {
  // lr/gamma = 0.1, B = 8: the O(kappa^2) correction is ~1% of the drift, below the MC SE
  const template = defineProblem({ batch: 8, gamma0: 1, beta0: 0, steps: 1, collapse: { kind: "ratio", c: 1.5 } });
  const at = { lr: 0.1, gamma: 1, beta: 0, batch: 8, weightDecay: 0, signal: 0 };
  const e = driftEstimate(template, at, { seed: 1, trials: 20000 });
  assert.equal(e.controlVariate, true);
  const inp = { lr: 0.1, gamma: 1, beta: 0, batch: 8, sigma: 1, alpha: 0 };
  const th = perStepTheory(inp).driftSparsity;
  const next = Math.abs(normalPdf(0) * perStepNextOrder(inp).driftR);
  assert.ok(Math.abs(e.value! - th) <= 4 * e.se! + next, `mc ${e.value} +- ${e.se}, theory ${th}`);
  assert.ok(e.se! < 0.1 * th, "the control variate makes the drift measurable with 2e4 runs");
  // with a signal the first-order part has a non-zero mean: no control variate
  const withSignal = driftEstimate(template, { ...at, signal: 0.5 }, { seed: 1, trials: 200 });
  assert.equal(withSignal.controlVariate, false);
});
