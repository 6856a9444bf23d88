/** The ensemble layer: results independent of workers, cell order and grid splitting. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { enumerateCells } from "../src/ensemble/grid.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { stringifyResults } from "../src/solution/json.ts";

const base = { lr: "0.1,0.3", gamma: "0.5,1", beta: [0], batch: "4,16", steps: 200, trials: 300, collapse: "ratio:1.5", seed: 7 };

test("1 and 2 workers give byte-identical results", async () => {
  const spec = resolveSweep(base);
  const one = await runSweep(spec, { workers: 1 });
  const two = await runSweep(spec, { workers: 2 });
  assert.equal(stringifyResults(two), stringifyResults(one));
  // not vacuous: some cells collapse sometimes, some never
  const ps = one.cells.flatMap((c) => (c.p === null ? [] : [c.p]));
  assert.ok(ps.some((p) => p > 0.05) && ps.some((p) => p < 0.95), `p values ${ps}`);
});

test("a grid run in two parts equals the whole grid, cell for cell", async () => {
  const spec = resolveSweep(base);
  const whole = await runSweep(spec, { workers: 1 });
  const n = whole.cells.length;
  const odd = await runSweep(spec, { workers: 2, cellIndices: [...Array(n).keys()].filter((i) => i % 2 === 1).reverse() });
  const even = await runSweep(spec, { workers: 1, cellIndices: [...Array(n).keys()].filter((i) => i % 2 === 0) });
  const parts = new Map([...odd.cells, ...even.cells].map((c) => [JSON.stringify([c.lr, c.gamma, c.batch]), c]));
  for (const c of whole.cells) assert.deepEqual(parts.get(JSON.stringify([c.lr, c.gamma, c.batch])), c);
});

test("a cell gives the same numbers in any grid that contains it", async () => {
  const big = await runSweep(resolveSweep(base), { workers: 1 });
  const small = await runSweep(resolveSweep({ ...base, lr: 0.3, gamma: 1, batch: 16 }), { workers: 1 });
  const match = big.cells.find((c) => c.lr === 0.3 && c.gamma === 1 && c.batch === 16);
  assert.deepEqual(small.cells[0], match);
});

test("cells differing only in weight decay share random numbers; lr cells do not", () => {
  const spec = resolveSweep({ ...base, weightDecay: "0,0.01" });
  const cells = enumerateCells(spec);
  const byWd = cells.filter((c) => c.at.lr === 0.1 && c.at.gamma === 1 && c.at.batch === 4);
  assert.equal(byWd.length, 2);
  assert.equal(byWd[0].streamKey, byWd[1].streamKey);
  const byLr = cells.filter((c) => c.at.weightDecay === 0 && c.at.gamma === 1 && c.at.batch === 4);
  assert.notEqual(byLr[0].streamKey, byLr[1].streamKey);
});

test("cell statistics are consistent with their counts", async () => {
  const r = await runSweep(resolveSweep(base), { workers: 1 });
  for (const c of r.cells) {
    assert.equal(c.trials, 300);
    assert.equal(c.p, c.collapsed / (c.trials - c.nonFinite));
    assert.ok(c.ci95[0] <= c.p && c.p <= c.ci95[1]);
    const km = c.firstPassage.km;
    // KM with censoring only at T: S(T) = 1 - p exactly (up to rounding)
    const last = km.survival.length ? km.survival[km.survival.length - 1] : 1;
    assert.ok(Math.abs(last - (1 - c.p)) < 1e-12, `S(T) ${last} vs 1-p ${1 - c.p}`);
    if (c.firstPassage.median !== null) assert.ok(c.p >= 0.5);
  }
});
