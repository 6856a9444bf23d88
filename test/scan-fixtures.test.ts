/**
 * `scan` on files written by real PyTorch (reference/pytorch/make_fixtures.py, committed): every
 * decoded value equals torch's own conversion to double, and every collapsed channel of the trained
 * digits checkpoints (F32 and BF16) is the one torch finds. Offline: no Python needed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCriterion } from "../src/config/terms.ts";
import { scanLayer } from "../src/scan/analyse.ts";
import { findBnLayers } from "../src/scan/bn-layers.ts";
import { readSafetensors } from "../src/scan/safetensors.ts";
import { runCliInProcess } from "./run-cli.ts";

const REF = fileURLToPath(new URL("../reference/pytorch/", import.meta.url));
const CHECKPOINTS = ["digits-adam-lr0.1-wd0-seed1-f32", "digits-adam-lr0.01-wd0.0005-seed1-bf16"];

const fromJson = (v: number | string) => (typeof v === "number" ? v : v === "NaN" ? NaN : v === "Infinity" ? Infinity : -Infinity);

test("dtypes written by torch (F64, F32, F16, BF16, I64) decode to exactly torch's doubles", () => {
  const file = readSafetensors(readFileSync(`${REF}fixtures/dtypes.safetensors`), "dtypes.safetensors");
  const expected = JSON.parse(readFileSync(`${REF}fixtures/dtypes.expected.json`, "utf8")) as Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
  assert.deepEqual([...file.tensors.keys()].sort(), Object.keys(expected).sort());
  for (const [name, e] of Object.entries(expected)) {
    const t = file.tensors.get(name)!;
    assert.equal(t.dtype, e.dtype, name);
    assert.deepEqual(t.shape, e.shape, name);
    const got = Array.from(t.values!);
    const want = e.values.map(fromJson);
    // JSON loses the sign of -0.0: Python writes it as -0.0, JSON.parse reads -0; Object.is tells them apart
    got.forEach((v, k) => assert.ok(Object.is(v, want[k]) || (Number.isNaN(v) && Number.isNaN(want[k])), `${name}[${k}]: ${v} vs ${want[k]}`));
  }
  assert.equal(file.metadata.source, "make_fixtures.py");
});

for (const name of CHECKPOINTS) {
  test(`${name}: the collapsed channels of every BN layer are the ones torch finds`, () => {
    const file = readSafetensors(readFileSync(`${REF}checkpoints/${name}.safetensors`), name);
    const expected = JSON.parse(readFileSync(`${REF}checkpoints/${name}.expected.json`, "utf8"));
    const { layers, skipped } = findBnLayers(file);
    assert.deepEqual(skipped, []);
    assert.deepEqual(layers.map((l) => l.name), Object.keys(expected.layers));
    const criteria = ["dead", "ratio:3", "sparsity:0.99", "gamma:0.001"].map((c) => parseCriterion(c));
    let any = 0;
    for (const layer of layers) {
      const s = scanLayer(layer, { batch: expected.batch, criteria, shift: 0, bnEps: 1e-5 });
      const want = expected.layers[layer.name];
      s.collapsed.forEach((c) => assert.deepEqual(c.channels, want[c.criterion], `${layer.name} ${c.criterion}`));
      assert.deepEqual(s.constantInput!.channels, want.constantInput, `${layer.name} constant input`);
      assert.equal(layer.numBatchesTracked, 2000);
      any += s.collapsed[0].count;
    }
    assert.ok(any > 0, "the fixture has dead units to find");
    // and the F32 file's dead counts are the training run's own count at T
    if (expected.dtype === "f32") assert.deepEqual(layers.map((l) => scanLayer(l, { batch: 32, criteria, shift: 0, bnEps: 1e-5 }).collapsed[0].count), expected.training.final.layers.map((l: { dead: number }) => l.dead));
  });
}

test("npx bn-collapse scan on a committed checkpoint prints the per-layer table", async () => {
  const r = await runCliInProcess(["scan", `${REF}checkpoints/${CHECKPOINTS[0]}.safetensors`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 BN layers \(3 by running statistics, 0 by name\), 384 channels/);
  assert.match(r.stdout, /^bn\.0\s+128\s+20 \(15\.6%\)/m);
  assert.match(r.stdout, /^bn\.2\s+128\s+60 \(46\.9%\)/m);
  assert.match(r.stdout, /^all\s+384\s+96 \(25\.0%\)/m);
});
