/** The scaling analysis: chi-square tails, the known-SE fits (drift, median), pooled lines, estimators, the collapse test. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareSf, regularizedGammaP } from "../src/stats/gamma.ts";
import { fitExponent } from "../src/analysis/exponent-fit.ts";
import { localExponents } from "../src/analysis/local.ts";
import { collapseTest, type CollapseCell } from "../src/analysis/collapse.ts";
import { medianEstimate } from "../src/analysis/median.ts";
import { driftEstimate } from "../src/analysis/one-step.ts";
import { summariseCell } from "../src/ensemble/summary.ts";
import { allocateOutcomes, STOP_COLLAPSED, STOP_HORIZON } from "../src/engine/trajectory.ts";
import { defineProblem } from "../src/model/problem.ts";
import { perStepNextOrder, perStepTheory } from "../src/theory/per-step.ts";
import { normalPdf } from "../src/stats/special.ts";
import { mulberry32 } from "./mulberry32.ts";
import type { CellResult } from "../src/solution/result.ts";

const uniform = mulberry32;

function binomial(u: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
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

test("known-SE families: an exact power law is fitted exactly; the lognormal fit is weighted least squares", () => {
  const exact = xs.map((x) => ({ kind: "lognormal" as const, x, logY: Math.log(3 * x ** 2.5), seLog: 0.1 }));
  const fit = fitExponent([exact], { expected: 2.5 })!;
  assert.ok(Math.abs(fit.slope! - 2.5) < 1e-9 && fit.gof!.statistic < 1e-12);
  for (const l of localExponents(exact)) assert.ok(Math.abs(l.slope! - 2.5) < 1e-9);
  assert.equal(fitExponent([exact.slice(0, 1)]), null); // one point: no slope
  // noisy log points with unequal SEs: slope and interval are the weighted least-squares ones, written out here
  const u = uniform(4);
  const noisy = xs.map((x, i) => ({ kind: "lognormal" as const, x, logY: Math.log(x ** -2) + 0.05 * (u() - 0.5), seLog: 0.03 * (1 + i) }));
  const w = noisy.map((p) => 1 / p.seLog ** 2), lx = noisy.map((p) => Math.log(p.x));
  const sw = w.reduce((a, b) => a + b, 0), mx = w.reduce((a, wi, i) => a + wi * lx[i], 0) / sw, my = w.reduce((a, wi, i) => a + wi * noisy[i].logY, 0) / sw;
  const sxx = w.reduce((a, wi, i) => a + wi * (lx[i] - mx) ** 2, 0);
  const slope = w.reduce((a, wi, i) => a + wi * (lx[i] - mx) * (noisy[i].logY - my), 0) / sxx;
  const f = fitExponent([noisy])!;
  assert.ok(Math.abs(f.slope! - slope) < 1e-8, `${f.slope} vs ${slope}`);
  // the profile interval of a quadratic objective is the Wald one, slope +- 1.96 / sqrt(sxx)
  assert.ok(Math.abs(f.ci95[0]! - (slope - 1.959963984540054 / Math.sqrt(sxx))) < 1e-6 && Math.abs(f.ci95[1]! - (slope + 1.959963984540054 / Math.sqrt(sxx))) < 1e-6);
});

test("gaussian family (the drift): cells of either sign enter, the exponent is recovered and covered", () => {
  // y = 0.01 x^2 + noise with se = 0.3 of the smallest value: the lowest cells can come out negative
  let covered = 0, negatives = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const u = uniform(300 + seed);
    const pts = xs.map((x) => {
      const se = 0.01 * xs[0] ** 2 * 1.5;
      const g = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
      return { kind: "gaussian" as const, x, y: 0.01 * x * x + se * g, se };
    });
    negatives += pts.filter((p) => p.y <= 0).length;
    const fit = fitExponent([pts], { expected: 2 })!;
    assert.equal(fit.cells, 6);
    if (fit.ci95[0]! <= 2 && 2 <= fit.ci95[1]!) covered++;
  }
  assert.ok(negatives > 0, "some cells came out negative and were kept");
  // Binomial(100, 0.95): P(< 89) = 0.01
  assert.ok(covered >= 89, `covered ${covered} of 100`);
});

test("a common exponent over lines with different intercepts recovers the exponent; dof = cells - lines - 1", () => {
  const u = uniform(5);
  const lines = [0.5, 1, 2].map((g) => xs.map((x) => ({ kind: "binomial" as const, x, n: 4000, k: binomial(u, 4000, -Math.expm1(-0.4 * (x / g) ** 2)) })));
  const fit = fitExponent(lines, { expected: 2 })!;
  assert.equal(fit.gof!.dof, 18 - 3 - 1);
  const se = (fit.ci95[1]! - fit.ci95[0]!) / (2 * 1.96);
  assert.ok(Math.abs(fit.slope! - 2) < 3 * se, `slope ${fit.slope} +- ${se}`); // 3 SE: fails by chance 0.3%
  // the zero cells of the gamma = 2 line (P ~ 2e-4 at the smallest lr) are in
  assert.equal(fit.cells, 18);
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
    const cells = synthetic(seed, f);
    const t = collapseTest(cells, { draws: 199 });
    assert.ok(t.polynomial && t.equalTau, "both tests available on this grid");
    // every cell is in, those with no collapse too (P ~ 3e-4 at the smallest tau)
    assert.equal(t.cells, cells.length);
    if (t.rejected) rejected++;
  }
  // Under the null rejections ~ Binomial(40, 0.05) (two tests at 0.025 each): P(>= 7) = 0.008.
  assert.ok(rejected <= 6, `rejected ${rejected} of 40`);
  // P depending on lr^2 T / gamma^2 but only through B^0.5 instead of B: does not collapse onto tau
  const g = (lr: number, gm: number, b: number, t: number) => f(lr, gm, Math.sqrt(b * 8), t);
  const bad = collapseTest(synthetic(1, g), { draws: 199 });
  assert.equal(bad.rejected, true);
  // (a bootstrap p cannot go below 1/(draws + 1) = 0.005; the chi-square approximation is far smaller)
  assert.ok(bad.polynomial!.pValue <= 0.005 && bad.equalTau!.pValue <= 0.005, JSON.stringify(bad));
  assert.ok(bad.polynomial!.chiSquareP < 1e-6 && bad.equalTau!.chiSquareP < 1e-6, JSON.stringify(bad));
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
