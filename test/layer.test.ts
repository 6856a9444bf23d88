/**
 * The BN layer (src/layer, docs/layer.md): exact gradients against finite differences,
 * reproducibility (same seed same numbers; blocks of layers independent), and the direction of the
 * learning-rate effect on the collapsed fraction.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileLayer, drawLayerBatch, layerForwardBackward, startLayer } from "../src/engine/layer-gradients.ts";
import { allocateState } from "../src/engine/state.ts";
import { simulateLayer } from "../src/layer/layer.ts";
import { summariseLayer } from "../src/layer/summary.ts";
import { defineLayer } from "../src/model/layer.ts";
import { seedState } from "../src/rng/streams.ts";

test("layer gradients of gamma, beta and a match central finite differences", () => {
  const cfg = defineLayer({ units: 3, inputDim: 4, batch: 6, labelNoise: 0.7, teacherBeta: 0.2 });
  const c = compileLayer(cfg);
  const s = allocateState(c), L = c.layer!, g = c.scratch.g;
  seedState("layer-fd", s.streams[0]);
  startLayer(c, s);
  // move away from gamma0 = 1, beta0 = 0 so that some samples are inactive and signs differ
  const g0 = [0.8, -1.3, 0.5], b0 = [0.3, -0.4, 0.1];
  for (let i = 0; i < 3; i++) {
    s.p[2 * i] = g0[i];
    s.p[2 * i + 1] = b0[i];
  }
  drawLayerBatch(c, s);
  layerForwardBackward(c, s);
  // unit i's gamma and beta at 2i and 2i + 1, its readout a_i at readoutAt + i (in p and in g alike)
  const at = { gamma: (i: number) => 2 * i, beta: (i: number) => 2 * i + 1, a: (i: number) => L.readoutAt + i };
  const analytic = Float64Array.from(g);
  const loss = () => {
    layerForwardBackward(c, s);
    return L.loss;
  };
  const h = 1e-6;
  for (const name of ["gamma", "beta", "a"] as const) {
    for (let i = 0; i < 3; i++) {
      const k = at[name](i), v = s.p[k];
      s.p[k] = v + h;
      const lp = loss();
      s.p[k] = v - h;
      const lm = loss();
      s.p[k] = v;
      const fd = (lp - lm) / (2 * h);
      assert.ok(Math.abs(fd - analytic[k]) < 1e-6 * (1 + Math.abs(fd)), `${name}[${i}]: fd ${fd} vs ${analytic[k]}`);
    }
  }
});

test("layers reproduce: same seed same numbers, blocks independent of how the run is split", () => {
  const cfg = { units: 6, inputDim: 8, batch: 4, steps: 150, lr: 0.4 };
  const whole = simulateLayer(cfg, { seed: 7, trials: 5 });
  const again = simulateLayer(cfg, { seed: 7, trials: 5 });
  const a = simulateLayer(cfg, { seed: 7, trials: 2 });
  const b = simulateLayer(cfg, { seed: 7, trials: 3, firstTrial: 2 });
  for (const f of ["deadAt", "deltaSqSum", "finalLoss", "unitDeltaSqSum"] as const) {
    assert.deepEqual(Array.from(again[f]), Array.from(whole[f]), f);
    assert.deepEqual([...Array.from(a[f]), ...Array.from(b[f])], Array.from(whole[f]), `${f} in blocks`);
  }
  assert.ok(whole.deadAt.some((t) => t > 0), "the setting collapses some units");
  const other = simulateLayer(cfg, { seed: 8, trials: 5 });
  assert.notDeepEqual(Array.from(other.finalLoss), Array.from(whole.finalLoss));
});

test("a larger lr collapses a larger fraction of the layer's units", () => {
  // K = 16, B = 8, T = 800, 16 layers per lr, paired streams (lr is not in the stream key).
  // Measured with seed 3: lr 0.05 gives ~0.00, lr 0.25 gives ~0.4. Tolerance: the difference must
  // exceed 3 standard errors, the SE from the spread of the per-layer fractions (units of one layer
  // share the residual, so the unit-level binomial SE would be too small), combined in quadrature.
  const base = { steps: 800 };
  const lo = summariseLayer(simulateLayer({ ...base, lr: 0.05 }, { seed: 3, trials: 16 })).final;
  const hi = summariseLayer(simulateLayer({ ...base, lr: 0.25 }, { seed: 3, trials: 16 })).final;
  const se = Math.hypot(lo.clusterSe, hi.clusterSe);
  assert.ok(hi.fraction - lo.fraction > 3 * se, `lr 0.25: ${hi.fraction} vs lr 0.05: ${lo.fraction} (se ${se})`);
});
