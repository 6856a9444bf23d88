/**
 * The reduced model's step law (src/engine/step-law.ts): the exact law is the Cholesky factor of the
 * theory's moments, its derivatives are right, the Hermite tables reproduce it, and the step loop
 * draws exactly mean + factor x its normals.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileProblem } from "../src/engine/compiled.ts";
import { reducedGradients } from "../src/engine/reduced-gradients.ts";
import { POOL_SIZE, allocateState } from "../src/engine/state.ts";
import { LAW_LIMIT, LAW_NODES, LAW_PER_UNIT, exactStepLaw, stepLawTables } from "../src/engine/step-law.ts";
import { defineProblem } from "../src/model/problem.ts";
import { seedState } from "../src/rng/streams.ts";
import { gradientMoments } from "../src/theory/gradient-moments.ts";

const ALPHAS = [0, 0.1, 0.5];

/** Cubic Hermite interpolation on a cell: node values f0, f1, node slopes times h d0, d1, u in [0, 1]. */
function hermite(f0: number, d0: number, f1: number, d1: number, u: number): number {
  const u2 = u * u, u3 = u2 * u;
  return (2 * u3 - 3 * u2 + 1) * f0 + (u3 - 2 * u2 + u) * d0 + (-2 * u3 + 3 * u2) * f1 + (u3 - u2) * d1;
}

test("exact law: L L^T is the moments' covariance and the mean is (e0, e1), for both signs of gamma", () => {
  const v = new Float64Array(5);
  for (const alpha of ALPHAS) for (let r = -7.9; r < 8; r += 0.3) {
    exactStepLaw(r, alpha, v);
    const [e0, e1, l11, l21, l22] = v;
    const m = gradientMoments(r, alpha, 1);
    assert.equal(e0, m.e0);
    assert.equal(e1, m.e1);
    const scale = Math.max(m.m0, m.m2, 1e-300);
    assert.ok(Math.abs(l11 * l11 - m.m2) <= 1e-14 * scale, `m2 at r=${r}`);
    assert.ok(Math.abs(l21 * l11 - m.m1) <= 1e-14 * scale, `m1 at r=${r}`);
    assert.ok(Math.abs(l21 * l21 + l22 * l22 - m.m0) <= 1e-14 * scale, `m0 at r=${r}`);
  }
});

test("exact law: its derivatives match central differences", () => {
  const v = new Float64Array(5), d = new Float64Array(5), up = new Float64Array(5), down = new Float64Array(5);
  const h = 1e-5;
  for (const alpha of ALPHAS) for (let r = -6.05; r < 6; r += 0.5) {
    exactStepLaw(r, alpha, v, d);
    exactStepLaw(r + h, alpha, up);
    exactStepLaw(r - h, alpha, down);
    for (let j = 0; j < 5; j++) {
      const fd = (up[j] - down[j]) / (2 * h);
      // central-difference error h^2 f'''/6 ~ 1e-10 plus rounding 1e-16 / h ~ 1e-11
      assert.ok(Math.abs(fd - d[j]) < 1e-8 * Math.max(1, Math.abs(d[j])), `alpha=${alpha} r=${r} slot ${j}: ${d[j]} vs ${fd}`);
    }
  }
});

// Cubic Hermite remainder: h^4/384 |f''''| with h = 1/512, h^4/384 = 3.8e-14; these functions have
// |f''''| of order 1 to 10 on [-8, 8]. The largest error seen is 1.3e-13; the test allows 5e-13.
test("tables reproduce the exact law to 5e-13 between the nodes", () => {
  const v = new Float64Array(5);
  for (const alpha of ALPHAS) {
    const { noise, mean } = stepLawTables(alpha);
    assert.equal(noise.length, 6 * LAW_NODES);
    let worst = 0;
    for (let i = 1; i < 100_000; i++) {
      const r = -LAW_LIMIT + (2 * LAW_LIMIT * i) / 100_000 + 3.7e-7;
      if (!(r < LAW_LIMIT)) continue;
      exactStepLaw(r, alpha, v);
      const x = (r + LAW_LIMIT) * LAW_PER_UNIT, k = Math.min(Math.floor(x), LAW_NODES - 2), u = x - k;
      const a = 6 * k, b = 4 * k;
      const got = [
        hermite(mean[b], mean[b + 1], mean[b + 4], mean[b + 5], u),
        hermite(mean[b + 2], mean[b + 3], mean[b + 6], mean[b + 7], u),
        hermite(noise[a], noise[a + 1], noise[a + 6], noise[a + 7], u),
        hermite(noise[a + 2], noise[a + 3], noise[a + 8], noise[a + 9], u),
        hermite(noise[a + 4], noise[a + 5], noise[a + 10], noise[a + 11], u),
      ];
      for (let j = 0; j < 5; j++) worst = Math.max(worst, Math.abs(got[j] - v[j]));
    }
    assert.ok(worst < 5e-13, `alpha=${alpha}: worst ${worst}`);
  }
});

test("the reduced step's gradient is signal (e1, e0) + the exact Cholesky factor times its normals", () => {
  for (const alpha of [0, 0.1]) {
    const problem = defineProblem({
      model: "reduced", batch: 128, steps: 1, activation: alpha === 0 ? { kind: "relu" } : { kind: "leaky", alpha },
      loss: { kind: "noise", signal: 0.7, noise: { kind: "gauss", sigma: 1.5 } },
    });
    const c = compileProblem(problem);
    const s = allocateState(c, 1), g = c.scratch.g;
    s.active = 1;
    seedState("reduced-step-moments", s.streams[0]);
    // inside the tables, and beyond them (|r| in [8, sqrt(127)), where the loop uses the exact law)
    for (const sign of [1, -1]) for (const r of [-10.5, -8.2, ...Array.from({ length: 33 }, (_, i) => -6 + 0.37 * i), 8.3, 11]) {
      s.p[0] = 1.3 * sign;
      s.p[1] = 1.3 * r;
      s.poolNext[0] = POOL_SIZE;
      reducedGradients(c, c.phases[0], s);
      const z1 = s.pool[s.poolNext[0] - 2], z2 = s.pool[s.poolNext[0] - 1];
      const m = gradientMoments(r, alpha, sign);
      const l11 = Math.sqrt(m.m2), l21 = m.m1 / l11, l22 = Math.sqrt(Math.max(0, m.m0 - l21 * l21));
      const k = 1.5 / Math.sqrt(128);
      const want = [0.7 * m.e1 + k * l11 * z1, 0.7 * m.e0 + k * (l21 * z1 + l22 * z2)];
      for (let j = 0; j < 2; j++) {
        assert.ok(Math.abs(g[j] - want[j]) < 1e-12, `r=${r} alpha=${alpha} sign=${sign} g[${j}]: ${g[j]} vs ${want[j]}`);
      }
    }
  }
});
