/**
 * Shards: `sweep --shard i/n` runs cells k with k % n = i - 1, and `merge` puts the shards back into
 * exactly the single-machine file; anything that is not the n shards of one sweep is refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliInProcess } from "./run-cli.ts";
import { digestOf } from "../src/solution/digest.ts";
import { parseShard, shardCellIndices } from "../src/ensemble/shards.ts";

const runCli = runCliInProcess;

const SWEEP = ["sweep", "--lr", "0.1:0.4:4", "--gamma", "0.5,1", "--batch", "4,8", "--steps", "200", "--trials", "200", "--seed", "9", "--workers", "1", "--quiet"];

test("every cell is in exactly one shard of n", () => {
  for (const cells of [0, 1, 7, 16, 100]) {
    for (const n of [1, 2, 3, 7, 16, 150]) {
      const seen = new Array(cells).fill(0);
      for (let i = 1; i <= n; i++) for (const k of shardCellIndices(cells, { index: i, count: n })) seen[k]++;
      assert.ok(seen.every((c) => c === 1), `${cells} cells, ${n} shards`);
    }
  }
  assert.deepEqual(shardCellIndices(10, parseShard("2/4")), [1, 5, 9]);
});

test("merged shards are byte-identical to the single-machine file, in json and csv, in any order", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-shard-"));
  const single = await runCli(SWEEP);
  assert.equal(single.code, 0, single.stderr);
  const singleCsv = await runCli([...SWEEP, "--format", "csv"]);
  for (const n of [3, 20]) { // 20 shards of a 16-cell grid: four shards are empty
    const files = [];
    for (let i = 1; i <= n; i++) {
      const f = join(dir, `n${n}-part-${i}.json`);
      const r = await runCli([...SWEEP, "--shard", `${i}/${n}`, "--out", f]);
      assert.equal(r.code, 0, r.stderr);
      files.push(f);
    }
    const shard1 = JSON.parse(readFileSync(files[0], "utf8"));
    assert.equal(shard1.kind, "sweep-shard");
    assert.deepEqual(shard1.shard, { index: 1, count: n, gridCells: 16 });
    assert.equal(shard1.seed, 9);
    assert.equal(shard1.version, JSON.parse(single.stdout).version);
    const merged = join(dir, `merged-${n}.json`);
    const m = await runCli(["merge", ...files.reverse(), "--out", merged, "--quiet"]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(readFileSync(merged, "utf8"), single.stdout);
    const csv = await runCli(["merge", ...files, "--format", "csv"]);
    assert.equal(csv.stdout, singleCsv.stdout);
  }
  rmSync(dir, { recursive: true, force: true });
});

test("merge refuses anything but the n shards of one sweep, in one line naming the problem", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-shard-"));
  const part = (i: number, n: number, extra: string[] = [], name = `p${i}of${n}${extra.join("")}.json`) => {
    const f = join(dir, name.replace(/[^\w.]/g, "_"));
    const args = [...SWEEP];
    for (let j = 0; j < extra.length; j += 2) {
      const at = args.indexOf(extra[j]);
      if (at >= 0) args[at + 1] = extra[j + 1];
      else args.push(extra[j], extra[j + 1]);
    }
    return runCli([...args, "--shard", `${i}/${n}`, "--out", f]).then((r) => {
      assert.equal(r.code, 0, r.stderr);
      return f;
    });
  };
  const [a, b, c] = [await part(1, 3), await part(2, 3), await part(3, 3)];
  const otherSeed = await part(2, 3, ["--seed", "10"]);
  const otherLr = await part(2, 3, ["--collapse", "dead"]);
  const twoOfTwo = await part(2, 2);
  const whole = join(dir, "whole.json");
  assert.equal((await runCli([...SWEEP, "--out", whole])).code, 0);
  // an older version's shard, correctly signed: refused for its version, not as damaged
  const old = JSON.parse(readFileSync(b, "utf8"));
  delete old.digest;
  old.version = "0.0.9";
  const oldFile = join(dir, "old.json");
  writeFileSync(oldFile, JSON.stringify({ ...old, digest: digestOf(old) }));
  const edited = join(dir, "edited.json");
  writeFileSync(edited, readFileSync(b, "utf8").replace(/"collapsed": (\d+)/, (_m, k) => `"collapsed": ${Number(k) + 1}`));
  const swapped = JSON.parse(readFileSync(b, "utf8"));
  delete swapped.digest;
  [swapped.cells[0], swapped.cells[1]] = [swapped.cells[1], swapped.cells[0]];
  const swappedFile = join(dir, "swapped.json");
  writeFileSync(swappedFile, JSON.stringify({ ...swapped, digest: digestOf(swapped) }));

  const cases: Array<[string[], RegExp]> = [
    [[a, c], /shards: missing shard 2\/3$/],
    [[a, b, b, c], /shard 2\/3 given twice/],
    [[a, otherSeed, c], /seed 10 differs from .*p1of3\.json's 9/],
    [[a, otherLr, c], /config field "collapse" is "dead", but "ratio:3" in .*: not shards of one sweep/],
    [[a, twoOfTwo, c], /is shard 2\/2, but .* is 1\/3: shard counts differ/],
    [[a, oldFile, c], /made by bn-collapse 0\.0\.9, but .* by 0\.1\.0|made by bn-collapse 0\.0\.9/],
    [[oldFile], /made by bn-collapse 0\.0\.9; this is/],
    [[a, edited, c], /edited\.json: is damaged or was edited/],
    [[a, swappedFile, c], /swapped\.json: cell 1 is not grid cell 1/],
    [[whole], /is a whole sweep's result, not a shard/],
    [[a, join(dir, "absent.json"), c], /absent\.json: cannot read: ENOENT/],
    [[], /FILES: no shard files given/],
  ];
  const out = join(dir, "merged.json");
  for (const [files, why] of cases) {
    const r = await runCli(["merge", ...files, "--out", out]);
    assert.equal(r.code, 2, `${files.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^bn-collapse merge: [^\n]+\n$/);
    assert.match(r.stderr.trim(), why);
    assert.ok(!existsSync(out), "no merged file after a refusal");
  }
  rmSync(dir, { recursive: true, force: true });
});

test("--shard is checked: i/n with 1 <= i <= n, and shards are JSON", async () => {
  for (const [value, why] of [["0/3", /index 0 must be in 1\.\.3/], ["4/3", /index 4/], ["1/0", /count 0/], ["a/b", /is not i\/n/], ["1/2/3", /is not i\/n/], ["-1/2", /is not i\/n/]] as const) {
    const r = await runCli([...SWEEP, "--shard", value]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^bn-collapse sweep: --shard: [^\n]+\n$/);
    assert.match(r.stderr, why);
  }
  const csv = await runCli([...SWEEP, "--shard", "1/2", "--format", "csv"]);
  assert.equal(csv.code, 2);
  assert.match(csv.stderr, /--format: a shard is written as JSON/);
});
