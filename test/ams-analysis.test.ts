/**
 * The readers of AMS lines (src/analysis/rare-events.ts) on exact synthetic data: a power law gives
 * its exponent at every pair, exp(c - I / tau) gives I with chi2 ~ 0, and a noisy point widens the
 * interval instead of moving it silently. Deterministic inputs, exact (to rounding) expectations.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { largeDeviationRate, localExponents } from "../src/analysis/rare-events.ts";

test("local exponents of an exact power law are its exponent, with intervals from the relative SE", () => {
  const pts = [0.01, 0.02, 0.04].map((x) => ({ x, p: 3 * x ** 2, se: 0.1 * 3 * x ** 2 }));
  const e = localExponents(pts);
  assert.equal(e.length, 2);
  for (const k of e) {
    assert.ok(Math.abs(k.slope - 2) < 1e-12);
    assert.ok(Math.abs(k.se - Math.sqrt(0.02) / Math.log(2)) < 1e-12);
  }
  // a point with p = 0 or a relative SE of 0.5 or more is left out
  assert.equal(localExponents([...pts, { x: 0.08, p: 0, se: 0 }, { x: 0.16, p: 1e-3, se: 6e-4 }]).length, 2);
});

test("the large-deviation rate of exp(c - I / tau) is I", () => {
  const pts = [0.02, 0.03, 0.04, 0.05, 0.08].map((tau) => ({ x: tau, p: Math.exp(-1.5 - 0.7 / tau), se: 0.1 * Math.exp(-1.5 - 0.7 / tau) }));
  const f = largeDeviationRate(pts, 0.06)!;
  assert.equal(f.n, 4);
  assert.ok(Math.abs(f.rate - 0.7) < 1e-9 && Math.abs(f.intercept + 1.5) < 1e-8);
  assert.ok(f.chi2PerDof < 1e-12 && f.ci95[0] < 0.7 && f.ci95[1] > 0.7);
  assert.equal(largeDeviationRate(pts, 0.03), null); // fewer than 3 points
});
