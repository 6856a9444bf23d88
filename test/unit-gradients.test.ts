/**
 * The unit's forward and backward passes (docs/model.md sections 1-2) against central finite differences,
 * BN's output moments, and the step loop's gradient path against the public API.
 *
 * Deterministic: every random number here comes from a small self-contained generator (or a fixed
 * engine seed), so no statistical tolerance is involved; the tolerances are finite-difference and
 * rounding tolerances, explained next to each assertion.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bnReluBackward,
  bnReluForward,
  linearBackward,
  linearForward,
  type UnitParams,
} from "../src/unit/bn-relu.ts";
import { batchNormalise } from "../src/unit/batchnorm.ts";
import { computeGradients, drawNormalisedBatch } from "../src/engine/batch-gradients.ts";
import { compileProblem, type Compiled } from "../src/engine/compiled.ts";
import { allocateState, type UnitState } from "../src/engine/state.ts";
import { defineProblem, type Activation, type Input } from "../src/model/problem.ts";
import { seedState } from "../src/rng/streams.ts";

// ---------------------------------------------------------------------------------------------
// A tiny independent generator (mulberry32 + Box-Muller), so the test data do not depend on the
// engine's random streams.
function makeRng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u1 = 1 - uniform(); // (0, 1]
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}

/** L = sum_i c_i z_i for the unit at (gamma, beta) on batch h. */
function lossOf(h: ArrayLike<number>, params: UnitParams, c: ArrayLike<number>): number {
  const f = bnReluForward(h, params);
  let L = 0;
  for (let i = 0; i < c.length; i++) L += c[i] * f.z[i];
  return L;
}

const FD_STEP = 1e-6;
/**
 * Central differences have truncation error ~ step^2 |L'''| / 6 ~ 1e-13 for the smooth (away from
 * kinks) O(1)-curvature functions here, and rounding error ~ 1e-16 |L| / step ~ 1e-10 |L|. So a
 * relative tolerance of 1e-6 plus an absolute floor of 1e-8 is loose by orders of magnitude for a
 * correct gradient, yet a wrong term (missing eps, missing mean or variance path, wrong slope on the
 * negative side) gives an O(1e-3..1) relative error and fails.
 */
const FD_REL = 1e-6;
const FD_ABS = 1e-8;

function assertClose(actual: number, expected: number, rel: number, abs: number, what: string): void {
  const tol = abs + rel * Math.abs(expected);
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > tol ${tol})`,
  );
}

/**
 * A batch of size B with pre-normalisation values h ~ N(offset, scale^2) such that every
 * y_i = gamma xhat_i + beta is at least `margin` away from the kink at 0 and at least one y_i is on
 * each side of it (so that both branches of the activation are exercised). Rejection sampling over
 * the independent generator: a batch that violates the condition is redrawn.
 */
function drawBatch(
  rng: ReturnType<typeof makeRng>,
  B: number,
  params: UnitParams,
  scale: number,
  offset: number,
  margin = 1e-4,
): Float64Array {
  for (let attempt = 0; attempt < 10000; attempt++) {
    const h = new Float64Array(B);
    for (let i = 0; i < B; i++) h[i] = offset + scale * rng.normal();
    const f = bnReluForward(h, params);
    let pos = 0, neg = 0, near = false;
    for (let i = 0; i < B; i++) {
      if (Math.abs(f.y[i]) < margin) near = true;
      if (f.y[i] > 0) pos++;
      else neg++;
    }
    if (!near && pos > 0 && neg > 0) return h;
  }
  throw new Error("drawBatch: could not find a batch away from the kink");
}

interface Case {
  name: string;
  B: number;
  gamma: number;
  beta: number;
  alpha: number;
  eps: number;
  scale: number;
  offset: number;
}

const CASES: Case[] = [];
for (const alpha of [0, 0.1]) {
  const act = alpha === 0 ? "relu" : "leaky0.1";
  CASES.push({ name: `${act} B=2`, B: 2, gamma: 1.3, beta: 0.4, alpha, eps: 1e-5, scale: 1, offset: 0 });
  CASES.push({ name: `${act} B=3`, B: 3, gamma: 0.8, beta: -0.2, alpha, eps: 1e-5, scale: 1, offset: 0 });
  CASES.push({ name: `${act} B=8`, B: 8, gamma: 1.7, beta: -0.5, alpha, eps: 1e-5, scale: 2, offset: 3 });
  CASES.push({ name: `${act} B=33`, B: 33, gamma: -0.9, beta: 0.3, alpha, eps: 1e-5, scale: 1, offset: -1 });
  // eps comparable with the batch variance, so that a gradient that ignores eps would be far off
  CASES.push({ name: `${act} B=16 eps~var`, B: 16, gamma: 1.1, beta: -0.3, alpha, eps: 0.05, scale: 0.3, offset: 0 });
}

test("bnReluBackward matches central finite differences in gamma, beta and every h_i", () => {
  const rng = makeRng(12345);
  let checked = 0;
  for (const cs of CASES) {
    for (let rep = 0; rep < 5; rep++) {
      const params: UnitParams = { gamma: cs.gamma, beta: cs.beta, alpha: cs.alpha, eps: cs.eps };
      // The finite-difference probes move y_i by at most ~|gamma| * invStd * FD_STEP * 2 << 1e-4,
      // so with a margin of 1e-4 no probe crosses a kink.
      const h = drawBatch(rng, cs.B, params, cs.scale, cs.offset);
      const c = Float64Array.from({ length: cs.B }, () => rng.normal());
      const fwd = bnReluForward(h, params);
      const grad = bnReluBackward(fwd, c, params);
      const what = `${cs.name} rep ${rep}`;

      const Lg = (g: number) => lossOf(h, { ...params, gamma: g }, c);
      const fdGamma = (Lg(cs.gamma + FD_STEP) - Lg(cs.gamma - FD_STEP)) / (2 * FD_STEP);
      assertClose(grad.dgamma, fdGamma, FD_REL, FD_ABS, `${what} dgamma`);

      const Lb = (b: number) => lossOf(h, { ...params, beta: b }, c);
      const fdBeta = (Lb(cs.beta + FD_STEP) - Lb(cs.beta - FD_STEP)) / (2 * FD_STEP);
      assertClose(grad.dbeta, fdBeta, FD_REL, FD_ABS, `${what} dbeta`);

      for (let i = 0; i < cs.B; i++) {
        const hp = Float64Array.from(h), hm = Float64Array.from(h);
        // step relative to the batch scale so the probe is small compared with the spread of h
        const step = FD_STEP * cs.scale;
        hp[i] += step;
        hm[i] -= step;
        const fd = (lossOf(hp, params, c) - lossOf(hm, params, c)) / (hp[i] - hm[i]);
        assertClose(grad.dh[i], fd, FD_REL, FD_ABS / cs.scale, `${what} dh[${i}]`);
      }
      // dL/dy_i is c_i f'(y_i): slope 1 on the positive side, alpha on the other
      for (let i = 0; i < cs.B; i++) {
        assert.equal(grad.dy[i], c[i] * (fwd.y[i] > 0 ? 1 : cs.alpha), `${what} dy[${i}]`);
      }
      checked++;
    }
  }
  assert.equal(checked, CASES.length * 5);
});

test("dL/dh sums to zero and is orthogonal to xhat (BN's invariances to shift and scale of h)", () => {
  // L is invariant to h -> h + t (exactly) and, for eps = 0, to h -> s h; so sum_i dh_i = 0, and
  // with eps = 0 also sum_i dh_i h_i = 0. Tolerance: rounding of O(B) terms of size O(1): 1e-12.
  const rng = makeRng(777);
  for (const B of [2, 5, 32]) {
    const params: UnitParams = { gamma: 1.2, beta: -0.1, alpha: 0.1, eps: 0 };
    const h = drawBatch(rng, B, params, 1, 0.5);
    const c = Float64Array.from({ length: B }, () => rng.normal());
    const g = bnReluBackward(bnReluForward(h, params), c, params);
    let s = 0, sh = 0;
    for (let i = 0; i < B; i++) {
      s += g.dh[i];
      sh += g.dh[i] * h[i];
    }
    assert.ok(Math.abs(s) < 1e-12, `B=${B}: sum dh = ${s}`);
    assert.ok(Math.abs(sh) < 1e-12, `B=${B}: sum dh h = ${sh}`);
  }
});

test("at y exactly 0 the slope is the negative side's (0 for ReLU, alpha for LeakyReLU)", () => {
  const h = [0.3, -1.1, 2.0, 0.7];
  for (const alpha of [0, 0.1]) {
    const gamma = 1.5;
    const x0 = bnReluForward(h, { gamma, beta: 0, alpha }).xhat[0];
    const beta = -(gamma * x0); // y_0 = gamma x0 + beta = 0 exactly in floating point
    const params: UnitParams = { gamma, beta, alpha };
    const fwd = bnReluForward(h, params);
    assert.equal(fwd.y[0], 0);
    assert.equal(fwd.z[0], 0);
    const g = bnReluBackward(fwd, [1, 1, 1, 1], params);
    assert.equal(g.dy[0], alpha);
  }
});

test("linear pre-layer: linearBackward(dh) matches finite differences in w", () => {
  const rng = makeRng(4242);
  for (const alpha of [0, 0.1]) {
    for (const [B, d] of [[2, 1], [4, 3], [16, 5], [9, 12]] as const) {
      for (let rep = 0; rep < 4; rep++) {
        const params: UnitParams = { gamma: 1.4, beta: -0.35, alpha, eps: 1e-5 };
        // draw (w, x) until every y_i is 1e-4 away from 0 with both signs present
        let w = new Float64Array(d), x = new Float64Array(B * d);
        for (let attempt = 0; ; attempt++) {
          assert.ok(attempt < 10000, "could not find a batch away from the kink");
          w = Float64Array.from({ length: d }, () => rng.normal());
          x = Float64Array.from({ length: B * d }, () => rng.normal());
          const f = bnReluForward(linearForward(w, x, B), params);
          if (f.y.every((v) => Math.abs(v) >= 1e-4) && f.y.some((v) => v > 0) && f.y.some((v) => v <= 0)) break;
        }
        // linearForward is the matrix-vector product
        const h = linearForward(w, x, B);
        for (let i = 0; i < B; i++) {
          let acc = 0;
          for (let k = 0; k < d; k++) acc += w[k] * x[i * d + k];
          assert.equal(h[i], acc);
        }
        const c = Float64Array.from({ length: B }, () => rng.normal());
        const grad = bnReluBackward(bnReluForward(h, params), c, params);
        const dw = linearBackward(grad.dh, x, d);
        assert.equal(dw.length, d);
        const Lw = (ww: Float64Array) => lossOf(linearForward(ww, x, B), params, c);
        for (let k = 0; k < d; k++) {
          const wp = Float64Array.from(w), wm = Float64Array.from(w);
          wp[k] += FD_STEP;
          wm[k] -= FD_STEP;
          const fd = (Lw(wp) - Lw(wm)) / (wp[k] - wm[k]);
          assertClose(dw[k], fd, FD_REL, FD_ABS, `alpha=${alpha} B=${B} d=${d} rep=${rep} dw[${k}]`);
        }
        // Scale of w: d/ds L(s w) at s = 1 is w . dw = sum_i dh_i h_i, and BN with eps gives exactly
        // (eps / (v + eps)) sum_i dxhat_i xhat_i, dxhat_i = gamma dy_i (0 without eps). The eps term is
        // ~1e-5 of O(1), far above the rounding tolerance below (1e-12 times the size of the terms).
        const fwdW = bnReluForward(h, params);
        let wdw = 0;
        for (let k = 0; k < d; k++) wdw += w[k] * dw[k];
        let sdx = 0, sumAbsDx = 0, sumAbsH = 0;
        for (let i = 0; i < B; i++) {
          sdx += params.gamma * grad.dy[i] * fwdW.xhat[i];
          sumAbsDx += Math.abs(params.gamma * grad.dy[i]);
          sumAbsH += Math.abs(h[i]) * (1 + Math.abs(fwdW.xhat[i]));
        }
        const eps = params.eps ?? 1e-5;
        const expectWdw = (eps / (fwdW.variance + eps)) * sdx;
        const tolW = 1e-12 * (1 + sumAbsH * fwdW.invStd * sumAbsDx);
        assert.ok(Math.abs(wdw - expectWdw) <= tolW, `w . dw = ${wdw}, expected ${expectWdw} (tol ${tolW})`);
      }
    }
  }
});

test("BN outputs: mean 0 and biased variance var/(var+eps), for several batch sizes including B = 2", () => {
  const rng = makeRng(99);
  for (const B of [2, 3, 7, 32, 257]) {
    for (const [scale, offset, eps] of [[1, 0, 1e-5], [3, 10, 1e-5], [0.01, -2, 1e-5], [0.5, 1, 0.1]] as const) {
      const h = Float64Array.from({ length: B }, () => offset + scale * rng.normal());
      // independent two-pass moments
      let m = 0;
      for (const v of h) m += v;
      m /= B;
      let v2 = 0;
      for (const v of h) v2 += (v - m) ** 2;
      v2 /= B;
      const fwd = bnReluForward(h, { gamma: 1, beta: 0, eps });
      const what = `B=${B} scale=${scale} offset=${offset} eps=${eps}`;
      assertClose(fwd.mean, m, 1e-15, 0, `${what} mean`);
      assertClose(fwd.variance, v2, 1e-13, 0, `${what} biased variance`);
      assertClose(fwd.invStd, 1 / Math.sqrt(v2 + eps), 1e-13, 0, `${what} invStd`);
      let mx = 0, vx = 0, maxAbs = 0;
      for (const v of fwd.xhat) {
        mx += v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      mx /= B;
      for (const v of fwd.xhat) vx += (v - mx) ** 2;
      vx /= B;
      // xhat is O(1), so its mean is zero up to ~B * 1e-16 rounding
      assert.ok(Math.abs(mx) < 1e-12, `${what}: mean xhat = ${mx}`);
      // biased variance of xhat = var / (var + eps) exactly in real arithmetic
      assertClose(vx, v2 / (v2 + eps), 1e-12, 0, `${what}: var xhat`);
      if (eps / v2 > 1e-3) assert.ok(vx < 1 - 1e-4, `${what}: eps must visibly shrink the variance, got ${vx}`);
      // docs/model.md section 1: |xhat_i| <= sqrt(B - 1)
      assert.ok(maxAbs <= Math.sqrt(B - 1) * (1 + 1e-15), `${what}: max |xhat| = ${maxAbs}`);
      if (B === 2) {
        // two samples sit at +-sqrt(var / (var + eps))
        const expect = Math.sqrt(v2 / (v2 + eps));
        assertClose(Math.abs(fwd.xhat[0]), expect, 1e-12, 0, `${what}: |xhat_0|`);
        assert.equal(Math.sign(fwd.xhat[0]), -Math.sign(fwd.xhat[1]));
      }
      // the in-place kernel used by the step loop gives the same numbers
      const xhat2 = new Float64Array(B);
      const invStd2 = batchNormalise(Float64Array.from(h), B, eps, xhat2);
      assert.equal(invStd2, fwd.invStd);
      assert.deepEqual(xhat2, fwd.xhat);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The step loop's gradient (engine/batch-gradients.ts) against the public API. With Gaussian noise of sigma = 0 and a
// signal of 0.7, delta_i = 0.7 for every sample, so the gradient of L = (1/B) sum l_i is
// bnReluBackward with dz_i = 0.7 / B, deterministically.

const SIGNAL = 0.7;
/**
 * The step loop forms (a_i * 0.7) / B while the public API forms (0.7 / B) * a_i and may sum in a
 * different association: they agree to a few ulps of each term, i.e. ~1e-15 relative on O(1) sums.
 * 1e-13 relative (absolute floor 1e-15) leaves room for that and nothing else.
 */
const PATH_REL = 1e-13;
const PATH_ABS = 1e-15;

/** A compiled problem, a one-trajectory state of it, and the step's gradient on that state. */
function compiledUnit(B: number, activation: Activation, input: Input, noiseSampling: "per-sample" | "exact-sum") {
  const c = compileProblem(
    defineProblem({
      batch: B,
      activation,
      input,
      noiseSampling,
      loss: { kind: "noise", noise: { kind: "gauss", sigma: 0 }, signal: SIGNAL },
    }),
  );
  const st = allocateState(c, 1);
  return { c, st, exactSum: c.phases[0].exactSum, g: c.scratch.g, h: c.scratch.h, x: c.scratch.x, xhat: c.scratch.xhat, eps: c.unit.bnEps };
}

/** Draws a batch for the state's (gamma, beta, w) from its stream and computes the gradient; returns 1 / sqrt(var + eps). */
function batchAndGradient(c: Compiled, st: UnitState): number {
  const invStd = drawNormalisedBatch(c, c.phases[0], st);
  computeGradients(c, c.phases[0], st, invStd);
  return invStd;
}

test("step loop (per-sample, h ~ N(0,1)) agrees with bnReluBackward on the same batch", () => {
  let sawNegative = 0;
  for (const activation of [{ kind: "relu" }, { kind: "leaky", alpha: 0.1 }] as Activation[]) {
    const alpha = activation.kind === "leaky" ? activation.alpha : 0;
    for (const B of [2, 5, 32]) {
      const u = compiledUnit(B, activation, { kind: "gauss" }, "per-sample");
      assert.equal(u.exactSum, false);
      seedState(`unit-gradients/gauss/${B}/${alpha}`, u.st.streams[0]);
      for (let rep = 0; rep < 20; rep++) {
        const gamma = 0.5 + rep * 0.1, beta = -0.6 + rep * 0.05;
        u.st.p[0] = gamma;
        u.st.p[1] = beta;
        const invStd = batchAndGradient(u.c, u.st);
        const params: UnitParams = { gamma, beta, alpha, eps: u.eps };
        const fwd = bnReluForward(u.h, params);
        assert.deepEqual(u.xhat, fwd.xhat, "the step loop normalises like the public API");
        assert.equal(invStd, fwd.invStd);
        const grad = bnReluBackward(fwd, new Float64Array(B).fill(SIGNAL / B), params);
        const what = `${activation.kind} B=${B} rep=${rep}`;
        assertClose(u.g[0], grad.dgamma, PATH_REL, PATH_ABS, `${what} dgamma`);
        assertClose(u.g[1], grad.dbeta, PATH_REL, PATH_ABS, `${what} dbeta`);
        if (fwd.y.some((v) => v <= 0)) sawNegative++;
      }
    }
  }
  // the comparison exercised the inactive side of the activation, not only the identity part
  assert.ok(sawNegative > 50, `only ${sawNegative} batches had an inactive sample`);
});

test("step loop exact-sum path with sigma = 0 gives the same deterministic gradient", () => {
  for (const activation of [{ kind: "relu" }, { kind: "leaky", alpha: 0.1 }] as Activation[]) {
    const alpha = activation.kind === "leaky" ? activation.alpha : 0;
    for (const B of [2, 8]) {
      const u = compiledUnit(B, activation, { kind: "gauss" }, "exact-sum");
      assert.equal(u.exactSum, true);
      seedState(`unit-gradients/exact/${B}/${alpha}`, u.st.streams[0]);
      for (let rep = 0; rep < 20; rep++) {
        const gamma = 1.2 - rep * 0.03, beta = -0.4 + rep * 0.04;
        u.st.p[0] = gamma;
        u.st.p[1] = beta;
        batchAndGradient(u.c, u.st);
        const params: UnitParams = { gamma, beta, alpha, eps: u.eps };
        const grad = bnReluBackward(bnReluForward(u.h, params), new Float64Array(B).fill(SIGNAL / B), params);
        assertClose(u.g[0], grad.dgamma, PATH_REL, PATH_ABS, `${activation.kind} B=${B} rep=${rep} dgamma`);
        assertClose(u.g[1], grad.dbeta, PATH_REL, PATH_ABS, `${activation.kind} B=${B} rep=${rep} dbeta`);
      }
    }
  }
});

test("step loop with a linear pre-layer (dim 3) agrees with linearForward/bnReluBackward/linearBackward", () => {
  const rng = makeRng(2024);
  for (const activation of [{ kind: "relu" }, { kind: "leaky", alpha: 0.1 }] as Activation[]) {
    const alpha = activation.kind === "leaky" ? activation.alpha : 0;
    for (const B of [2, 6, 16]) {
      const d = 3;
      const u = compiledUnit(B, activation, { kind: "linear", dim: d }, "per-sample");
      assert.equal(u.c.width, 2 + d);
      seedState(`unit-gradients/linear/${B}/${alpha}`, u.st.streams[0]);
      let nonzero = 0;
      for (let rep = 0; rep < 20; rep++) {
        const gamma = 0.9 + 0.05 * rep, beta = -0.3;
        const w = Float64Array.from({ length: d }, () => rng.normal());
        u.st.p[0] = gamma;
        u.st.p[1] = beta;
        u.st.p.set(w, 2);
        const invStd = batchAndGradient(u.c, u.st);
        // the batch the loop drew, recomputed through the public API
        const x = Float64Array.from(u.x);
        const h = linearForward(w, x, B);
        assert.deepEqual(u.h, h, "h = w . x_i");
        const params: UnitParams = { gamma, beta, alpha, eps: u.eps };
        const fwd = bnReluForward(h, params);
        assert.equal(invStd, fwd.invStd);
        const grad = bnReluBackward(fwd, new Float64Array(B).fill(SIGNAL / B), params);
        const dw = linearBackward(grad.dh, x, d);
        const what = `${activation.kind} B=${B} rep=${rep}`;
        assertClose(u.g[0], grad.dgamma, PATH_REL, PATH_ABS, `${what} dgamma`);
        assertClose(u.g[1], grad.dbeta, PATH_REL, PATH_ABS, `${what} dbeta`);
        // dw is a difference of O(1) terms that nearly cancel (w . dw ~ 0), so compare against the
        // size of the terms rather than of the result
        let termScale = 0;
        for (let i = 0; i < B; i++) for (let k = 0; k < d; k++) termScale = Math.max(termScale, Math.abs(grad.dh[i] * x[i * d + k]));
        for (let k = 0; k < d; k++) {
          assertClose(u.g[2 + k], dw[k], 0, 1e-13 * (termScale + 1e-300) * B, `${what} dw[${k}]`);
          if (Math.abs(dw[k]) > 1e-6) nonzero++;
        }
      }
      assert.ok(nonzero > 0, "the w-gradient comparison must not be all zeros");
    }
  }
});
