/**
 * The worker pool (src/ensemble/pool.ts) outlives runs: later runs reuse its threads, concurrent runs
 * each hold their own, a failed run leaves it usable, and idle threads never keep a process alive.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolveSweep } from "../src/ensemble/problem.ts";
import type { RawSweepConfig } from "../src/config/fields.ts";
import type { BlockTask } from "../src/ensemble/block.ts";
import { closeWorkerPool, defaultWorkerCount, runBlocks, workerPoolSize } from "../src/ensemble/pool.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { stringifyResults } from "../src/solution/json.ts";

const base: RawSweepConfig = { lr: [0.2, 0.4], gamma: [1], batch: [8], steps: 100, trials: 300, seed: 11, collapse: "dead" };

test("pool: later runs reuse its workers, and give the one-worker bytes", async () => {
  await closeWorkerPool();
  const spec = resolveSweep(base);
  const one = stringifyResults(await runSweep(spec, { workers: 1 }));
  for (let k = 0; k < 3; k++) {
    assert.equal(stringifyResults(await runSweep(spec, { workers: 2 })), one);
    assert.equal(workerPoolSize(), Math.min(2, defaultWorkerCount())); // one idle thread per core is kept
  }
});

test("pool: two concurrent runs each get their own workers and their own results", async () => {
  const a = resolveSweep(base), b = resolveSweep({ ...base, seed: 12, batch: [16] });
  const [ra, rb] = await Promise.all([runSweep(a, { workers: 2 }), runSweep(b, { workers: 2 })]);
  assert.equal(stringifyResults(ra), stringifyResults(await runSweep(a, { workers: 1 })));
  assert.equal(stringifyResults(rb), stringifyResults(await runSweep(b, { workers: 1 })));
  assert.ok(workerPoolSize() <= Math.max(4, defaultWorkerCount()));
});

test("pool: a run on more workers than cores leaves at most one idle worker per core", async () => {
  const spec = resolveSweep(base);
  const one = stringifyResults(await runSweep(spec, { workers: 1 }));
  assert.equal(stringifyResults(await runSweep(spec, { workers: defaultWorkerCount() + 2 })), one);
  assert.ok(workerPoolSize() <= defaultWorkerCount(), `pool ${workerPoolSize()}`);
});

test("pool: a task that fails in a worker rejects its run, and the pool still works", async () => {
  const spec = resolveSweep(base);
  const good: BlockTask = { cell: 0, problem: spec.template, seed: 1, streamKey: "k", first: 0, count: 5, stopAtCollapse: true };
  const bad: BlockTask = { ...good, problem: { ...spec.template, optimizer: { ...spec.template.optimizer, lr: Infinity } } };
  await assert.rejects(runBlocks([good, bad, good, good], 2, () => {}), /learning rate/);
  let results = 0;
  await assert.rejects(
    runBlocks([good, good, good], 2, () => {
      if (++results === 2) throw new Error("a reader failed");
    }),
    /a reader failed/,
  );
  let after = 0;
  await runBlocks([good, good, good], 2, () => after++);
  assert.equal(after, 3);
});

test("pool: idle workers do not keep the process alive", () => {
  const script = fileURLToPath(new URL("./pool-exit.fixture.ts", import.meta.url));
  const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
  const args = isDeno ? ["run", "-A", script] : ["--import", "tsx", script];
  const started = Date.now();
  const child = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 60_000 });
  assert.equal(child.status, 0, `exit ${child.status} signal ${child.signal}: ${child.stderr}`);
  assert.match(child.stdout, /pool 2/);
  assert.ok(Date.now() - started < 60_000);
});
