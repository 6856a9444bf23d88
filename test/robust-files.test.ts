/**
 * Issue 18, items 2, 4, 5 and 9: a checkpoint line is bound to its grid cell, --out never replaces
 * what it must not (a device, a link, an input), one sweep at a time holds a checkpoint, and every
 * command applies one rule to --out before any work: a regular file in a folder that exists.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, cli, oneLine, root, tempDir } from "./robust-cli.ts";

const SWEEP = ["sweep", "--lr", "0.1,0.2,0.4,0.8", "--gamma", "1,2", "--batch", "4", "--steps", "40", "--trials", "30", "--workers", "1", "--quiet"];

test("a checkpoint line whose index was edited or swapped is refused, never put in another row (item 2)", async (t) => {
  const dir = tempDir(t);
  const ref = join(dir, "ref.json");
  assert.equal(cli([...SWEEP, "--out", ref]).code, 0);
  const refText = readFileSync(ref, "utf8");
  // make a checkpoint of the same sweep: the library writer, as a killed run leaves it
  const { resolveSweep } = await import("../src/ensemble/problem.ts");
  const { checkpointPath, checkpointWriter } = await import("../src/solution/checkpoint.ts");
  const { VERSION } = await import("../src/solution/result.ts");
  const spec = resolveSweep({ lr: "0.1,0.2,0.4,0.8", gamma: "1,2", batch: "4", steps: 40, trials: 30 });
  const cells = JSON.parse(refText).cells;
  const out = join(dir, "out.json");
  const write = (lines: (text: string) => string) => {
    rmSync(checkpointPath(out), { force: true });
    const w = checkpointWriter(checkpointPath(out), { version: VERSION, shard: null, config: spec.config as unknown as Record<string, unknown> });
    for (let k = 0; k < 4; k++) w.append(k, cells[k]);
    w.close();
    writeFileSync(checkpointPath(out), lines(readFileSync(checkpointPath(out), "utf8")));
  };
  // "index":0 -> "index":7: the check binds the index (and cell 0's axes are not cell 7's)
  write((text) => text.replace('{"index":0,', '{"index":7,'));
  let r = cli([...SWEEP, "--out", out]);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(oneLine(r.stderr));
  assert.match(r.stderr, /damaged at line 2/);
  // two indices swapped
  write((text) => text.replace('{"index":1,', '{"index":X,').replace('{"index":2,', '{"index":1,').replace('{"index":X,', '{"index":2,'));
  r = cli([...SWEEP, "--out", out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /damaged at line/);
  assert.equal(existsSync(out), false);

  // an index moved and its check recomputed as the old format did (cell JSON only): the grid check catches it
  const { createHash } = await import("node:crypto");
  write((text) =>
    text.split("\n").map((line) => {
      if (!line.startsWith('{"index":0,')) return line;
      const rec = JSON.parse(line);
      rec.index = 5;
      rec.check = createHash("sha256").update(`5\n${JSON.stringify(rec.cell)}`).digest("hex").slice(0, 32);
      return JSON.stringify(rec);
    }).join("\n"),
  );
  r = cli([...SWEEP, "--out", out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /says cell 5 but holds lr 0\.1 where the grid has 0\.2/);

  // untouched, it resumes to the reference bytes
  write((text) => text);
  r = cli([...SWEEP, "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(out, "utf8"), refText);
});

test("--out is never a device, a symlink or one of the command's inputs (item 4)", (t) => {
  const dir = tempDir(t);
  const cfg = join(dir, "mine.json");
  writeFileSync(cfg, JSON.stringify({ lr: [0.1], steps: 20, trials: 10 }));
  // a FIFO stands for a device: the old code renamed over /dev/full itself (as root), so the test makes its own
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const cases: [string[], RegExp][] = [
    [["sweep", "--steps", "20", "--trials", "10", "--workers", "1", "--out", fifo], /--out: .*fifo is not a regular file/],
    [["sweep", "--config", cfg, "--workers", "1", "--out", cfg], /is also an input/],
    [["theory", "--config", cfg, "--out", cfg], /is also an input/],
  ];
  const link = join(dir, "link.json");
  writeFileSync(join(dir, "target.json"), "keep\n");
  symlinkSync(join(dir, "target.json"), link);
  cases.push([["sweep", "--steps", "20", "--trials", "10", "--workers", "1", "--out", link], /symbolic link/]);
  // merge a.json b.json --out a.json
  const a = join(dir, "a.json"), b = join(dir, "b.json");
  for (const [i, f] of [[1, a], [2, b]] as const) assert.equal(cli(["sweep", "--lr", "0.1,0.2", "--steps", "20", "--trials", "10", "--workers", "1", "--quiet", "--shard", `${i}/2`, "--out", f]).code, 0);
  const shardA = readFileSync(a, "utf8");
  cases.push([["merge", a, b, "--out", a], /is also an input/]);
  cases.push([["merge", a, b, "--out", `${dir}/./a.json`], /is also an input/]);
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, re);
  }
  assert.ok(lstatSync(fifo).isFIFO());
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.equal(readFileSync(link, "utf8"), "keep\n");
  assert.equal(readFileSync(a, "utf8"), shardA);
  assert.deepEqual(JSON.parse(readFileSync(cfg, "utf8")), { lr: [0.1], steps: 20, trials: 10 });
});

test("a second sweep on a held --out is refused; a dead run's lock is taken over (item 5)", async (t) => {
  const dir = tempDir(t);
  const out = join(dir, "run.json");
  // a long first run (about 10 s on one core), killed once its lock is seen
  const first = spawn(process.execPath, [bin, "sweep", "--lr", "0.01:0.02:40", "--steps", "20000", "--trials", "200", "--workers", "1", "--quiet", "--seed", "11", "--out", out], { cwd: root, stdio: "ignore" });
  const lock = `${out}.lock`;
  for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(lock), "the first run holds the lock");
  const second = cli(["sweep", "--lr", "0.1", "--steps", "20", "--trials", "10", "--workers", "1", "--quiet", "--seed", "12", "--out", out]);
  assert.equal(second.code, 2, second.stderr);
  assert.ok(oneLine(second.stderr));
  assert.match(second.stderr, new RegExp(`is being written by process ${first.pid}`));
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  assert.ok(existsSync(lock), "kill -9 leaves the lock");
  // the lock of a process that is gone is taken over; the first run's checkpoint (seed 11) is then refused by its header
  const third = cli(["sweep", "--lr", "0.01:0.02:40", "--steps", "20", "--trials", "10", "--workers", "1", "--quiet", "--seed", "12", "--out", out]);
  if (existsSync(`${out}.checkpoint.jsonl`)) {
    assert.equal(third.code, 2, third.stderr);
    assert.match(third.stderr, /belongs to a different sweep/);
  } else assert.equal(third.code, 0, third.stderr);
  assert.equal(existsSync(lock), false, "the lock is released");
});

test("every command applies one --out rule before any work: a file in a folder that exists (item 9)", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "plain"), "x");
  const missing = join(dir, "no", "such", "x.json");
  const commands: string[][] = [
    ["sweep", "--steps", "20", "--trials", "10", "--workers", "1"],
    ["theory", "--lr", "0.1", "--steps", "20"],
    ["layer", "--lr", "0.1", "--steps", "5", "--layers", "2", "--single-trials", "2"],
    ["merge", join(dir, "nothing.json")],
    ["plan", "--tasks", "2", "--", "--lr", "0.1"],
  ];
  for (const cmd of commands) {
    for (const [out, re] of [
      [missing, /the folder .* does not exist/],
      [`${dir}/new/`, /names a folder/],
      ["/proc/version", /cannot write|not a regular/],
      [join(dir, "plain", "x.json"), /is not a directory|does not exist/],
      [dir, /is a directory/],
    ] as const) {
      const r = cli([...cmd, "--out", out]);
      assert.equal(r.code, 2, `${cmd[0]} --out ${out}: ${r.stderr}`);
      assert.ok(oneLine(r.stderr), r.stderr);
      assert.match(r.stderr, /--out/);
      assert.match(r.stderr, re, `${cmd[0]} --out ${out}`);
    }
  }
  assert.equal(existsSync(join(dir, "no")), false, "no folder was created");
  assert.deepEqual(readdirSync(dir).sort(), ["plain"]);
  mkdirSync(join(dir, "made"));
  assert.equal(cli(["theory", "--lr", "0.1", "--steps", "20", "--quiet", "--out", join(dir, "made", "t.json")]).code, 0);
});

test("layer keeps every row when all layers at one lr diverge: nonFinite = layers, a null prediction (item 7)", () => {
  const r = cli(["layer", "--lr", "0.1,1", "--steps", "200", "--layers", "4", "--single-trials", "50"]);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout).rows;
  assert.equal(rows.length, 2);
  assert.equal(rows[0].single.trials, 50);
  assert.deepEqual(
    { lr: rows[1].lr, layers: rows[1].layers, nonFinite: rows[1].nonFinite, fraction: rows[1].fraction, single: rows[1].single, sigmaEff: rows[1].sigmaEff },
    { lr: 1, layers: 4, nonFinite: 4, fraction: null, single: null, sigmaEff: null },
  );
  const csv = cli(["layer", "--lr", "0.1,1", "--steps", "200", "--layers", "4", "--single-trials", "50", "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout.trim().split("\n")[2], /^1,16,4,4,0,,,0,1,,,,,,,$/);
});
