/**
 * Numerical robustness: extreme settings never hide a NaN. Every trajectory's stop reason is counted,
 * a non-finite run is reported as such, p is null (not NaN) when no run stayed finite, result files
 * hold only finite numbers and nulls, and long runs hold nothing of size steps x trajectories.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSweep } from "../src/ensemble/problem.ts";
import type { RawSweepConfig } from "../src/config/fields.ts";
import { defineProblem } from "../src/model/problem.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import type { CellResult, SweepResult } from "../src/solution/result.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { sweepToCsv } from "../src/solution/csv.ts";

// First in the file, so that the process's peak memory is this test's.
test("a very long run with few trajectories keeps memory bounded (nothing of size steps x trajectories)", async () => {
  const steps = 1_000_000, trials = 16;
  const before = process.memoryUsage().rss;
  // lr so small that nothing collapses: every trajectory runs all 10^6 updates
  const r = await runSweep(resolveSweep({ lr: 1e-6, gamma: 1, batch: 2, steps, trials, collapse: "dead" }), { workers: 1 });
  const peak = process.resourceUsage().maxRSS * 1024; // the process's peak, so nothing transient is missed
  const c = r.cells[0];
  checkCell(c, true);
  assert.equal(c.stops.horizon, trials);
  assert.equal(c.meanSteps, steps);
  // steps x trajectories doubles would be 128 MB; the lr and schedule tables are 8 MB each
  const grew = (peak - before) / 2 ** 20;
  assert.ok(grew < 64, `resident memory grew by ${grew.toFixed(0)} MiB`);
  checkFinite(r);
});

const run = (config: RawSweepConfig) => runSweep(resolveSweep(config), { workers: 1 });

/** Every number in a value, with its path. */
function numbers(v: unknown, path = "$", out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof v === "number") out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => numbers(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) numbers(x, `${path}.${k}`, out);
  return out;
}

/** The invariants every cell must satisfy, whatever the setting. */
function checkCell(c: CellResult, stopAtCollapse: boolean): void {
  const where = `cell lr=${c.lr} gamma=${c.gamma} beta=${c.beta} batch=${c.batch}`;
  assert.equal(c.stops.horizon + c.stops.collapsed + c.stops.nonFinite, c.trials, `${where}: a stop reason for every trajectory`);
  if (stopAtCollapse) {
    assert.equal(c.stops.collapsed, c.collapsed, where);
    assert.equal(c.stops.nonFinite, c.nonFinite, where);
  } else {
    assert.equal(c.stops.collapsed, 0, where); // collapsed runs go on to T (or to a non-finite value)
    assert.ok(c.stops.nonFinite >= c.nonFinite, where);
  }
  if (c.nonFinite === c.trials) {
    assert.equal(c.p, null, `${where}: no finite run, no estimate`);
    assert.equal(c.se, null, where);
    assert.deepEqual(c.ci95, [0, 1], where);
  } else {
    assert.equal(c.p, c.collapsed / (c.trials - c.nonFinite), where);
    assert.ok(c.ci95[0] <= c.p! && c.p! <= c.ci95[1], where);
  }
}

/** A result file holds only finite numbers and nulls: JSON would turn NaN and infinities into null silently. */
function checkFinite(result: SweepResult): void {
  for (const [path, x] of numbers(result)) assert.ok(Number.isFinite(x) && !Object.is(x, -0), `${path} = ${x}`);
  assert.deepStrictEqual(JSON.parse(stringifyResults(result)), JSON.parse(JSON.stringify(result)));
  assert.doesNotMatch(stringifyResults(result), /NaN|Infinity/);
}

test("Adam at enormous lr: runs that overflow are counted as nonFinite; an all-overflow cell has p = null", async () => {
  const r = await run({ optimizer: "adam", lr: "1e3,1e306,1e307,1e308", batch: 4, steps: 200, trials: 60, collapse: "gamma:0" });
  for (const c of r.cells) checkCell(c, true);
  const [small, , some, all] = r.cells;
  assert.equal(small.nonFinite, 0);
  assert.ok(some.nonFinite > 0 && some.nonFinite < some.trials, `lr 1e307: ${some.nonFinite} of ${some.trials} non-finite`);
  assert.equal(all.nonFinite, all.trials);
  assert.equal(all.meanSteps, 1, "stopped at the update that overflowed");
  checkFinite(r);
  // in csv an undefined p is an empty field, never "NaN" or "null"
  const row = sweepToCsv(r).trim().split("\n")[4].split(",");
  assert.equal(row[9], "");
  assert.equal(row[8], "60");
});

test("collapsed, then non-finite, with --run-to-horizon: the collapse counts, the stop reason says why it ended", async () => {
  const r = await run({ optimizer: "adam", lr: "1e306,1e307", batch: 4, steps: 200, trials: 60, collapse: "dead", stopAtCollapse: false });
  for (const c of r.cells) checkCell(c, false);
  assert.ok(r.cells.some((c) => c.collapsed > 0 && c.stops.nonFinite > 0));
  checkFinite(r);
});

test("gamma crossing zero: trajectories from gamma0 > 0 end with gamma < 0, all recorded and finite", () => {
  const problem = defineProblem({ batch: 8, gamma0: 0.05, beta0: 0, steps: 300, collapse: { kind: "ratio", c: 3 }, optimizer: { kind: "sgd", lr: 0.5 } });
  const o = simulateTrajectories(problem, { seed: 1, trials: 200, stopAtCollapse: false });
  const crossed = o.finalGamma.filter((g) => g < 0).length;
  assert.ok(crossed > 20 && crossed < 180, `${crossed} of 200 crossed zero`);
  assert.ok(o.finalGamma.every(Number.isFinite) && o.finalBeta.every(Number.isFinite));
  assert.ok(o.stepsRun.every((s) => s === 300));
});

test("gamma crossing zero, beta far negative, tiny gamma, B = 2: consistent cells and finite files", async () => {
  const configs: RawSweepConfig[] = [
    { gamma: "0.05,-0.05,1e-300", lr: "0.5,2", batch: "2,8", steps: 300, trials: 100, collapse: "ratio:3" },
    // starts past an r criterion are refused (issue 18 item 11), so these extremes run under gamma:0
    { beta: "-1e300,-1e10,-5", gamma: "1e-300,1", lr: 0.1, batch: 2, steps: 50, trials: 40, collapse: "gamma:0", stopAtCollapse: false },
    { beta: "-1e300", lr: "1e300", batch: 2, steps: 50, trials: 40, collapse: "gamma:0", optimizer: "momentum:0.9" },
    { lr: "0.05,0.4", batch: 2, steps: 500, trials: 200, collapse: "dead", noise: "student:2.5" },
  ];
  for (const config of configs) {
    const r = await run(config);
    for (const c of r.cells) checkCell(c, config.stopAtCollapse ?? true);
    checkFinite(r);
  }
  // r = -1e300 is past the threshold before any update: refused, not counted (docs/model.md)
  assert.throws(() => resolveSweep({ beta: "-1e300", gamma: 1, lr: 0.1, batch: 2, steps: 50, trials: 40, collapse: "dead" }), /already collapsed by dead/);
});
