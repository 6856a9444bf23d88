/**
 * The binomial GLM behind the exponents of P: against an independent implementation written here, on
 * synthetic data from a known power law (recovery, interval coverage), the goodness-of-fit test
 * (accepts straight, rejects curved, its bootstrap holds its size with small counts), k = 0 cells,
 * the binomial sampler, Holm's correction and the verdict rules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fitExponent, CHI2_1_95, type ExponentFit } from "../src/analysis/exponent-fit.ts";
import type { Observation } from "../src/analysis/families.ts";
import { binomialDraw, binomialLaw } from "../src/analysis/binomial-draw.ts";
import { holmAdjust } from "../src/analysis/holm.ts";
import { localExponents } from "../src/analysis/local.ts";
import { ESTIMATORS } from "../src/analysis/estimate.ts";
import { verdictKind, verdictOf } from "../src/analysis/verdict.ts";
import { seedState } from "../src/rng/streams.ts";
import { lnGamma } from "../src/stats/special.ts";
import { mulberry32 } from "./mulberry32.ts";

const XS = [0.05, 0.0758, 0.115, 0.174, 0.264, 0.4];

/** Binomial(n, p) by n Bernoulli trials of an independent generator. */
function bernoulliSum(u: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
}

/** Cells of a line with P = 1 - exp(-H(x)), H the cumulative hazard. */
function line(u: () => number, n: number, hazard: (x: number) => number, xs = XS): Observation[] {
  return xs.map((x) => ({ kind: "binomial" as const, x, n, k: bernoulliSum(u, n, -Math.expm1(-hazard(x))) }));
}

// ---- an independent implementation: the cloglog log-likelihood in (a, b) and Newton on it ----

function logLik(cells: readonly { x: number; k: number; n: number }[], a: number, b: number): number {
  let s = 0;
  for (const c of cells) {
    const h = Math.exp(a + b * Math.log(c.x)); // no centring here: a is the intercept at x = 1
    s += (c.k > 0 ? c.k * Math.log(1 - Math.exp(-h)) : 0) - (c.n - c.k) * h;
  }
  return s;
}

/** Newton-Raphson on (a, b) with the gradient by hand and the Hessian by central differences of it. */
function independentMle(cells: readonly { x: number; k: number; n: number }[]): { a: number; b: number } {
  const grad = (a: number, b: number): [number, number] => {
    let ga = 0, gb = 0;
    for (const c of cells) {
      const l = Math.log(c.x), h = Math.exp(a + b * l);
      const d = c.k * (h * Math.exp(-h)) / (1 - Math.exp(-h)) - (c.n - c.k) * h; // dl/deta
      ga += d;
      gb += d * l;
    }
    return [ga, gb];
  };
  let a = -1, b = 1;
  for (let it = 0; it < 200; it++) {
    const g = grad(a, b), e = 1e-6;
    const ga1 = grad(a + e, b), ga0 = grad(a - e, b), gb1 = grad(a, b + e), gb0 = grad(a, b - e);
    const haa = (ga1[0] - ga0[0]) / (2 * e), hab = (gb1[0] - gb0[0]) / (2 * e), hbb = (gb1[1] - gb0[1]) / (2 * e);
    const det = haa * hbb - hab * hab;
    let da = -(hbb * g[0] - hab * g[1]) / det, db = -(-hab * g[0] + haa * g[1]) / det;
    // step halving keeps the likelihood rising
    const l0 = logLik(cells, a, b);
    while (logLik(cells, a + da, b + db) < l0 && Math.abs(da) + Math.abs(db) > 1e-14) {
      da /= 2;
      db /= 2;
    }
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-12) break;
  }
  return { a, b };
}

/** max over a of the log-likelihood at fixed b, by golden section on a wide bracket. */
function profileLogLik(cells: readonly { x: number; k: number; n: number }[], b: number, aHint: number): number {
  let lo = aHint - 20, hi = aHint + 20;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const c = hi - g * (hi - lo), d = lo + g * (hi - lo);
    if (logLik(cells, c, b) >= logLik(cells, d, b)) hi = d;
    else lo = c;
  }
  return logLik(cells, (lo + hi) / 2, b);
}

test("the GLM's estimate, deviance and profile interval agree with an independent Newton and profile", () => {
  const u = mulberry32(3);
  // zero cells included: P runs from ~0.001 to ~0.4
  const cells = line(u, 600, (x) => 3 * x * x) as { kind: "binomial"; x: number; k: number; n: number }[];
  assert.ok(cells[0].k <= 3, "the smallest cell has (nearly) no collapse");
  const fit = fitExponent([cells], { expected: 2 })!;
  const ref = independentMle(cells);
  assert.ok(Math.abs(fit.slope! - ref.b) < 1e-6, `slope ${fit.slope} vs independent ${ref.b}`);
  // the deviance is 2 (saturated - fitted log-likelihood)
  const sat = cells.reduce((s, c) => s + (c.k > 0 ? c.k * Math.log(c.k / c.n) : 0) + (c.k < c.n ? (c.n - c.k) * Math.log(1 - c.k / c.n) : 0), 0);
  assert.ok(Math.abs(fit.gof!.statistic - 2 * (sat - logLik(cells, ref.a, ref.b))) < 1e-6, `deviance ${fit.gof!.statistic}`);
  assert.equal(fit.gof!.dof, 4);
  // each end of the interval: 2 (l_max - l_profile(b)) = 3.84 by the independent profile
  const lmax = logLik(cells, ref.a, ref.b);
  for (const end of fit.ci95) {
    const drop = 2 * (lmax - profileLogLik(cells, end!, ref.a));
    assert.ok(Math.abs(drop - CHI2_1_95) < 1e-4, `profile drop ${drop} at ${end}`);
  }
  // the likelihood-ratio test of b = 2
  const lr = 2 * (lmax - profileLogLik(cells, 2, ref.a));
  assert.ok(Math.abs(fit.law!.statistic - lr) < 1e-5);
});

test("synthetic power laws: the exponent is recovered within its SE, and the 95% interval covers it in ~95% of 200 fits", () => {
  // cloglog hazard H = c x^2: the model is exact, so each fit's interval should cover 2 with probability 0.95.
  let covered = 0, sumZ = 0;
  const fits: ExponentFit[] = [];
  for (let seed = 1; seed <= 200; seed++) {
    const u = mulberry32(1000 + seed);
    const fit = fitExponent([line(u, 400, (x) => 2.5 * x * x)], { expected: 2 })!;
    fits.push(fit);
    const [lo, hi] = fit.ci95;
    if (lo! <= 2 && 2 <= hi!) covered++;
    sumZ += (fit.slope! - 2) / ((hi! - lo!) / (2 * 1.96));
  }
  // Binomial(200, 0.95): mean 190, sd 3.1; P(count < 182) = 0.005 and P(count > 197) = 0.01
  assert.ok(covered >= 182 && covered <= 198, `covered ${covered} of 200`);
  // the mean standardised error of 200 fits has SE 1/sqrt(200) = 0.071 if unbiased: |mean| < 0.25 is 3.5 SE
  assert.ok(Math.abs(sumZ / 200) < 0.25, `mean z ${sumZ / 200}`);
  // one fit: within 3 of its own SEs (fails by chance 0.3%)
  const one = fits[0];
  const se = (one.ci95[1]! - one.ci95[0]!) / (2 * 1.96);
  assert.ok(Math.abs(one.slope! - 2) < 3 * se, `slope ${one.slope} +- ${se}`);
});

test("the deviance test accepts straight lines at its size and rejects a bending one", () => {
  // straight (the model): rejections at 5% ~ Binomial(200, 0.05), mean 10; P(> 19) = 0.006
  let rejected = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const fit = fitExponent([line(mulberry32(5000 + seed), 3000, (x) => 4 * x * x)])!;
    assert.equal(fit.gof!.reference, "chi-square", "large counts: the chi-square law is used");
    if (fit.gof!.pValue < 0.05) rejected++;
  }
  assert.ok(rejected <= 19, `rejected ${rejected} of 200`);
  // bending: the hazard's local exponent falls from 1.6 to 0.12 along the line
  const curved = fitExponent([line(mulberry32(9), 3000, (x) => (20 * x * x) / (1 + (x / 0.1) ** 2))], { expected: 2 })!;
  assert.ok(curved.gof!.pValue < 1e-6, `curved p = ${curved.gof!.pValue}`);
});

test("with small expected counts the parametric bootstrap replaces chi-square and keeps its size", () => {
  // P from ~1e-4 to ~0.03 with n = 200: expected counts from 0.02 to 6
  let rejected = 0, boots = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const fit = fitExponent([line(mulberry32(7000 + seed), 200, (x) => 0.2 * x * x)], { bootstrap: { key: `size-${seed}`, draws: 199 } })!;
    if (fit.gof!.reference === "parametric bootstrap") boots++;
    if (fit.gof!.pValue < 0.05) rejected++;
  }
  assert.ok(boots >= 55, `bootstrap used in ${boots} of 60`);
  // Binomial(60, 0.05): mean 3; P(> 9) = 0.002 (the bootstrap p is slightly conservative with few draws)
  assert.ok(rejected <= 9, `rejected ${rejected} of 60`);
  // the same seed key gives the same p
  const data = line(mulberry32(1), 200, (x) => 0.2 * x * x);
  const a = fitExponent([data], { bootstrap: { key: "k", draws: 99 } })!, b = fitExponent([data], { bootstrap: { key: "k", draws: 99 } })!;
  assert.equal(a.gof!.pValue, b.gof!.pValue);
});

test("k = 0 cells: kept in the fit, one-sided local bounds, and an unbounded estimate when only one cell collapsed", () => {
  const cells: Observation[] = [
    { kind: "binomial", x: 0.05, n: 400, k: 0 },
    { kind: "binomial", x: 0.1, n: 400, k: 0 },
    { kind: "binomial", x: 0.2, n: 400, k: 6 },
    { kind: "binomial", x: 0.4, n: 400, k: 90 },
  ];
  const fit = fitExponent([cells])!;
  assert.equal(fit.cells, 4);
  assert.ok(fit.slope !== null && fit.slope > 2);
  const local = localExponents(cells);
  assert.equal(local.length, 3);
  assert.deepEqual([local[0].slope, local[0].ci95], [null, [null, null]]); // two empty cells: nothing to say
  assert.match(local[0].note!, /no collapse in either cell/);
  assert.equal(local[1].slope, null); // 0 then 6: only a lower bound
  assert.ok(local[1].ci95[0]! > 0 && local[1].ci95[1] === null, JSON.stringify(local[1]));
  assert.match(local[1].note!, /no collapse at 0.1/);
  // the lower bound is the profile bound: where a = free, b fixed, the two-cell deviance rises by 3.84
  assert.ok(local[2].slope !== null && Math.abs(local[2].slope - Math.log(Math.log1p(-90 / 400) / Math.log1p(-6 / 400)) / Math.log(2)) < 1e-6);
  const one = fitExponent([cells.slice(0, 3)])!;
  assert.equal(one.slope, null);
  assert.equal(one.unbounded, "above");
  assert.ok(one.ci95[0]! > 0 && one.ci95[1] === null);
});

test("the binomial sampler draws from Binomial(n, p): chi-square against the pmf", () => {
  const s = seedState("test/binomial-draw");
  for (const [n, p] of [[20, 0.3], [1500, 0.002], [400, 0.93]] as const) {
    const law = binomialLaw(n, p);
    const draws = 20000;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const k = binomialDraw(s, law);
      assert.ok(Number.isInteger(k) && k >= 0 && k <= n);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    // pool the pmf into bins with >= 20 expected draws
    const pmf = (k: number) => Math.exp(lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
    let chi2 = 0, bins = 0, e = 0, o = 0;
    for (let k = 0; k <= n; k++) {
      e += draws * pmf(k);
      o += counts.get(k) ?? 0;
      if (e >= 20) {
        chi2 += (o - e) ** 2 / e;
        bins++;
        e = 0;
        o = 0;
      }
    }
    // chi-square with bins - 1 dof: its 99.9% point is below bins - 1 + 5 sqrt(2 (bins - 1)) for these sizes
    assert.ok(chi2 < bins - 1 + 5 * Math.sqrt(2 * (bins - 1)), `n=${n} p=${p}: chi2 ${chi2} on ${bins - 1} dof`);
  }
});

test("Holm's adjustment: a textbook example, nulls left out", () => {
  // p = 0.01, 0.04, 0.03, 0.005 (m = 4): sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.03, 0.06, 0.06
  const adj = holmAdjust([0.01, 0.04, null, 0.03, 0.005]);
  const expected = [0.03, 0.06, null, 0.06, 0.02];
  adj.forEach((p, i) => (expected[i] === null ? assert.equal(p, null) : assert.ok(Math.abs(p! - expected[i]!) < 1e-15)));
});

test("verdict rules: no verdict with 2 cells, never 'holds' or 'consistent' when the power law fails its test", () => {
  const info = ESTIMATORS.probability;
  const u = mulberry32(21);
  const straight = line(u, 3000, (x) => 4 * x * x);
  const two = fitExponent([straight.slice(0, 2)], { expected: 2 });
  assert.equal(verdictKind({ fit: two, used: 2, gofAdjusted: null, lawAdjusted: null }), "no verdict");
  // a bending line: rejected after Holm -> "not a power law"; rejected only before -> "no verdict"
  const curved = fitExponent([line(u, 3000, (x) => (20 * x * x) / (1 + (x / 0.1) ** 2))], { expected: 2 })!;
  const base = { info, axis: "lr" as const, fit: curved, used: 6, cells: 6, excluded: [], local: localExponents(line(u, 3000, (x) => x)), lawAdjusted: null };
  const rejected = verdictOf({ ...base, gofAdjusted: curved.gof!.pValue, family: 1 });
  assert.equal(rejected.kind, "not a power law");
  assert.match(rejected.sentence, /not a power law here: local exponents from/);
  const doubtful = verdictOf({ ...base, gofAdjusted: 0.2, family: 6 });
  assert.equal(doubtful.kind, "no verdict");
  for (const v of [rejected, doubtful]) assert.doesNotMatch(v.sentence, /holds|consistent/);
  // the straight line passes and its exponent 2 is not rejected
  const fit = fitExponent([straight], { expected: 2 })!;
  assert.equal(verdictKind({ fit, used: 6, gofAdjusted: fit.gof!.pValue, lawAdjusted: fit.law!.pValue }), fit.law!.pValue >= 0.05 ? "holds" : "does not hold");
  // a true exponent of 3 is rejected, unless Holm's correction takes the rejection away
  const steep = fitExponent([line(u, 3000, (x) => 30 * x ** 3)], { expected: 2 })!;
  assert.ok(steep.gof!.pValue >= 0.05 && steep.law!.pValue < 1e-6);
  assert.equal(verdictKind({ fit: steep, used: 6, gofAdjusted: steep.gof!.pValue, lawAdjusted: steep.law!.pValue }), "does not hold");
  assert.equal(verdictKind({ fit: steep, used: 6, gofAdjusted: steep.gof!.pValue, lawAdjusted: 0.2 }), "inconclusive");
});
