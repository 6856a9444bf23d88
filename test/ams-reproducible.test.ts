/**
 * AMS cells keep the sweep's guarantee: the same seed gives the same bytes on 1 or 2 workers, in
 * shards, and after a resume from a checkpoint; the done-when command prints p, its interval and the
 * work, in JSON and CSV; bad estimator input is refused with the flag named. Exact comparisons.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { closeWorkerPool } from "../src/ensemble/pool.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { checkpointPath, checkpointWriter } from "../src/solution/checkpoint.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { VERSION } from "../src/solution/result.ts";
import { runCliInProcess } from "./run-cli.ts";

const RAW = { lr: "0.1,0.15,0.2", batch: 8, steps: 40, collapse: "ratio:2", estimator: "ams:20:3", amsRuns: 4, seed: 7 };

test("AMS cells: the same bytes on 1 and 2 workers and from shards", async () => {
  const sweep = resolveSweep(RAW);
  const one = stringifyResults(await runSweep(sweep, { workers: 1 }));
  const two = stringifyResults(await runSweep(sweep, { workers: 2 }));
  await closeWorkerPool();
  assert.equal(two, one);
  const whole = JSON.parse(one).cells;
  assert.ok(whole.every((c: { ams?: unknown }) => c.ams !== undefined));
  // shard 1/2 holds cells 0 and 2, shard 2/2 cell 1
  const a = await runSweep(sweep, { workers: 1, cellIndices: [0, 2] });
  const b = await runSweep(sweep, { workers: 1, cellIndices: [1] });
  assert.deepEqual(JSON.parse(stringifyResults(a)).cells, [whole[0], whole[2]]);
  assert.deepEqual(JSON.parse(stringifyResults(b)).cells, [whole[1]]);
  // another seed gives other numbers
  const other = JSON.parse(stringifyResults(await runSweep(resolveSweep({ ...RAW, seed: 8 }), { workers: 1 }))).cells;
  assert.notDeepEqual(other[1].ams.runEstimates, whole[1].ams.runEstimates);
});

const ARGS = ["sweep", "--estimator", "ams:20:3", "--ams-runs", "4", "--lr", "0.1,0.15,0.2", "--batch", "8", "--steps", "40", "--collapse", "ratio:2", "--seed", "7", "--workers", "1", "--quiet"];

test("an AMS sweep resumed from its checkpoint writes the uninterrupted run's bytes (json and csv)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-ams-"));
  const ref = join(dir, "ref.json");
  assert.equal((await runCliInProcess([...ARGS, "--out", ref])).code, 0);
  const cells = JSON.parse(readFileSync(ref, "utf8")).cells;
  const spec = resolveSweep(RAW);
  for (const format of ["json", "csv"]) {
    const out = join(dir, `out.${format}`);
    const w = checkpointWriter(checkpointPath(out), { version: VERSION, shard: null, config: spec.config as unknown as Record<string, unknown> });
    w.append(1, cells[1]);
    w.close();
    const again = await runCliInProcess([...ARGS, "--out", out, "--format", format]);
    assert.equal(again.code, 0, again.stderr);
    const plain = await runCliInProcess([...ARGS, "--format", format]);
    assert.equal(readFileSync(out, "utf8"), plain.stdout);
    assert.ok(!existsSync(checkpointPath(out)));
  }
  assert.equal(readFileSync(ref, "utf8"), (await runCliInProcess([...ARGS])).stdout);
  rmSync(dir, { recursive: true, force: true });
});

test("the done-when command prints p with its interval and the work; CSV has the AMS columns", async () => {
  const cmd = ["sweep", "--estimator", "ams", "--lr", "0.04", "--gamma", "1", "--beta", "0", "--batch", "8", "--steps", "200", "--collapse", "ratio:2", "--seed", "1", "--workers", "1", "--quiet"];
  const json = await runCliInProcess([...cmd, "--format", "json"]);
  assert.equal(json.code, 0, json.stderr);
  const cell = JSON.parse(json.stdout).cells[0];
  assert.equal(cell.ams.replicas, 100);
  assert.equal(cell.ams.kill, 10);
  assert.equal(cell.ams.score, "time");
  assert.equal(cell.ams.runs, 16);
  assert.ok(cell.p > 0 && cell.p < 1e-6, `p = ${cell.p}`);
  assert.ok(cell.ci95[0] <= cell.p && cell.p < cell.ci95[1]);
  assert.ok(cell.ams.work.sampleSteps === 8 * cell.ams.work.steps && cell.ams.work.steps > 0);
  const csv = await runCliInProcess([...cmd, "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  const [header, row] = csv.stdout.trim().split("\n");
  const cols = header.split(","), vals = row.split(",");
  assert.equal(Number(vals[cols.indexOf("p")]), cell.p);
  assert.equal(Number(vals[cols.indexOf("ams_work_sample_steps")]), cell.ams.work.sampleSteps);
});

test("bad estimator input names the flag and exits 2", async () => {
  for (const [args, why] of [
    [["--estimator", "ams:1"], /--estimator: REPLICAS/],
    [["--estimator", "ams:10:10"], /--estimator: KILL/],
    [["--estimator", "splitting"], /--estimator: unknown estimator/],
    [["--ams-runs", "0"], /--ams-runs/],
    [["--estimator", "ams", "--run-to-horizon"], /--run-to-horizon: AMS stops/],
  ] as const) {
    const r = await runCliInProcess(["sweep", "--steps", "10", "--quiet", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, why);
  }
});

test("AMS shards from the command line merge into the single-machine bytes; fit refuses an AMS result", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-ams-shards-"));
  const whole = await runCliInProcess(ARGS);
  assert.equal(whole.code, 0, whole.stderr);
  const parts = ["1/2", "2/2"].map((s, i) => join(dir, `part-${i}.json`));
  for (const [i, s] of ["1/2", "2/2"].entries()) assert.equal((await runCliInProcess([...ARGS, "--shard", s, "--out", parts[i]])).code, 0);
  const merged = join(dir, "merged.json");
  const m = await runCliInProcess(["merge", ...parts, "--out", merged]);
  assert.equal(m.code, 0, m.stderr);
  assert.equal(readFileSync(merged, "utf8"), whole.stdout);
  const fit = await runCliInProcess(["fit", merged]);
  assert.equal(fit.code, 2);
  assert.match(fit.stderr, /holds AMS estimates/);
  rmSync(dir, { recursive: true, force: true });
});
