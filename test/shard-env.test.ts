/**
 * `--shard auto`: i/n from the environment of a Slurm array task, a Kubernetes Indexed Job pod or an
 * AWS Batch array child. The Slurm environments below are the ones Slurm 22.05 set for the arrays named
 * (recorded on the single-node cluster of test/slurm), not guesses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { awsBatchShard, kubernetesShard, shardFromEnvironment, slurmShard, type Environment } from "../src/cluster/shard-env.ts";
import { chooseShard } from "../src/cluster/shard-option.ts";
import { ConfigError } from "../src/model/errors.ts";
import { runCliInProcess } from "./run-cli.ts";

const slurm = (id: number, min: number, max: number, step: number, count: number): Environment => ({
  SLURM_JOB_ID: String(100 + id),
  SLURM_ARRAY_JOB_ID: "100",
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_STEP: String(step),
  SLURM_ARRAY_TASK_COUNT: String(count),
});

const shardOf = (env: Environment, declared: number | null = null) => {
  const s = shardFromEnvironment(env, declared === null ? null : { count: declared, from: "--shards" }).shard;
  return `${s.index}/${s.count}`;
};

/** Asserts a refusal: a ConfigError for --shard auto (or `field`) whose message contains every part. */
function refused(run: () => unknown, parts: string[], field = "--shard auto"): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.field, field);
    for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" lacks "${p}"`);
    return true;
  });
}

test("Slurm: 1-based, 0-based and offset arrays all number their tasks as shards 1..n", () => {
  assert.equal(shardOf(slurm(1, 1, 16, 1, 16)), "1/16"); // --array=1-16
  assert.equal(shardOf(slurm(16, 1, 16, 1, 16)), "16/16");
  assert.equal(shardOf(slurm(0, 0, 15, 1, 16)), "1/16"); // --array=0-15
  assert.equal(shardOf(slurm(15, 0, 15, 1, 16)), "16/16");
  assert.equal(shardOf(slurm(5, 5, 20, 1, 16)), "1/16"); // --array=5-20
  assert.equal(shardOf(slurm(12, 5, 20, 1, 16)), "8/16");
  assert.equal(shardOf(slurm(20, 5, 20, 1, 16), 16), "16/16"); // and --shards agrees
  // --array=1-4%2 (at most 2 at once) sets the same variables as 1-4
  assert.equal(shardOf(slurm(2, 1, 4, 1, 4)), "2/4");
  assert.match(shardFromEnvironment(slurm(12, 5, 20, 1, 16)).source, /SLURM_ARRAY_TASK_ID=12 of 5\.\.20/);
});

test("Slurm: a stepped range is the progression MIN, MIN+STEP, ..., MAX; every task is one shard", () => {
  // --array=1-31:2 set MIN=1 MAX=31 STEP=2 COUNT=16; --array=1-30:4 set MAX=29 (the last task) COUNT=8
  assert.equal(shardOf(slurm(1, 1, 31, 2, 16)), "1/16");
  assert.equal(shardOf(slurm(3, 1, 31, 2, 16)), "2/16");
  assert.equal(shardOf(slurm(31, 1, 31, 2, 16)), "16/16");
  assert.equal(shardOf(slurm(29, 1, 29, 4, 8)), "8/8");
  for (const [min, step, n] of [[0, 1, 7], [1, 1, 16], [5, 3, 9], [2, 10, 1]]) {
    const max = min + step * (n - 1);
    const seen: number[] = [];
    for (let id = min; id <= max; id += step) {
      const s = slurmShard(slurm(id, min, max, step, n), null)!.shard;
      assert.equal(s.count, n);
      seen.push(s.index);
    }
    assert.deepEqual(seen, Array.from({ length: n }, (_, k) => k + 1), `array ${min}-${max}:${step}`);
  }
  refused(() => shardOf(slurm(4, 1, 31, 2, 16)), ["SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_STEP=2"]);
});

test("Slurm: an array with gaps, a task outside its range, or missing variables are refused by name", () => {
  // --array=1,3,7 set MIN=1 MAX=7 STEP=1 COUNT=3; --array=1-3,10-12: MIN=1 MAX=12 COUNT=6
  refused(() => shardOf(slurm(3, 1, 7, 1, 3)), ["gaps", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=7", "SLURM_ARRAY_TASK_COUNT=3", "--shard i/n"]);
  refused(() => shardOf(slurm(10, 1, 12, 1, 6)), ["gaps", "SLURM_ARRAY_TASK_COUNT=6"]);
  refused(() => shardOf(slurm(21, 5, 20, 1, 16)), ["SLURM_ARRAY_TASK_ID=21", "outside"]);
  refused(() => shardOf({ SLURM_ARRAY_TASK_ID: "3" }), ["SLURM_ARRAY_TASK_MIN"]);
  refused(() => shardOf({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1" }), ["SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT"]);
  refused(() => shardOf({ ...slurm(3, 1, 7, 1, 7), SLURM_ARRAY_TASK_ID: "three" }), ['SLURM_ARRAY_TASK_ID="three"', "integer"]);
  refused(() => shardOf({ ...slurm(3, 1, 7, 1, 7), SLURM_ARRAY_TASK_STEP: "0" }), ["SLURM_ARRAY_TASK_STEP=0"]);
  // without MAX (an older Slurm), COUNT gives n
  assert.equal(shardOf({ SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_COUNT: "8" }), "5/8");
});

test("Slurm: one task resubmitted on its own (--array=7) is an array of 1; --shards N catches it", () => {
  // sbatch --array=7 set MIN=MAX=7 COUNT=1: on its own it is shard 1/1 of the whole grid
  assert.equal(shardOf(slurm(7, 7, 7, 1, 1)), "1/1");
  refused(() => shardOf(slurm(7, 7, 7, 1, 1), 16), ["--shards says 16", "has 1 task.", "scontrol requeue", "--shard i/n"]);
});

test("Kubernetes: JOB_COMPLETION_INDEX from 0, with the count declared", () => {
  assert.equal(shardOf({ JOB_COMPLETION_INDEX: "0" }, 16), "1/16");
  assert.equal(shardOf({ JOB_COMPLETION_INDEX: "15" }, 16), "16/16");
  refused(() => shardOf({ JOB_COMPLETION_INDEX: "16" }, 16), ["JOB_COMPLETION_INDEX=16", "below --shards 16"]);
  refused(() => shardOf({ JOB_COMPLETION_INDEX: "3" }), ["JOB_COMPLETION_INDEX=3", "--shards N", "spec.completions"]);
  assert.equal(kubernetesShard({}, { count: 4, from: "--shards" }), null);
  const fromConfig = shardFromEnvironment({ JOB_COMPLETION_INDEX: "2" }, { count: 4, from: 'grid.json: field "shards"' });
  assert.deepEqual(fromConfig.shard, { index: 3, count: 4 });
  assert.match(fromConfig.source, /field "shards"/);
});

test("AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX from 0 of AWS_BATCH_JOB_ARRAY_SIZE", () => {
  assert.equal(shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "0", AWS_BATCH_JOB_ARRAY_SIZE: "10" }), "1/10");
  assert.equal(shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "9", AWS_BATCH_JOB_ARRAY_SIZE: "10" }, 10), "10/10");
  assert.equal(shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "2" }, 4), "3/4"); // size declared instead
  refused(() => shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "2", AWS_BATCH_JOB_ARRAY_SIZE: "10" }, 16), ["AWS_BATCH_JOB_ARRAY_SIZE=10", "--shards says 16"]);
  refused(() => shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "2" }), ["AWS_BATCH_JOB_ARRAY_SIZE", "--shards N"]);
  refused(() => shardOf({ AWS_BATCH_JOB_ARRAY_INDEX: "10", AWS_BATCH_JOB_ARRAY_SIZE: "10" }), ["AWS_BATCH_JOB_ARRAY_INDEX=10", "below"]);
  assert.equal(awsBatchShard({ AWS_BATCH_JOB_ARRAY_SIZE: "10" }, null), null);
});

test("no scheduler, or two that disagree: refused naming the variables", () => {
  const none = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "--shard i/n"];
  refused(() => shardOf({}), none);
  refused(() => shardOf({ SLURM_ARRAY_TASK_ID: "" }), none); // empty is unset
  refused(() => shardOf({ SLURM_JOB_ID: "812" }), [...none, "Slurm job 812", "not a task of a job array"]);
  const both = { ...slurm(3, 1, 16, 1, 16), AWS_BATCH_JOB_ARRAY_INDEX: "2", AWS_BATCH_JOB_ARRAY_SIZE: "16" };
  assert.equal(shardOf(both), "3/16");
  assert.match(shardFromEnvironment(both).source, /agreeing with AWS Batch/);
  refused(() => shardOf({ ...both, AWS_BATCH_JOB_ARRAY_INDEX: "3" }), ["disagree", "SLURM_ARRAY_TASK_ID=3", "AWS_BATCH_JOB_ARRAY_INDEX=3", "3/16", "4/16"]);
});

test("--shards goes only with --shard auto, and must be a count", () => {
  refused(() => chooseShard("2/4", "4", null, {}), ["only goes with --shard auto"], "--shards");
  refused(() => chooseShard(undefined, "4", null, {}), ["only goes with --shard auto"], "--shards");
  refused(() => chooseShard("auto", "0", null, { JOB_COMPLETION_INDEX: "0" }), ["integer in 1.."], "--shards");
  refused(() => chooseShard("auto", "4x", null, { JOB_COMPLETION_INDEX: "0" }), ['"4x"'], "--shards");
  assert.deepEqual(chooseShard("2/4", undefined, null, slurm(1, 1, 16, 1, 16)).shard, { index: 2, count: 4 }); // explicit wins, env unread
  assert.deepEqual(chooseShard(undefined, undefined, null, slurm(1, 1, 16, 1, 16)), { shard: null, source: null });
  // the flag overrides the config's count
  assert.deepEqual(chooseShard("auto", "8", { count: 4, from: "c" }, { JOB_COMPLETION_INDEX: "5" }).shard, { index: 6, count: 8 });
});

const VARS = ["SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE"];

/** Runs the CLI with exactly these scheduler variables in process.env (others cleared, all restored). */
async function cliWithEnv(env: Environment, argv: string[]) {
  const saved = new Map(VARS.map((v) => [v, process.env[v]]));
  for (const v of VARS) delete process.env[v];
  Object.assign(process.env, env);
  try {
    return await runCliInProcess(argv);
  } finally {
    for (const [v, x] of saved) {
      if (x === undefined) delete process.env[v];
      else process.env[v] = x;
    }
  }
}

test("sweep --shard auto writes the same shard file as --shard i/n, and the config's shards field stays out of it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-shard-env-"));
  const grid = { lr: [0.1, 0.2, 0.3], gamma: [1, 2], steps: 50, trials: 40, seed: 3 };
  const cfg = join(dir, "grid.json");
  writeFileSync(cfg, JSON.stringify(grid));
  const cfgWithShards = join(dir, "grid-shards.json");
  writeFileSync(cfgWithShards, JSON.stringify({ ...grid, shards: 4 }));
  const base = ["sweep", "--workers", "1"];

  const explicit = await cliWithEnv({}, [...base, "--config", cfg, "--shard", "3/4", "--out", join(dir, "explicit.json"), "--quiet"]);
  assert.equal(explicit.code, 0, explicit.stderr);
  const want = readFileSync(join(dir, "explicit.json"), "utf8");
  assert.equal(JSON.parse(want).config.shards, undefined);

  const bySlurm = await cliWithEnv(slurm(7, 5, 8, 1, 4), [...base, "--config", cfg, "--shard", "auto", "--out", join(dir, "slurm.json")]);
  assert.equal(bySlurm.code, 0, bySlurm.stderr);
  assert.match(bySlurm.stderr, /sweep: shard 3\/4 from Slurm array task SLURM_ARRAY_TASK_ID=7 of 5\.\.8/);
  assert.equal(readFileSync(join(dir, "slurm.json"), "utf8"), want);

  const byK8s = await cliWithEnv({ JOB_COMPLETION_INDEX: "2" }, [...base, "--config", cfgWithShards, "--shard", "auto", "--out", join(dir, "k8s.json"), "--quiet"]);
  assert.equal(byK8s.code, 0, byK8s.stderr);
  assert.equal(readFileSync(join(dir, "k8s.json"), "utf8"), want);

  const byAws = await cliWithEnv({ AWS_BATCH_JOB_ARRAY_INDEX: "2", AWS_BATCH_JOB_ARRAY_SIZE: "4" }, [...base, "--config", cfg, "--shard", "auto", "--shards", "4", "--out", join(dir, "aws.json"), "--quiet"]);
  assert.equal(byAws.code, 0, byAws.stderr);
  assert.equal(readFileSync(join(dir, "aws.json"), "utf8"), want);

  // a config with "shards" run whole gives the same bytes as without it
  const whole = await cliWithEnv({}, [...base, "--config", cfg]);
  const wholeShards = await cliWithEnv({}, [...base, "--config", cfgWithShards]);
  assert.equal(wholeShards.code, 0, wholeShards.stderr);
  assert.equal(wholeShards.stdout, whole.stdout);

  // refusals: one line, exit 2, nothing written
  const none = await cliWithEnv({}, [...base, "--config", cfg, "--shard", "auto", "--out", join(dir, "none.json")]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^bn-collapse sweep: --shard auto: found none of the variables .*SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX.*AWS_BATCH_JOB_ARRAY_INDEX/);
  assert.equal(none.stderr.trim().split("\n").length, 1);
  const gaps = await cliWithEnv(slurm(3, 1, 7, 1, 3), [...base, "--config", cfg, "--shard", "auto"]);
  assert.equal(gaps.code, 2);
  assert.match(gaps.stderr, /the array has gaps/);
  const badField = join(dir, "bad.json");
  writeFileSync(badField, JSON.stringify({ ...grid, shards: "four" }));
  const bad = await cliWithEnv({ JOB_COMPLETION_INDEX: "0" }, [...base, "--config", badField, "--shard", "auto"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad\.json: field "shards": must be an integer/);
  rmSync(dir, { recursive: true, force: true });
});
