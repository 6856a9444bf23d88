/** `bn-collapse layer` (src/cli/layer-command.ts): output shape in json and csv, --out, --help, bad input. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliInProcess } from "./run-cli.ts";

const SMALL = ["--lr", "0.1,0.4", "--units", "4", "--input-dim", "6", "--batch", "4", "--steps", "120", "--layers", "6", "--single-trials", "100", "--label-noise", "2", "--seed", "3"];

test("layer --format json: one row per lr with the fraction, its interval, sigma_eff and the single-unit prediction", async () => {
  const r = await runCliInProcess(["layer", ...SMALL]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.kind, "layer");
  assert.equal(out.seed, 3);
  assert.equal(out.config.units, 4);
  assert.deepEqual(out.rows.map((x: { lr: number }) => x.lr), [0.1, 0.4]);
  for (const row of out.rows) {
    assert.equal(row.layers, 6);
    assert.equal(row.units, 4);
    assert.ok(row.fraction >= 0 && row.fraction <= 1);
    assert.ok(row.ci95[0] <= row.fraction && row.fraction <= row.ci95[1]);
    assert.ok(row.sigmaEff > 0);
    assert.equal(row.single.trials, 100);
    assert.ok(row.single.p >= 0 && row.single.p <= 1);
    assert.equal(row.overTime.at(-1).step, 120);
  }
  const again = await runCliInProcess(["layer", ...SMALL]);
  assert.equal(again.stdout, r.stdout, "same seed, same output");
});

test("layer --format csv --out FILE writes a header and one line per lr", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-layer-"));
  try {
    const file = join(dir, "layer.csv");
    const r = await runCliInProcess(["layer", ...SMALL, "--format", "csv", "--out", file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0].split(",").slice(0, 6), ["lr", "units", "layers", "nonFinite", "collapsed", "fraction"]);
    assert.ok(lines[0].includes("single_p"));
    assert.equal(lines[1].split(",")[0], "0.1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("layer --help prints an example; bad input exits 2 with one line naming the flag", async () => {
  const h = await runCliInProcess(["layer", "--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Example/);
  for (const [argv, flag] of [
    [["--units", "0"], "--units"],
    [["--batch", "1.5"], "--batch"],
    [["--lr", "0.1,abc"], "--lr"],
    [["--format", "xml"], "--format"],
    [["--label-noise", "-1"], "--label-noise"],
  ] as const) {
    const r = await runCliInProcess(["layer", ...argv]);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.ok(r.stderr.startsWith(`bn-collapse layer: ${flag}`), r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  }
});
