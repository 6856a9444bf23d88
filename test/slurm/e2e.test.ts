/**
 * End to end on a real Slurm (Debian's slurm-wlm and munge, one node, started by test/slurm/cluster.sh):
 * the script of `bn-collapse plan` is submitted as it is printed, and the merged file must be the
 * single-machine run's bytes; then one array task is cancelled mid-run, resubmitted, and must resume
 * from its checkpoint, again giving the same bytes; then `--shard auto` under offset, stepped and
 * gapped arrays. The cluster is stopped whatever happens. Skipped, saying why, only where Slurm is
 * not installed or the test is not root. Run it with `npm run test:slurm` (.ci/run does).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const clusterScript = join(root, "test", "slurm", "cluster.sh");
const launcher = `${process.execPath} ${join(root, "bin", "bn-collapse.mjs")}`;

// 16 cells of 2000 trajectories x 1000 steps at small lr (no collapse, so every cell costs the same):
// about 0.6 s a cell on an idle 2-core machine (several times more under load), so a shard of 4 cells
// is still running seconds after its first cell is checkpointed, which is when the fault case cancels
// it (scancel takes a fraction of a second).
const GRID = ["--lr", "0.01,0.02,0.03,0.04", "--gamma", "1,2", "--batch", "16,32", "--steps", "1000", "--trials", "2000", "--seed", "7"];
const TASKS = 4;
const CELLS_PER_TASK = 4;
// a tiny grid for the numbering checks: 6 cells, start-up dominates
const TINY = ["--lr", "0.1,0.2,0.3", "--gamma", "1,2", "--steps", "30", "--trials", "30", "--seed", "3"];

const WAIT_LIMIT_S = 240;

function whySkip(): string | null {
  if (process.platform !== "linux") return `Slurm's daemons need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "the single-node cluster runs munged, slurmctld and slurmd as root; this test is not root";
  for (const bin of ["munged", "munge", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"]) {
    if (spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0) return `${bin} is not installed (apt-get install slurm-wlm munge; .ci/run does this)`;
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cellLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((l) => l.startsWith("{\"index\"")).length : 0);

interface Cluster {
  dir: string;
  env: NodeJS.ProcessEnv;
}

function startCluster(dir: string): Cluster {
  const r = spawnSync("bash", [clusterScript, "start", dir], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cluster did not start (exit ${r.status}): ${r.stderr}\n${logTails(dir)}`);
  const conf = /^SLURM_CONF=(.*)$/m.exec(r.stdout)?.[1];
  assert.ok(conf, r.stdout);
  process.stdout.write(`${r.stderr.trim()}\n`);
  return { dir, env: { ...process.env, SLURM_CONF: conf } };
}

function stopCluster(dir: string): string {
  const r = spawnSync("bash", [clusterScript, "stop", dir], { encoding: "utf8", timeout: 120_000 });
  return `${r.stderr ?? ""}${r.status === 0 ? "" : `cluster.sh stop exited ${r.status}\n`}`;
}

/** Processes still carrying the cluster's SLURM_CONF (the daemons, slurmstepd, jobs). */
function leftovers(conf: string): number[] {
  const found: number[] = [];
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    if (Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, "latin1").split("\0").includes(`SLURM_CONF=${conf}`)) found.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function logTails(dir: string): string {
  const logs = join(dir, "log");
  if (!existsSync(logs)) return "";
  return readdirSync(logs).map((f) => `--- ${f}\n${readFileSync(join(logs, f), "utf8").split("\n").slice(-15).join("\n")}`).join("\n");
}

test("a planned Slurm job array, and one of its tasks cancelled and resubmitted, merge to the single-machine bytes", { timeout: 540_000 }, async (t) => {
  const reason = whySkip();
  if (reason) {
    process.stdout.write(`slurm end-to-end test skipped: ${reason}\n`);
    t.skip(reason);
    return;
  }
  const t0 = performance.now();
  const dir = mkdtempSync("/tmp/bnc-slurm-");
  const clusterDir = join(dir, "cluster");
  const work = join(dir, "work");
  mkdirSync(work);
  const onSignal = () => {
    stopCluster(clusterDir);
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let cluster: Cluster | null = null;
  try {
    cluster = startCluster(clusterDir);
    const env = cluster.env;
    const run = (cmd: string, args: string[], seconds = 60) => execFileSync(cmd, args, { cwd: work, env, encoding: "utf8", timeout: seconds * 1000 });
    const queued = (ids: string[]) => run("squeue", ["--noheader", `--jobs=${ids.join(",")}`, "--format=%i %T"]).trim();
    /** JobState of every job (and array task) of a job id, as "TASK=STATE" (TASK "-" for a plain job). */
    const states = (id: string) =>
      run("scontrol", ["--oneliner", "show", "job", id]).trim().split("\n")
        .map((l) => `${/ArrayTaskId=(\S+)/.exec(l)?.[1] ?? "-"}=${/JobState=(\S+)/.exec(l)?.[1]}`).sort();
    async function waitGone(ids: string[], what: string): Promise<void> {
      const start = performance.now();
      while (queued(ids) !== "") {
        if (performance.now() - start > WAIT_LIMIT_S * 1000) throw new Error(`${what} still queued after ${WAIT_LIMIT_S} s:\n${queued(ids)}\n${logTails(clusterDir)}`);
        await sleep(500);
      }
    }
    const submit = (name: string, args: string[] = []) => {
      const script = join(work, `${name}.sh`);
      writeFileSync(script, run(process.execPath, [join(root, "bin", "bn-collapse.mjs"), "plan", ...GRID, "--tasks", String(TASKS), "--cpus-per-task", "1", "--name", name, "--launcher", launcher]));
      const out = run("bash", [script, ...args]);
      const m = /as job array (\d+); the merge as job (\d+)/.exec(out);
      assert.ok(m, out);
      return { array: m[1], merge: m[2] };
    };

    // the reference: one machine, two workers
    let t1 = performance.now();
    run(process.execPath, [join(root, "bin", "bn-collapse.mjs"), "sweep", ...GRID, "--workers", "2", "--out", join(work, "single.json"), "--quiet"], WAIT_LIMIT_S);
    const single = readFileSync(join(work, "single.json"), "utf8");
    t.diagnostic(`single-machine run: ${((performance.now() - t1) / 1000).toFixed(1)} s`);

    await t.test("the planned array and its merge job give the single-machine bytes", async () => {
      t1 = performance.now();
      const jobs = submit("clean");
      await waitGone([jobs.array, jobs.merge], "the clean run");
      assert.deepEqual(states(jobs.array), ["1=COMPLETED", "2=COMPLETED", "3=COMPLETED", "4=COMPLETED"]);
      assert.deepEqual(states(jobs.merge), ["-=COMPLETED"]);
      assert.equal(readFileSync(join(work, "clean", "sweep.json"), "utf8"), single);
      t.diagnostic(`clean run on Slurm (${TASKS} tasks, then the merge): ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    });

    await t.test("a task cancelled mid-run and resubmitted resumes from its checkpoint; the bytes stay the same", async () => {
      t1 = performance.now();
      const jobs = submit("fault");
      const checkpoint = join(work, "fault", "parts", "part-2.json.checkpoint.jsonl");
      const start = performance.now();
      while (cellLines(checkpoint) < 1) {
        if (performance.now() - start > WAIT_LIMIT_S * 1000) throw new Error(`task 2 checkpointed no cell in ${WAIT_LIMIT_S} s:\n${queued([jobs.array])}`);
        await sleep(100);
      }
      run("scancel", [`${jobs.array}_2`]);
      await waitGone([`${jobs.array}_2`], "the cancelled task");
      const k = cellLines(checkpoint);
      assert.ok(k >= 1 && k < CELLS_PER_TASK, `${k} of ${CELLS_PER_TASK} cells were checkpointed when the task was cancelled`);
      assert.ok(!existsSync(join(work, "fault", "parts", "part-2.json")), "a cancelled task wrote its part");
      await waitGone([jobs.array, jobs.merge], "the rest of the faulty run");
      assert.deepEqual(states(jobs.array), ["1=COMPLETED", "2=CANCELLED", "3=COMPLETED", "4=COMPLETED"]);
      // --kill-on-invalid-dep: the merge's afterok can never be met, so Slurm cancels it
      assert.deepEqual(states(jobs.merge), ["-=CANCELLED"]);
      assert.ok(!existsSync(join(work, "fault", "sweep.json")));
      assert.equal(cellLines(checkpoint), k, "the checkpoint changed after the task was cancelled");
      t.diagnostic(`fault case: task 2 cancelled with ${k} of ${CELLS_PER_TASK} cells checkpointed`);

      const again = submit("fault", ["2"]);
      await waitGone([again.array, again.merge], "the resubmitted task");
      assert.deepEqual(states(again.array), ["2=COMPLETED"]);
      assert.deepEqual(states(again.merge), ["-=COMPLETED"]);
      const log = readFileSync(join(work, "fault", "logs", "shard-2.log"), "utf8");
      const resumed = `sweep: resuming from fault/parts/part-2.json.checkpoint.jsonl: ${k} of ${CELLS_PER_TASK} cells done`;
      assert.ok(log.includes(resumed), `shard-2.log lacks "${resumed}":\n${log}`);
      t.diagnostic(`resubmitted task 2 logged: ${resumed}`);
      assert.ok(!existsSync(checkpoint), "the checkpoint is removed once the part is written");
      assert.equal(readFileSync(join(work, "fault", "sweep.json"), "utf8"), single);
      t.diagnostic(`fault case, cancel to merged result: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    });

    await t.test("--shard auto numbers offset and stepped arrays as shards 1..n, and refuses an array with gaps", async () => {
      const tiny = run(process.execPath, [join(root, "bin", "bn-collapse.mjs"), "sweep", ...TINY, "--workers", "1", "--quiet"]);
      const arrays = { offset: "5-8", stepped: "0-6:2", gaps: "1,3,7" };
      const ids: Record<string, string> = {};
      for (const [name, spec] of Object.entries(arrays)) {
        mkdirSync(join(work, "auto", name), { recursive: true });
        const wrap = `exec ${launcher} sweep ${TINY.join(" ")} --workers 1 --shard auto --out auto/${name}/part-$SLURM_ARRAY_TASK_ID.json`;
        ids[name] = run("sbatch", ["--parsable", `--array=${spec}`, "--cpus-per-task=1", `--output=auto/${name}/task-%a.log`, `--wrap=${wrap}`]).trim().split(";")[0];
      }
      await waitGone(Object.values(ids), "the --shard auto arrays");
      assert.deepEqual(states(ids.offset), ["5=COMPLETED", "6=COMPLETED", "7=COMPLETED", "8=COMPLETED"]);
      assert.deepEqual(states(ids.stepped), ["0=COMPLETED", "2=COMPLETED", "4=COMPLETED", "6=COMPLETED"]);
      assert.deepEqual(states(ids.gaps), ["1=FAILED", "3=FAILED", "7=FAILED"]);
      const offsetLog = readFileSync(join(work, "auto", "offset", "task-7.log"), "utf8");
      assert.match(offsetLog, /sweep: shard 3\/4 from Slurm array task SLURM_ARRAY_TASK_ID=7 of 5\.\.8/);
      const steppedLog = readFileSync(join(work, "auto", "stepped", "task-4.log"), "utf8");
      assert.match(steppedLog, /sweep: shard 3\/4 from Slurm array task SLURM_ARRAY_TASK_ID=4 of 0\.\.6 step 2/);
      const gapsLog = readFileSync(join(work, "auto", "gaps", "task-3.log"), "utf8");
      assert.match(gapsLog, /--shard auto: the array has gaps: SLURM_ARRAY_TASK_MIN=1\.\.SLURM_ARRAY_TASK_MAX=7 .* SLURM_ARRAY_TASK_COUNT=3/);
      for (const name of ["offset", "stepped"]) {
        const parts = readdirSync(join(work, "auto", name)).filter((f) => f.endsWith(".json")).map((f) => join(work, "auto", name, f));
        assert.equal(parts.length, 4);
        const merged = run(process.execPath, [join(root, "bin", "bn-collapse.mjs"), "merge", ...parts]);
        assert.equal(merged, tiny, `${name}: merged shards differ from the single-machine run`);
      }
    });
  } finally {
    const stopped = stopCluster(clusterDir);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (cluster) {
      const left = leftovers(cluster.env.SLURM_CONF!);
      assert.deepEqual(left, [], `processes of the cluster still running after it was stopped: ${left.join(" ")}\n${stopped}`);
    }
    rmSync(dir, { recursive: true, force: true });
    t.diagnostic(`slurm end-to-end wall time, cluster start to stop: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
});
