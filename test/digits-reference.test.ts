/**
 * The digits experiment, cut down (reference/pytorch/digits_mlp.py --quick: 3 settings x 2 seeds x
 * 300 updates), run fresh: its counts obey what the definitions imply, its checkpoints read back in
 * `scan` with the same dead units, and the comparison script runs on its table. Then the committed
 * full tables: the comparison was made from the committed runs. Needs torch for the first part
 * (skipped without it outside CI); about a minute on one core.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCriterion } from "../src/config/terms.ts";
import { digitsCells } from "../src/digits/cells.ts";
import { parseDigitsTable } from "../src/digits/runs.ts";
import { scanLayer } from "../src/scan/analyse.ts";
import { findBnLayers } from "../src/scan/bn-layers.ts";
import { readSafetensors } from "../src/scan/safetensors.ts";
import { torchOrSkip } from "./python-torch.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const torch = torchOrSkip();

test("digits_mlp.py --quick: counts obey the definitions, checkpoints scan to the same dead units, the comparison runs", { skip: "skip" in torch ? torch.skip : false }, () => {
  if (!("python" in torch)) return;
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-digits-"));
  try {
    const ck = join(dir, "ck");
    const r = spawnSync(torch.python, ["reference/pytorch/digits_mlp.py", "--quick", "--out", dir, "--checkpoints", ck], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const table = parseDigitsTable(readFileSync(join(dir, "digits-runs.json"), "utf8"), "digits-runs.json");
    assert.equal(table.runs.length, 6);
    const cone = parseCriterion("dead");
    for (const run of table.runs) {
      assert.ok(run.final.trainAcc > 0.5, `${run.optimizer} lr ${run.lr} seed ${run.seed} trains`);
      for (const snap of run.series) {
        snap.layers.forEach((s, l) => {
          const units = run.hidden[l];
          for (const v of [s.dead, s.everDead, s.neverFireEval, s.neverFireTrain]) assert.ok(Number.isInteger(v) && v >= 0 && v <= units);
          // a unit in the dead cone cannot fire on any batch in training mode
          assert.ok(s.neverFireTrain >= s.dead, `step ${snap.step} layer ${l + 1}: ${s.neverFireTrain} never firing < ${s.dead} in the cone`);
          assert.ok(s.everDead >= s.dead);
          // plain SGD: the cone is absorbing (zero gradient, and coupled decay keeps r), so dead = ever dead
          if (run.optimizer === "sgd") assert.equal(s.dead, s.everDead);
        });
      }
      run.layers.forEach((L, l) => {
        assert.equal(L.firstDead.length, run.final.layers[l].everDead);
        assert.ok(L.firstDead.every((t) => t >= 1 && t <= run.steps));
        assert.ok(L.sigmaEff! > 0);
        // layers 1 and 2 feed a BN layer, whose backward removes the batch mean of the gradient
        if (l < run.layers.length - 1) assert.ok(L.meanShare! < 1e-9, `layer ${l + 1} mean share ${L.meanShare}`);
      });
      // the checkpoint of this run, read by scan, has the run's own dead units
      const name = `digits-${run.optimizer.replace(":", "")}-lr${run.lr}-wd${run.weightDecay}-seed${run.seed}.safetensors`;
      const layers = findBnLayers(readSafetensors(readFileSync(join(ck, name)), name)).layers;
      assert.deepEqual(layers.map((l) => scanLayer(l, { batch: run.batch, criteria: [cone], shift: 0, bnEps: 1e-5 }).collapsed[0].count), run.final.layers.map((l) => l.dead), name);
    }
    assert.equal(readdirSync(ck).length, 6);
    const c = spawnSync(process.execPath, ["--import", "tsx", "scripts/digits-compare.ts", "--runs", join(dir, "digits-runs.json"), "--out", dir, "--figures", dir, "--trials", "40", "--workers", "1"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(c.status, 0, c.stderr);
    const rows = readFileSync(join(dir, "digits-comparison.csv"), "utf8").trim().split("\n");
    assert.equal(rows.length, 1 + 3 * 4, "a row per cell and layer, and one for all layers");
    assert.deepEqual([...readFileSync(join(dir, "digits-vs-single-unit.png")).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the committed comparison table was made from the committed runs table", () => {
  const table = parseDigitsTable(readFileSync(join(ROOT, "reference/pytorch/results/digits-runs.json"), "utf8"), "digits-runs.json");
  const comparison = JSON.parse(readFileSync(join(ROOT, "reference/pytorch/results/digits-comparison.json"), "utf8"));
  const cells = digitsCells(table);
  assert.equal(comparison.rows.length, cells.length * 4);
  assert.equal(comparison.steps, table.steps);
  for (const cell of cells) {
    for (const layer of cell.layers) {
      const row = comparison.rows.find((r: { optimizer: string; lr: number; weightDecay: number; measured: { layer: number | string } }) =>
        r.optimizer === cell.optimizer && r.lr === cell.lr && r.weightDecay === cell.weightDecay && r.measured.layer === layer.layer);
      assert.ok(row, `${cell.optimizer} ${cell.lr} ${cell.weightDecay} layer ${layer.layer}`);
      assert.deepEqual(row.measured.everDead, JSON.parse(JSON.stringify(layer.everDead)));
      assert.equal(row.measured.sigmaEff, layer.sigmaEff);
      assert.ok(row.predicted.mixture.p >= 0 && row.predicted.mixture.p <= 1);
    }
  }
});
