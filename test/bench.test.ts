/**
 * `bn-collapse bench --quick --json`: the report's shape, and agreement of the engine with the numpy
 * and C reference implementations (when python3 with numpy and a C compiler are here) on the
 * collapse probability. No timing is asserted: the numbers depend on the machine and its load.
 * One worker only, so the test does not pay for starting worker threads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fillNormal, normal } from "../src/rng/normal.ts";
import { seedState } from "../src/rng/streams.ts";
import { pairwiseAgreement, pooledEstimate } from "../src/bench/stats.ts";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

test("bench --quick --json: shape, counts and agreement with the references", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", MAIN, "bench", "--quick", "--json", "--quiet", "--workers", "1"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const r = JSON.parse(run.stdout);
  assert.equal(r.kind, "bench");
  assert.equal(r.quick, true);
  for (const k of ["cores", "loadAverageStart", "loadAverageEnd", "runtime", "v8"]) assert.ok(k in r.machine, `machine.${k}`);
  assert.equal(r.workload.batch, 32);
  assert.equal(r.workload.stopAtCollapse, false);

  const m = r.mechanistic;
  assert.equal(m.available, true);
  for (const k of ["perSecond1", "perSecondAll"]) assert.ok(typeof m[k] === "number" && m[k] > 0, `mechanistic.${k}`);
  // trajectories are not stopped at collapse: every one runs all its steps
  assert.equal(m.stepsExecuted, r.workload.steps * r.workload.trials);
  assert.equal(m.sameCountsAllCores, true);
  assert.ok(m.estimate.p > 0.05 && m.estimate.p < 0.5, `quick workload p = ${m.estimate.p}`);

  const red = r.reduced;
  assert.ok("perSecond1" in red && "perSecondAll" in red);
  if (red.available) assert.ok(red.perSecond1 > 0 && red.perSecondAll > 0);
  else assert.match(red.note, /not available/);

  for (const impl of ["numpy", "c"] as const) {
    const ref = r.references[impl];
    assert.equal(typeof ref.available, "boolean");
    if (!ref.available) continue;
    assert.ok(ref.perSecond > 0);
    assert.equal(ref.estimate.n, r.workload.trials);
  }
  // every pair of the implementations that ran agrees within 4 combined standard errors
  const ran = 1 + Number(r.references.numpy.available) + Number(r.references.c.available);
  assert.equal(r.agreement.pairs.length, (ran * (ran - 1)) / 2);
  assert.ok(r.agreement.ok, JSON.stringify(r.agreement.pairs));

  for (const k of ["mechanistic1VsNumpy", "mechanistic1VsC", "allCoresVs1", "reducedVsMechanistic"]) assert.ok(k in r.ratios, k);
  assert.equal(r.targets.length, 4);
  assert.equal(r.reproduceQuick.seconds, null); // not timed with --quick
  // rare events: a work ratio per target P, each from a positive AMS estimate (no value is asserted: the bench measures)
  assert.deepEqual(Object.keys(r.rare.workRatio), ["1e-3", "1e-5", "1e-7"]);
  assert.deepEqual(Object.keys(r.rare.workRatioExtreme), ["1e-3", "1e-5", "1e-7"]);
  for (const pt of r.rare.points) {
    const ratios = pt.score === "time" ? r.rare.workRatio : r.rare.workRatioExtreme;
    assert.ok(pt.p > 0 && pt.workAms > 0 && pt.workBrute > 0 && pt.workRatio === ratios[pt.target], JSON.stringify(pt));
  }
});

test("agreement rule: flags a real difference, passes a small one", () => {
  const a = pooledEstimate("a", [{ collapsed: 200, n: 1000 }]);
  const b = pooledEstimate("b", [{ collapsed: 215, n: 1000 }]);
  const c = pooledEstimate("c", [{ collapsed: 330, n: 1000 }]);
  assert.equal(pairwiseAgreement([a, b]).ok, true);
  assert.equal(pairwiseAgreement([a, c]).ok, false);
  assert.equal(pooledEstimate("p", [{ collapsed: 1, n: 2 }, { collapsed: 3, n: 6 }]).p, 0.5);
});

test("fillNormal returns the sum of what it wrote, added in order", () => {
  const s1 = seedState("sum"), s2 = seedState("sum");
  const out = new Float64Array(64);
  for (let k = 0; k < 2000; k++) {
    const got = fillNormal(s1, out, 32);
    let sum = 0;
    for (let i = 0; i < 32; i++) {
      assert.equal(out[i], normal(s2));
      sum += out[i];
    }
    assert.equal(got, sum);
  }
});
