/** `fitSweep` on a real 6 x 6 grid: every estimator gets exponents with intervals, in lr and in gamma. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSweep } from "../src/config/sweep-config.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { fitSweep } from "../src/analysis/fit-sweep.ts";
import { fitReportText } from "../src/analysis/text.ts";
import { parseSweepResult } from "../src/analysis/load.ts";
import { stringifyResults } from "../src/io/json.ts";
import { ConfigError } from "../src/model/errors.ts";

const spec = resolveSweep({ lr: "0.05:0.4:6log", gamma: "0.5:2:6log", steps: 200, trials: 200, batch: 8, collapse: "ratio:1.5" });

test("fit on a 6 x 6 grid prints exponents with intervals for every estimator", async () => {
  const result = await runSweep(spec, { workers: 1 });
  const report = fitSweep(result, { trials: 600 });
  assert.deepEqual(report.estimators.map((e) => e.info.id), ["probability", "median", "drift", "boundary"]);
  for (const e of report.estimators) {
    for (const axis of ["lr", "gamma"] as const) {
      const pooled = e.pooled[axis]!;
      assert.ok(pooled.fit, `${e.info.id} ${axis}: no pooled fit`);
      const [lo, hi] = pooled.fit.ci95;
      assert.ok(Number.isFinite(lo) && lo < pooled.fit.slope && pooled.fit.slope < hi, `${e.info.id} ${axis}`);
      assert.equal(e.lines.filter((l) => l.axis === axis).length, 6);
      assert.match(pooled.sentence, /exponent -?[\d.]+ \[-?[\d.]+, -?[\d.]+\]; /);
    }
  }
  // The drift is a one-step quantity with leading order lr^2/gamma^2 and relative corrections
  // O(lr^2/(B gamma^2)) <= 8% at the grid's largest lr/gamma; its pooled SE here is ~0.02. So a
  // pooled exponent outside 2 +- 0.15 would mean a broken estimator, not higher-order physics.
  const drift = report.estimators[2];
  assert.ok(Math.abs(drift.pooled.lr!.fit!.slope - 2) < 0.15, `drift lr ${drift.pooled.lr!.fit!.slope}`);
  assert.ok(Math.abs(drift.pooled.gamma!.fit!.slope + 2) < 0.15, `drift gamma ${drift.pooled.gamma!.fit!.slope}`);
  // On one B and T with plain SGD the collapse onto tau is exact by construction, and it is said so.
  assert.equal(report.collapse.trivial, true);
  assert.ok(report.collapse.test.polynomial && report.collapse.test.equalTau);
  assert.match(report.collapse.sentence, /holds by construction here/);
  const text = fitReportText(report, "grid.json");
  for (const label of ["(a) P(T)", "(b) median first passage", "(c) sparsity drift", "(d) one-step P near the boundary"]) assert.ok(text.includes(label), label);
  assert.match(text, /600 runs per cell with the sweep's seed 1/);
  // the JSON round trip reads what sweep writes
  assert.equal(parseSweepResult(stringifyResults(result), "r.json").cells.length, 36);
});

test("bad input is a ConfigError naming the problem", async () => {
  assert.throws(() => parseSweepResult("not json", "x.json"), (e) => e instanceof ConfigError && /is not JSON/.test(e.message));
  assert.throws(() => parseSweepResult('{"kind":"fit","tool":"bn-collapse"}', "x.json"), (e) => e instanceof ConfigError && /not a bn-collapse sweep result/.test(e.message));
  const one = await runSweep(resolveSweep({ lr: 0.2, gamma: 1, steps: 20, trials: 20, batch: 8 }), { workers: 1 });
  assert.throws(() => fitSweep(one, { trials: 10 }, "one.json"), (e) => e instanceof ConfigError && /one\.json: the grid has 1 lr and 1 gamma/.test(e.message));
});
