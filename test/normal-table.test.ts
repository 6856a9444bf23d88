/** The interpolated Phi/phi used by the reduced model's step loop agree with the exact functions. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeNormalCdfPdf } from "../src/stats/normal-table.ts";
import { normalCdf, normalPdf } from "../src/stats/special.ts";
import { gradientMoments, writeGradientMomentsFast } from "../src/theory/gradient-moments.ts";

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

test("the fast moments equal the exact ones to 1e-12", () => {
  const out = new Float64Array(5);
  for (const alpha of [0, 0.1]) for (const sign of [1, -1]) for (let r = -6; r <= 6; r += 0.37) {
    writeGradientMomentsFast(r, alpha, sign, out);
    const m = gradientMoments(r, alpha, sign);
    const exact = [m.e0, m.e1, m.m0, m.m1, m.m2];
    for (let j = 0; j < 5; j++) assert.ok(Math.abs(out[j] - exact[j]) < 1e-12, `r=${r} alpha=${alpha} slot ${j}: ${out[j]} vs ${exact[j]}`);
  }
});
