/**
 * The 1-D eventual-hitting probability of the diffusion predictor (src/theory/scale-function.ts), which
 * is the boundary condition of the 2-D solve where gamma -> 0. Checked against an independent
 * quadrature written here: the same scale-function formula, but in r instead of asinh(r), with the
 * partial moments of one standardised sample integrated numerically from its density instead of the
 * incomplete-beta closed forms, and composite Simpson rules instead of Gauss-Legendre.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventualHitProbability } from "../src/theory/scale-function.ts";
import { makeXGrid } from "../src/theory/predictor-grid.ts";

/** Tabulated [J0, J1, J2](c) = E[xhat^k; xhat > c] for one standardised sample of a batch of size B. */
function partialMoments(B: number, n: number): (c: number) => [number, number, number] {
  const s = Math.sqrt(B - 1), h = (2 * s) / n;
  const dens = (x: number) => Math.pow(Math.max(0, 1 - (x * x) / (B - 1)), (B - 4) / 2);
  // cumulative Simpson from the top, on pairs of cells
  const xs: number[] = [], J: number[][] = [[0, 0, 0]];
  for (let i = n; i >= 0; i -= 2) xs.push(-s + i * h);
  for (let k = 1; k < xs.length; k++) {
    const hi = xs[k - 1], lo = xs[k], mid = (hi + lo) / 2, prev = J[k - 1];
    const part = (p: number) => ((hi - lo) / 6) * (dens(lo) * lo ** p + 4 * dens(mid) * mid ** p + dens(hi) * hi ** p);
    J.push([prev[0] + part(0), prev[1] + part(1), prev[2] + part(2)]);
  }
  const norm = J[J.length - 1][0];
  return (c: number) => {
    if (c >= s) return [0, 0, 0];
    if (c <= -s) return [1, 0, 1];
    const pos = (s - c) / (2 * h); // index into xs/J (xs[k] = s - 2 k h)
    const k = Math.min(J.length - 2, Math.floor(pos)), f = pos - k;
    return [0, 1, 2].map((p) => ((1 - f) * J[k][p] + f * J[k + 1][p]) / norm) as [number, number, number];
  };
}

function independentHit(B: number, r0: number, rTop: number): number {
  const J = partialMoments(B, 400000);
  const edge = Math.sqrt(B - 1);
  const ratio = (r: number) => {
    const [m0, m1, m2] = J(-r); // ReLU, gamma > 0: the active side is xhat > -r
    return (2 * (r * m2 - m1)) / (m0 - 2 * r * m1 + r * r * m2);
  };
  // mesh: uniform on (edge, 6], geometric beyond; ln S' by Simpson per cell, S' integrated by Simpson
  const mesh: number[] = [];
  const nu = 20000;
  for (let i = 0; i <= nu; i++) mesh.push(-edge + ((6 + edge) * i) / nu);
  for (let r = 6 * 1.0005; r < rTop; r *= 1.0005) mesh.push(r);
  mesh.push(rTop);
  const lnS = [0];
  for (let i = 1; i < mesh.length; i++) {
    const a = mesh[i - 1], b = mesh[i];
    lnS.push(lnS[i - 1] - ((b - a) / 6) * (ratio(a + 1e-12) + 4 * ratio((a + b) / 2) + ratio(b)));
  }
  // trapezoid on S' (the mesh is fine enough that Simpson on lnS dominates the accuracy)
  let below = 0, total = 0;
  for (let i = 1; i < mesh.length; i++) {
    const piece = ((mesh[i] - mesh[i - 1]) / 2) * (Math.exp(lnS[i - 1]) + Math.exp(lnS[i]));
    total += piece;
    if (mesh[i] > r0) below += mesh[i - 1] >= r0 ? piece : piece * ((mesh[i] - r0) / (mesh[i] - mesh[i - 1]));
  }
  return below / total;
}

test("B = 32 dead cone: eventual-hit probability from r0 = 0 by the scale function, against an independent quadrature to 1e-3", () => {
  const B = 32, grid = makeXGrid(-Math.sqrt(B - 1), 0, 1000, 240);
  const solver = eventualHitProbability(grid.x, 0, B, "finite")[grid.start];
  const reference = independentHit(B, 0, Math.sinh(grid.x[grid.x.length - 1]));
  assert.ok(Math.abs(solver - reference) < 1e-3, `solver ${solver}, independent ${reference}`);
  assert.ok(solver > 0.8 && solver < 0.9, `about 0.85: ${solver}`);
  // grid-independent, unlike the old (I - 1e12 L) u = u solve (0.024 at 240 cells, 2e-17 at 960)
  const fine = makeXGrid(-Math.sqrt(B - 1), 0, 1000, 960);
  assert.ok(Math.abs(eventualHitProbability(fine.x, 0, B, "finite")[fine.start] - solver) < 1e-5);
});

test("B = 8 dead cone and a shallow threshold: the same agreement", () => {
  for (const [B, threshold] of [[8, -Math.sqrt(7)], [8, -2]] as const) {
    const grid = makeXGrid(threshold, 0, 1000, 240);
    const solver = eventualHitProbability(grid.x, 0, B, "finite")[grid.start];
    const reference = threshold === -Math.sqrt(7) ? independentHit(B, 0, Math.sinh(grid.x[grid.x.length - 1])) : NaN;
    if (Number.isFinite(reference)) assert.ok(Math.abs(solver - reference) < 1e-3, `B = ${B}: solver ${solver}, independent ${reference}`);
    assert.ok(solver > 0 && solver < 1 && grid.x.length > 10);
    // u is 1 at the barrier and falls monotonically
    const u = eventualHitProbability(grid.x, 0, B, "finite");
    assert.equal(u[0], 1);
    for (let i = 1; i < u.length; i++) assert.ok(u[i] <= u[i - 1] + 1e-15, `monotone at ${i}`);
  }
});
