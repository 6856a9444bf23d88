/** The interpolated Phi/phi used by the reduced model's step loop agree with the exact functions. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeNormalCdfPdf } from "../src/stats/normal-table.ts";
import { normalCdf, normalPdf } from "../src/stats/special.ts";
import { CompiledUnit, POOL_SIZE } from "../src/engine/compiled.ts";
import { reducedGradients } from "../src/engine/reduced-step.ts";
import { defineProblem } from "../src/model/problem.ts";
import { seedState } from "../src/rng/streams.ts";
import { gradientMoments } from "../src/theory/gradient-moments.ts";

// Cubic Hermite error: h^4/384 max|f^(4)| on the cell, h = 1/512, so h^4/384 = 3.8e-14. For Phi,
// f^(4) = phi''' = (3r - r^3) phi; for phi, f^(4) = (r^4 - 6r^2 + 3) phi; phi changes by at most
// exp(8h) < 1.02 across a cell. Plus a few rounding units of Phi near 1 (each 1.1e-16).
test("table Phi and phi are within the Hermite error bound of the exact values, on and off the grid", () => {
  const out = new Float64Array(2);
  let worst = 0;
  for (let k = 0; k <= 200_000; k++) {
    const r = -9 + (18 * k) / 200_000 + 1.234e-7; // off the grid points, and beyond the table's ends
    writeNormalCdfPdf(r, out);
    const a = Math.abs(r);
    const bound = 3.8e-14 * 1.02 * (a ** 4 + a ** 3 + 6 * a * a + 3 * a + 3) * normalPdf(r) + 1e-15;
    const e = Math.max(Math.abs(out[0] - normalCdf(r)), Math.abs(out[1] - normalPdf(r))) / bound;
    worst = Math.max(worst, e);
  }
  assert.ok(worst < 1, `worst error ${worst} times the bound`);
});

// The reduced step writes the moments out with tabulated Phi/phi (src/engine/reduced-step.ts): its
// gradient, rebuilt from the two normals it took, must be the exact moments' draw to 1e-12.
test("the reduced step's gradient is signal (e1, e0) + the exact moments' Cholesky factor times its normals", () => {
  for (const alpha of [0, 0.1]) {
    const problem = defineProblem({
      model: "reduced", batch: 128, steps: 1, activation: alpha === 0 ? { kind: "relu" } : { kind: "leaky", alpha },
      loss: { kind: "noise", signal: 0.7, noise: { kind: "gauss", sigma: 1.5 } },
    });
    const c = new CompiledUnit(problem);
    const s = seedState("reduced-step-moments");
    for (const sign of [1, -1]) for (let r = -6; r <= 6; r += 0.37) {
      c.p[0] = 1.3 * sign;
      c.p[1] = 1.3 * r;
      c.laneNext[0] = POOL_SIZE;
      reducedGradients(c, s);
      const z1 = c.lanePools[0][c.laneNext[0] - 2], z2 = c.lanePools[0][c.laneNext[0] - 1];
      const m = gradientMoments(r, alpha, sign);
      const l11 = Math.sqrt(m.m2), l21 = m.m1 / l11, l22 = Math.sqrt(m.m0 - l21 * l21);
      const k = 1.5 / Math.sqrt(128);
      const want = [0.7 * m.e1 + k * l11 * z1, 0.7 * m.e0 + k * (l21 * z1 + l22 * z2)];
      for (let j = 0; j < 2; j++) {
        assert.ok(Math.abs(c.g[j] - want[j]) < 1e-12, `r=${r} alpha=${alpha} sign=${sign} g[${j}]: ${c.g[j]} vs ${want[j]}`);
      }
    }
  }
});
