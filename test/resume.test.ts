/**
 * Checkpoint and resume: a sweep killed with SIGKILL and started again with the same command writes
 * the same bytes as an uninterrupted run; a checkpoint of another sweep, or a damaged one, is refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCliInProcess } from "./run-cli.ts";
import { checkpointPath, checkpointWriter } from "../src/solution/checkpoint.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { VERSION } from "../src/solution/result.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "bn-collapse.mjs");

const runCli = runCliInProcess;

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += String(d)));
    child.on("exit", (code, signal) => resolve({ code, signal, stderr }));
  });

const cellLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 2 : 0); // minus header and final ""

// 24 cells of ~0.05-0.1 s each: long enough to kill in the middle, short enough for CI
const SWEEP = ["sweep", "--lr", "0.1:0.4:6", "--gamma", "0.5,1", "--batch", "8,16", "--steps", "1000", "--trials", "300", "--seed", "5", "--workers", "1"];
const CELLS = 24;

test("a sweep killed with SIGKILL resumes from its checkpoint and writes the uninterrupted run's bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-resume-"));
  const ref = join(dir, "ref.json");
  const out = join(dir, "out.json");
  const cp = checkpointPath(out);

  const whole = await runCli([...SWEEP, "--out", ref, "--quiet"]);
  assert.equal(whole.code, 0, whole.stderr);
  assert.ok(!existsSync(checkpointPath(ref)), "checkpoint removed after the final file is written");

  const child = spawn(process.execPath, [bin, ...SWEEP, "--out", out], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const done = exited(child);
  let finished = false;
  done.then(() => (finished = true));
  while (!finished && cellLines(cp) < 4) await new Promise((r) => setTimeout(r, 20));
  child.kill("SIGKILL");
  const killed = await done;
  assert.equal(killed.signal, "SIGKILL", `the sweep ended before it could be killed: ${killed.stderr}`);
  assert.ok(!existsSync(out), "no final file from a killed run");
  const saved = cellLines(cp);
  assert.ok(saved >= 4 && saved < CELLS, `${saved} cells checkpointed at the kill`);
  copyFileSync(cp, join(dir, "saved.checkpoint"));

  // a kill in the middle of an append leaves a torn last line: it must be dropped, not trusted
  appendFileSync(cp, '{"index":23,"check":"00ff","cell":{"lr":0.4,"gam');

  const again = await exited(spawn(process.execPath, [bin, ...SWEEP, "--out", out], { cwd: root, stdio: ["ignore", "ignore", "pipe"] }));
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`resuming from .*: ${saved} of ${CELLS} cells done`));
  assert.equal(readFileSync(out, "utf8"), readFileSync(ref, "utf8"));
  assert.deepEqual(readdirSync(dir).sort(), ["out.json", "ref.json", "saved.checkpoint"]);

  // the saved checkpoint against other settings: refused in one line, never mixed, left as it was
  const other = join(dir, "other.json");
  const savedText = readFileSync(join(dir, "saved.checkpoint"), "utf8");
  const refusals: Array<[string[], RegExp]> = [
    [["--lr", "0.1:0.4:5"], /config field "lr" was \[0\.1,0\.16.*now \[0\.1,0\.175/],
    [["--seed", "6"], /config field "seed" was 5, now 6/],
    [["--steps", "999"], /config field "steps"/],
    [["--shard", "1/2"], /made for the whole grid, this run is --shard 1\/2/],
  ];
  for (const [change, why] of refusals) {
    writeFileSync(checkpointPath(other), savedText);
    const args = [...SWEEP, "--out", other];
    for (let i = 0; i < change.length; i += 2) {
      const at = args.indexOf(change[i]);
      if (at >= 0) args[at + 1] = change[i + 1];
      else args.push(change[i], change[i + 1]);
    }
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^bn-collapse sweep: --out: checkpoint .* belongs to a different sweep: [^\n]+\n$/);
    assert.match(r.stderr, why);
    assert.equal(readFileSync(checkpointPath(other), "utf8"), savedText, "the refused checkpoint is untouched");
    assert.ok(!existsSync(other));
  }

  // a damaged line that is not the last is refused, not skipped
  const lines = savedText.split("\n");
  lines[2] = lines[2].replace(/"collapsed":\d+/, '"collapsed":99999');
  writeFileSync(checkpointPath(other), lines.join("\n"));
  const damaged = await runCli([...SWEEP, "--out", other]);
  assert.equal(damaged.code, 2);
  assert.match(damaged.stderr, /is damaged at line 3; delete it/);

  writeFileSync(checkpointPath(other), "not a checkpoint\n");
  const foreign = await runCli([...SWEEP, "--out", other]);
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /is not a bn-collapse sweep checkpoint/);
  rmSync(dir, { recursive: true, force: true });
});

test("resumed cells are read from the checkpoint, not recomputed, and the output keeps grid order", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-resume-"));
  const args = ["sweep", "--lr", "0.1,0.2,0.3", "--batch", "4", "--steps", "40", "--trials", "30", "--workers", "1", "--quiet"];
  const ref = join(dir, "ref.json");
  assert.equal((await runCli([...args, "--out", ref])).code, 0);
  const cells = JSON.parse(readFileSync(ref, "utf8")).cells;

  const out = join(dir, "out.json");
  const spec = resolveSweep({ lr: "0.1,0.2,0.3", batch: "4", steps: 40, trials: 30 });
  const writer = checkpointWriter(checkpointPath(out), { version: VERSION, shard: null, config: spec.config as unknown as Record<string, unknown> });
  writer.append(2, cells[2]);
  writer.append(0, { ...cells[0], meanSteps: 12345 }); // a marker: only a read checkpoint can put it in the output
  writer.close();
  const r = await runCli([...args, "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(readFileSync(out, "utf8")).cells;
  assert.equal(got[0].meanSteps, 12345);
  assert.deepEqual(got.slice(1), cells.slice(1));
  assert.ok(!existsSync(checkpointPath(out)));

  // the same with genuine cells gives the reference bytes, in csv too (the format is not part of the checkpoint)
  for (const format of ["json", "csv"]) {
    const w = checkpointWriter(checkpointPath(out), { version: VERSION, shard: null, config: spec.config as unknown as Record<string, unknown> });
    w.append(1, cells[1]);
    w.close();
    const again = await runCli([...args, "--out", out, "--format", format]);
    assert.equal(again.code, 0, again.stderr);
    const plain = await runCli([...args, "--format", format]);
    assert.equal(readFileSync(out, "utf8"), plain.stdout);
  }
  rmSync(dir, { recursive: true, force: true });
});
