/**
 * The per-step theory (src/theory/per-step.ts) against one step of the mechanistic engine from a fixed
 * state. Every tolerance is 4 standard errors of the Monte Carlo estimate (computed from the sample)
 * plus the size of the neglected next-order term (perStepNextOrder, or the stated bound), and every
 * drift test first checks that the predicted value is far from 0 in standard errors (power).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { perStepTheory, perStepNextOrder, type PerStepInput } from "../src/theory/per-step.ts";
import { finiteBatchMoments } from "../src/theory/finite-batch-moments.ts";
import { gradientMoments } from "../src/theory/gradient-moments.ts";
import { scaleSetting, stepsForTau, tau } from "../src/theory/scaling.ts";
import { meanSe, minus, oneStep, varSe } from "./theory-helpers.ts";

const Z = 4;

function input(batch: number, r: number, kappa: number, extra: Partial<PerStepInput> = {}): PerStepInput {
  // kappa = lr^2 / (B gamma^2) with gamma = 1, sigma = 1
  return { lr: Math.sqrt(kappa * batch), gamma: 1, beta: r, batch, sigma: 1, alpha: 0, ...extra };
}

test("finite-B moments: exact limits and the N(0,1) limit", () => {
  const big = finiteBatchMoments(-0.7, 0, 1e6), g = gradientMoments(-0.7);
  for (const k of ["m0", "m1", "m2"] as const) assert.ok(Math.abs(big[k] - g[k]) < 1e-5, k);
  // B = 3: xhat = sqrt(2) sin(theta), theta uniform, so P(xhat > 1) = 1/4 and E[xhat; xhat > 1] = 1/pi
  const b3 = finiteBatchMoments(-1, 0, 3);
  assert.ok(Math.abs(b3.m0 - 0.25) < 1e-12 && Math.abs(b3.m1 - 1 / Math.PI) < 1e-12, JSON.stringify(b3));
  // the absorbing cone: nothing is active for r <= -sqrt(B - 1)
  assert.deepEqual(finiteBatchMoments(-Math.sqrt(7) - 1e-9, 0, 8), { e0: 0, e1: 0, m0: 0, m1: 0, m2: 0 });
  // E[xhat^2] = 1 exactly: all samples active
  assert.ok(Math.abs(finiteBatchMoments(10, 0, 8).m2 - 1) < 1e-12, "E[xhat^2] = 1");
});

/**
 * kappa = 0.02: the drift is 8-14 SE from 0 with the plain mean of 30000 one-step increments
 * (drift / sd(dr) ~ 0.3-0.5 sqrt(kappa), so SE / drift ~ 2-3 / sqrt(kappa N) ~ 0.1). The next-order drift
 * term is ~3 kappa m2 ~ 3% of the drift (0.3 SE); the next-order variance term is ~6% of the variance,
 * larger than the variance's SE (~1.5%), so it is added to the variance's allowance.
 */
test("drift and variance of r (plain means) and of the sparsity, kappa = 0.02, B = 8 and 128, r < 0, = 0, > 0", () => {
  for (const batch of [8, 128]) {
    for (const r of [-1.5, 0, 1]) {
      const inp = input(batch, r, 0.02);
      const th = perStepTheory(inp), nx = perStepNextOrder(inp);
      const x = oneStep(inp, 30000, `theory-plain-${batch}-${r}`);
      const d = meanSe(x.dr), v = varSe(x.dr);
      const where = `B=${batch} r=${r}: drift ${d.mean} +- ${d.se} vs ${th.driftR}; var ${v.v} +- ${v.se} vs ${th.varR}`;
      assert.ok(Math.abs(th.driftR) > 6 * d.se, `no power: ${where}`);
      assert.ok(Math.abs(d.mean - th.driftR) < Z * d.se + Math.abs(nx.driftR), where);
      assert.ok(Math.abs(v.v - th.varR) < Z * v.se + Math.abs(nx.varR), where);
      // the sparsity's drift with the control variate L_s = -phi(r) L (mean 0): the plain mean has ~3 SE power at r = 1
      const phi = Math.exp(-r * r / 2) / Math.sqrt(2 * Math.PI);
      const ds = meanSe(x.ds.map((v, i) => v + phi * x.lin[i])), vs = varSe(x.ds);
      // the sparsity's neglected terms: phi times the r-terms above plus phi (|S'''| E|dr|^3 / 6), bounded by 2 x
      const allowS = 2 * (0.4 * (Math.abs(nx.driftR) + Math.abs(nx.varR)) + 0.4 * 3 * th.varR ** 1.5);
      const whereS = `B=${batch} r=${r}: dS ${ds.mean} +- ${ds.se} vs ${th.driftSparsity}; var ${vs.v} +- ${vs.se} vs ${th.varSparsity}`;
      assert.ok(Math.abs(th.driftSparsity) > 6 * ds.se, `no power: ${whereS}`);
      assert.ok(Math.abs(ds.mean - th.driftSparsity) < Z * ds.se + allowS, whereS);
      assert.ok(Math.abs(vs.v - th.varSparsity) < Z * vs.se + 0.4 * 0.4 * Math.abs(nx.varR) + allowS * 0.1, whereS);
    }
  }
});

/**
 * kappa = 0.002 with a control variate: E[L] = 0 exactly (zero-mean noise), so E[dr] = E[dr - L] and
 * dr - L = L u / (1 - u) has sd O(kappa) instead of O(sqrt(kappa)): the relative SE of the drift is
 * ~1/(0.3 sqrt(N)) whatever kappa, ~1% at N = 80000. The next-order terms are ~0.3% (below 1 SE).
 * At B = 8 the exact finite-B and the N(0,1) moments are 3-4% apart (~1.5 tolerances): where they are
 * more than two tolerances apart the N(0,1) value must be rejected, otherwise both must fit within two;
 * the z-scores of both are reported. At B = 128 they differ by 0.2%, below resolution.
 */
test("precise drift (control variate): finite-B moments at B = 8 and 128, and the N(0,1) moments on the same data", (t) => {
  for (const [batch, trials] of [[8, 80000], [128, 30000]] as const) {
    for (const r of [-1, 0]) {
      const inp = input(batch, r, 0.002);
      const th = perStepTheory(inp), gauss = perStepTheory({ ...inp, moments: "gauss" }), nx = perStepNextOrder(inp);
      const x = oneStep(inp, trials, `theory-cv-${batch}-${r}`);
      const lin = meanSe(x.lin);
      assert.ok(Math.abs(lin.mean) < Z * lin.se, `E[L] = ${lin.mean} +- ${lin.se} should be 0`);
      const d = meanSe(minus(x.dr, x.lin));
      const tol = Z * d.se + Math.abs(nx.driftR);
      const where = `B=${batch} r=${r}: ${d.mean} +- ${d.se}; finite ${th.driftR}, gauss ${gauss.driftR}`;
      t.diagnostic(`B=${batch} r=${r}: z(finite-B) = ${((d.mean - th.driftR) / d.se).toFixed(2)}, z(N(0,1)) = ${((d.mean - gauss.driftR) / d.se).toFixed(2)}`);
      assert.ok(Math.abs(th.driftR) > 20 * d.se, `no power: ${where}`);
      assert.ok(Math.abs(d.mean - th.driftR) < tol, where);
      if (Math.abs(gauss.driftR - th.driftR) > 2 * tol) assert.ok(Math.abs(d.mean - gauss.driftR) > tol, `N(0,1) moments not rejected: ${where}`);
      else assert.ok(Math.abs(d.mean - gauss.driftR) < 2 * tol, where);
      const v = varSe(x.dr);
      assert.ok(Math.abs(v.v - th.varR) < Z * v.se + Math.abs(nx.varR), `var B=${batch} r=${r}: ${v.v} +- ${v.se} vs ${th.varR}`);
      // sparsity with the same control variate (L_s = -phi(r) L)
      const phi = Math.exp(-r * r / 2) / Math.sqrt(2 * Math.PI);
      const ds = meanSe(x.ds.map((s, i) => s + phi * x.lin[i]));
      assert.ok(Math.abs(ds.mean - th.driftSparsity) < Z * ds.se + phi * (Math.abs(nx.driftR) + Math.abs(nx.varR)), `dS B=${batch} r=${r}: ${ds.mean} +- ${ds.se} vs ${th.driftSparsity}`);
    }
  }
});

test("LeakyReLU (alpha = 0.5) at B = 32, r = -1: drift (control variate) and variance", () => {
  const inp = input(32, -1, 0.002, { alpha: 0.5 });
  const th = perStepTheory(inp), nx = perStepNextOrder(inp);
  const x = oneStep(inp, 30000, "theory-leaky");
  const d = meanSe(minus(x.dr, x.lin)), v = varSe(x.dr);
  assert.ok(Math.abs(th.driftR) > 20 * d.se, `no power: ${th.driftR} vs SE ${d.se}`);
  assert.ok(Math.abs(d.mean - th.driftR) < Z * d.se + Math.abs(nx.driftR), `${d.mean} +- ${d.se} vs ${th.driftR}`);
  assert.ok(Math.abs(v.v - th.varR) < Z * v.se + Math.abs(nx.varR), `${v.v} +- ${v.se} vs ${th.varR}`);
  // and it differs from ReLU's by far more than the tolerance (the formula sees alpha)
  const relu = perStepTheory({ ...inp, alpha: 0 }).driftR;
  assert.ok(Math.abs(relu - th.driftR) > 10 * d.se, `ReLU ${relu} vs leaky ${th.driftR}, SE ${d.se}`);
});

/**
 * Signal mu_g = 0.2 at B = 8, kappa = 0.02 (lr = 0.4): the first-order term lr mu m2 ~ 0.04 dominates
 * (~40 SE). Allowance for what the formula neglects: the batch-to-batch variance of the mean gradient,
 * at most lr^2 mu^2 (|r| m2 + m1 + m0) / B, plus the next-order noise terms.
 */
test("signal: first- and second-order mean-gradient terms, B = 8, r = 0 and -1", () => {
  for (const r of [0, -1]) {
    const inp = input(8, r, 0.02, { signal: 0.2 });
    const th = perStepTheory(inp), nx = perStepNextOrder(inp);
    const m = finiteBatchMoments(r, 0, 8);
    const allow = (inp.lr ** 2 * 0.04 * (Math.abs(r) * m.m2 + m.m1 + m.m0)) / 8 + Math.abs(nx.driftR);
    const d = meanSe(oneStep(inp, 20000, `theory-signal-${r}`).dr);
    assert.ok(Math.abs(th.driftR - perStepTheory({ ...inp, signal: 0 }).driftR) > 20 * d.se, `no power: SE ${d.se}`);
    assert.ok(Math.abs(d.mean - th.driftR) < Z * d.se + allow, `r=${r}: ${d.mean} +- ${d.se} vs ${th.driftR} (allow ${allow})`);
  }
});

test("weight decay acts on r's step exactly as lr -> lr / (1 - lr lambda) (same random numbers)", () => {
  const lr = 0.3, lambda = 0.5, key = "wd";
  const a = oneStep({ lr, gamma: 1, beta: -0.4, batch: 16, weightDecay: lambda }, 500, "wd", key);
  const b = oneStep({ lr: lr / (1 - lr * lambda), gamma: 1, beta: -0.4, batch: 16 }, 500, "wd", key);
  for (let i = 0; i < 500; i++) assert.ok(Math.abs(a.dr[i] - b.dr[i]) < 1e-12 * (1 + Math.abs(a.dr[i])), `trial ${i}`);
  const th = perStepTheory({ lr, gamma: 1, beta: -0.4, batch: 16, sigma: 1, alpha: 0, weightDecay: lambda });
  assert.equal(th.driftR, perStepTheory({ lr: lr / (1 - lr * lambda), gamma: 1, beta: -0.4, batch: 16, sigma: 1, alpha: 0 }).driftR);
});

test("scale symmetry and tau: (gamma, beta, lr) -> c (gamma, beta, lr) leaves r's moments and tau unchanged", () => {
  const base = { lr: 0.1, gamma: 0.5, beta: -0.2 };
  for (const c of [0.25, 3, 1024]) {
    const s = scaleSetting(base, c);
    const a = perStepTheory({ ...base, batch: 16, sigma: 1, alpha: 0 }), b = perStepTheory({ ...s, batch: 16, sigma: 1, alpha: 0 });
    assert.ok(Math.abs(a.driftR - b.driftR) <= 4e-15 * Math.abs(a.driftR) && Math.abs(a.varR - b.varR) <= 4e-15 * a.varR, `c=${c}`);
    assert.ok(Math.abs(tau(s.lr, 1, 100, 16, s.gamma) - tau(base.lr, 1, 100, 16, base.gamma)) < 1e-12, `tau c=${c}`);
  }
  assert.ok(Math.abs(tau(0.05, 1, 1000, 32, 1) - 0.078125) < 1e-15, "tau");
  assert.ok(Math.abs(stepsForTau(0.078125, 0.05, 1, 32, 1) - 1000) < 1e-9, "stepsForTau");
  // gamma < 0: r's dynamics see |gamma| only
  assert.deepEqual(perStepTheory({ ...base, gamma: -0.5, batch: 16, sigma: 1, alpha: 0 }), perStepTheory({ ...base, batch: 16, sigma: 1, alpha: 0 }));
});
