/**
 * `bn-collapse plan`: the Slurm submit script, run here against stand-in sbatch and squeue (the real
 * Slurm run is test/slurm/e2e.test.ts), the job scripts it writes, run by hand as Slurm would run
 * them, the Kubernetes manifest read back by a YAML parser, and docs/cluster.md's copies of both.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { planText } from "../src/cli/plan-command.ts";
import { parseSweepInvocation } from "../src/cli/sweep-command.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { toYaml, type Yaml } from "../src/cluster/yaml.ts";
import { DOC, planBlocks } from "../scripts/cluster-doc.ts";
import { runCliInProcess } from "./run-cli.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "bn-collapse.mjs");
const launcher = `${process.execPath} ${bin}`;
const TINY = ["--lr", "0.1,0.2", "--gamma", "1,2", "--steps", "30", "--trials", "30", "--seed", "4"];

const plan = (args: string[]) => {
  const p = planText(args);
  assert.notEqual(p, "help");
  return (p as { text: string }).text;
};

const hasPyYaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;
/** The YAML documents of a text, parsed by PyYAML (a YAML 1.1 reader, like kubectl's). */
const parseYaml = (text: string): unknown[] =>
  JSON.parse(execFileSync("python3", ["-c", "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))"], { input: text, encoding: "utf8" }));

test("the embedded config resolves to the same sweep, so the merged result is the single run's", () => {
  for (const args of [TINY, ["--lr", "0.05:0.4:5log", "--schedule", "0.5^floor(t/100)", "--optimizer", "momentum:0.9", "--steps", "300"],
    ["--norm", "psbn", "--phases", '[{"steps":100,"lr":0.05,"optimizer":"sgd","loss":"teacher:0.3:-0.6:0.5"}]', "--loss", "teacher:0.3:-0.6:0.5"]]) {
    const text = plan([...args, "--tasks", "3"]);
    const json = /<<'CONFIG'\n([\s\S]*?)\nCONFIG\n/.exec(text)![1];
    const given = parseSweepInvocation(args);
    assert.notEqual(given, "help");
    const fromFile = resolveSweep(JSON.parse(json));
    assert.deepEqual(fromFile.config, (given as { spec: typeof fromFile }).spec.config);
    assert.deepEqual(fromFile.template, (given as { spec: typeof fromFile }).spec.template);
  }
});

test("the Slurm script writes the run's folder and submits the array, then the merge afterok", () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-plan-"));
  const fake = join(dir, "fake");
  mkdirSync(fake);
  writeFileSync(join(fake, "sbatch"), '#!/bin/bash\necho "$@" >> "$FAKE/calls"\nn=$(wc -l < "$FAKE/calls")\necho "$((100 + n));cluster"\n');
  writeFileSync(join(fake, "squeue"), '#!/bin/bash\necho "$@" >> "$FAKE/squeue-args"\ncat "$FAKE/queue" 2>/dev/null || true\n');
  chmodSync(join(fake, "sbatch"), 0o755);
  chmodSync(join(fake, "squeue"), 0o755);
  const work = join(dir, "work");
  mkdirSync(work);
  const script = join(dir, "submit.sh");
  writeFileSync(script, plan([...TINY, "--tasks", "3", "--cpus-per-task", "2", "--name", "tiny", "--launcher", launcher, "--time", "1:00:00"]));
  const env = { ...process.env, PATH: `${fake}:${process.env.PATH}`, FAKE: fake };
  const submit = (...args: string[]) => spawnSync("bash", [script, ...args], { cwd: work, env, encoding: "utf8" });

  const first = submit();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /submitted: tasks 1-3 of tiny as job array 101; the merge as job 102, after all of them/);
  assert.deepEqual(readFileSync(join(fake, "calls"), "utf8").trim().split("\n"), [
    "--parsable --array=1-3 tiny/shards.sbatch",
    "--parsable --dependency=afterok:101 --kill-on-invalid-dep=yes tiny/merge.sbatch",
  ]);
  assert.match(readFileSync(join(fake, "squeue-args"), "utf8"), /--user=\S+ --noheader --name=tiny,tiny-merge/);
  const shards = readFileSync(join(work, "tiny", "shards.sbatch"), "utf8");
  for (const line of ["#SBATCH --array=1-3", "#SBATCH --cpus-per-task=2", "#SBATCH --time=1:00:00", "#SBATCH --output=tiny/logs/shard-%a.log", "#SBATCH --open-mode=append"]) {
    assert.ok(shards.split("\n").includes(line), `shards.sbatch lacks ${line}`);
  }
  assert.match(shards, /sweep --config tiny\/config\.json --workers 2 --shard "\$i\/3" --out "\$part"/);
  assert.ok(existsSync(join(work, "tiny", "logs")) && existsSync(join(work, "tiny", "parts")));

  // only some tasks; and the same config again is fine
  assert.equal(submit("2,3").status, 0);
  assert.match(readFileSync(join(fake, "calls"), "utf8"), /--parsable --array=2,3 tiny\/shards\.sbatch\n--parsable --dependency=afterok:103 /);
  // refused: a bad task list, jobs of the run still queued, another sweep in the folder
  assert.equal(submit("2;rm").status, 2);
  writeFileSync(join(fake, "queue"), "104_2\n105\n");
  const busy = submit();
  assert.equal(busy.status, 2);
  assert.match(busy.stderr, /jobs of tiny are still queued or running \(104_2 105\)/);
  rmSync(join(fake, "queue"));
  writeFileSync(join(work, "tiny", "config.json"), "{}\n");
  const other = submit();
  assert.equal(other.status, 2);
  assert.match(other.stderr, /tiny\/config\.json holds another sweep/);
  assert.equal(readFileSync(join(work, "tiny", "config.json"), "utf8"), "{}\n", "the other sweep's config was overwritten");
  rmSync(dir, { recursive: true, force: true });
});

test("the job scripts, run as Slurm runs them, write the parts and merge them into the single run's bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-plan-run-"));
  const script = join(dir, "submit.sh");
  writeFileSync(script, plan([...TINY, "--tasks", "3", "--name", "tiny", "--launcher", launcher]));
  const fake = join(dir, "fake");
  mkdirSync(fake);
  for (const [cmd, prints] of [["sbatch", "echo 1"], ["squeue", "true"]]) {
    writeFileSync(join(fake, cmd), `#!/bin/bash\n${prints}\n`);
    chmodSync(join(fake, cmd), 0o755);
  }
  const env = { ...process.env, PATH: `${fake}:${process.env.PATH}` };
  assert.equal(spawnSync("bash", [script], { cwd: dir, env }).status, 0);
  const task = (i: number) => spawnSync("bash", ["tiny/shards.sbatch"], { cwd: dir, env: { ...env, SLURM_ARRAY_TASK_ID: String(i), SLURM_JOB_ID: String(50 + i) }, encoding: "utf8" });
  for (const i of [1, 2, 3]) assert.equal(task(i).status, 0);
  const again = task(2);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /shard 2\/3: tiny\/parts\/part-2\.json is already written; nothing to do/);
  const noArray = spawnSync("bash", ["tiny/shards.sbatch"], { cwd: dir, env, encoding: "utf8" });
  assert.notEqual(noArray.status, 0);
  assert.match(noArray.stderr, /submit this with sbatch: it is a job array/);
  const merged = spawnSync("bash", ["tiny/merge.sbatch"], { cwd: dir, env, encoding: "utf8" });
  assert.equal(merged.status, 0, merged.stderr);
  const single = execFileSync(process.execPath, [bin, "sweep", ...TINY, "--workers", "1", "--quiet"], { encoding: "utf8" });
  assert.equal(readFileSync(join(dir, "tiny", "sweep.json"), "utf8"), single);
  rmSync(dir, { recursive: true, force: true });
});

test("the Kubernetes manifest: a ConfigMap, an Indexed Job of N pods on --shard auto --shards N, a waiting merge", { skip: hasPyYaml ? false : "python3 with PyYAML is not installed (apt-get install python3-yaml)" }, () => {
  const text = plan([...TINY, "--tasks", "3", "--cpus-per-task", "2", "--scheduler", "kubernetes", "--name", "tiny", "--image", "registry.example/bnc:1"]);
  const docs = parseYaml(text) as Record<string, any>[];
  assert.deepEqual(docs.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`), ["v1 ConfigMap tiny-config", "batch/v1 Job tiny-shards", "batch/v1 Job tiny-merge"]);
  const config = JSON.parse(docs[0].data["config.json"]);
  assert.deepEqual(config, JSON.parse(/<<'CONFIG'\n([\s\S]*?)\nCONFIG\n/.exec(plan([...TINY, "--tasks", "3"]))![1]));
  const job = docs[1].spec;
  assert.equal(job.completionMode, "Indexed");
  assert.equal(job.completions, 3);
  assert.equal(job.parallelism, 3);
  assert.equal(job.template.spec.restartPolicy, "Never"); // required by backoffLimitPerIndex and podFailurePolicy
  const pod = job.template.spec.containers[0];
  assert.equal(pod.image, "registry.example/bnc:1");
  assert.deepEqual(pod.resources.requests.cpu, "2");
  assert.deepEqual(pod.command.slice(0, 2), ["sh", "-c"]);
  assert.match(pod.command[2], /--shard auto --shards 3 --workers 2 --out "\$part"/);
  assert.match(pod.command[2], /i=\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/);
  assert.equal(job.podFailurePolicy.rules[0].onExitCodes.containerName, pod.name);
  const merge = docs[2].spec.template.spec.containers[0];
  assert.match(merge.command[2], /seq 1 3/);
  assert.match(merge.command[2], /merge \$parts --out \/data\/tiny\/sweep\.json/);

  // the pod's script, run with a local /data and /config, picks shard i from JOB_COMPLETION_INDEX
  const dir = mkdtempSync(join(tmpdir(), "bnc-k8s-"));
  writeFileSync(join(dir, "config.json"), docs[0].data["config.json"]);
  const local = (s: string) => s.replaceAll("/data/", `${dir}/data/`).replaceAll("/config/", `${dir}/`).replaceAll("node /app/bin/bn-collapse.mjs", launcher);
  for (const index of [0, 1, 2]) {
    const r = spawnSync("sh", ["-c", local(pod.command[2])], { env: { ...process.env, JOB_COMPLETION_INDEX: String(index) }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`shard ${index + 1}/3 from Kubernetes JOB_COMPLETION_INDEX=${index} of 3`));
  }
  const m = spawnSync("sh", ["-c", local(merge.command[2])], { encoding: "utf8", timeout: 60_000 });
  assert.equal(m.status, 0, m.stderr);
  const single = execFileSync(process.execPath, [bin, "sweep", ...TINY, "--workers", "1", "--quiet"], { encoding: "utf8" });
  assert.equal(readFileSync(join(dir, "data", "tiny", "sweep.json"), "utf8"), single);
  rmSync(dir, { recursive: true, force: true });
});

test("the YAML writer's strings read back as the same strings", { skip: hasPyYaml ? false : "python3 with PyYAML is not installed (apt-get install python3-yaml)" }, () => {
  const tricky = ["yes", "No", "on", "null", "~", "true", "1e3", "0x10", "010", ".5", "1:20", "-c", "- x", "a: b", "a #b", "#x", "{x}", "[1]",
    "*a", "&a", "!t", "%p", "@x", "`x`", "'q'", '"q"', "", " lead", "trail ", "tab\there", "ü", "$(A)", "$((A + 1))", "1Gi", "250m", "bn-collapse:0.1.0", "/data/x"];
  const value: Yaml = { plain: tricky, nested: [{ k: "v", list: [1, 2.5, -3, true, null] }, "one\ntwo\n", "no final newline\nsecond"], "key: odd": "x", empty: [], none: {} };
  const [back] = parseYaml(toYaml(value));
  assert.deepEqual(back, value);
});

test("plan refuses what it cannot plan, naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [[...TINY], /--tasks: is required/],
    [[...TINY, "--tasks", "0"], /--tasks: must be an integer in 1\.\./],
    [[...TINY, "--tasks", "4", "--workers", "2"], /--workers: is set by the plan/],
    [[...TINY, "--tasks", "4", "--shard", "1/4"], /--shard: is set by the plan/],
    [[...TINY, "--tasks", "4", "--scheduler", "pbs"], /--scheduler: must be slurm or kubernetes/],
    [[...TINY, "--tasks", "4", "--name", "Big_Name"], /--name: must be 1 to 40 of a-z/],
    [[...TINY, "--tasks", "4", "--image", "x"], /--image: is for --scheduler kubernetes/],
    [[...TINY, "--tasks", "4", "--scheduler", "kubernetes", "--time", "10"], /--time: is for --scheduler slurm/],
    [[...TINY, "--tasks", "4", "--time", "soon"], /--time: must be a Slurm time/],
    [[...TINY, "--tasks", "4", "--launcher", "node 'x'"], /--launcher: must be a command on one line/],
    [["--lr", "-1", "--tasks", "4"], /--lr: /],
  ];
  for (const [args, message] of cases) {
    const r = await runCliInProcess(["plan", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
  const help = await runCliInProcess(["plan", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--cpus-per-task C/);
});

test("docs/cluster.md shows exactly what plan prints for its 64-cell grid on 16 tasks", () => {
  const blocks = planBlocks(readFileSync(DOC, "utf8"));
  assert.ok(blocks.length >= 2, "docs/cluster.md has no plan blocks");
  assert.ok(blocks.some((b) => b.args.includes("kubernetes")) && blocks.some((b) => !b.args.includes("kubernetes")), "a Slurm and a Kubernetes plan");
  for (const b of blocks) {
    assert.ok(b.made.includes("64 cells in 16 shards of 4 cells"), b.args.join(" "));
    assert.equal(b.shown, b.made, `docs/cluster.md's plan for "${b.args.join(" ")}" is stale: run npx tsx scripts/cluster-doc.ts`);
  }
});
