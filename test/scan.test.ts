/** `bn-collapse scan`: finding BN layers by their tensors, the criteria per channel, the CLI's outputs and errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCriterion } from "../src/config/terms.ts";
import { scanLayer } from "../src/scan/analyse.ts";
import { findBnLayers } from "../src/scan/bn-layers.ts";
import { readSafetensors } from "../src/scan/safetensors.ts";
import { runCliInProcess } from "./run-cli.ts";
import { bnTensors, encode, safetensorsBytes, type RawTensor } from "./safetensors-writer.ts";

const BIN = fileURLToPath(new URL("../bin/bn-collapse.mjs", import.meta.url));

/** The CLI in a child process: for calls that render figures, whose awaits would let the test runner's own
 * messages into an in-process capture of stdout. */
function runCliChild(argv: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const f32 = (shape: number[], values: number[]): RawTensor => ({ dtype: "F32", shape, bytes: encode("F32", values) });

test("BN layers: found by running statistics whatever their name, by name without them; LayerNorm, Linear and affine=False are not", () => {
  const tensors: Record<string, RawTensor> = {
    "conv1.weight": f32([2, 1, 1, 1], [1, 2]),
    ...bnTensors("layer1.0.bn1", [1, 1], [0, 0]),
    ...bnTensors("features.1", [1, 1, 1], [0, 0, 0]), // VGG-BN: not named bn, has running stats
    ...bnTensors("head.bn", [1, 2], [0, 0], false), // saved without buffers: by name
    ...bnTensors("layer10.0.bn1", [1], [0]),
    ...bnTensors("layer2.0.bn1", [1], [0]),
    "encoder.ln.weight": f32([4], [1, 1, 1, 1]), // LayerNorm: no running stats, not named bn
    "encoder.ln.bias": f32([4], [0, 0, 0, 0]),
    "fc.weight": f32([2, 2], [1, 0, 0, 1]),
    "fc.bias": f32([2], [0, 0]),
    "subnet.weight": f32([2], [1, 1]), // "bn" inside a word is not a BN name
    "subnet.bias": f32([2], [0, 0]),
    "plain.running_mean": f32([2], [0, 0]), // affine=False
    "plain.running_var": f32([2], [1, 1]),
  };
  const { layers, skipped } = findBnLayers(readSafetensors(safetensorsBytes(tensors), "m"));
  assert.deepEqual(layers.map((l) => [l.name, l.channels, l.identifiedBy]), [
    ["features.1", 3, "running stats"],
    ["head.bn", 2, "name"],
    ["layer1.0.bn1", 2, "running stats"],
    ["layer2.0.bn1", 1, "running stats"],
    ["layer10.0.bn1", 1, "running stats"],
  ]);
  assert.equal(layers[2].numBatchesTracked, 100);
  assert.equal(layers[1].runningVar, null);
  assert.deepEqual(skipped.map((s) => s.name), ["plain"]);
  assert.match(skipped[0].reason, /affine=False/);
});

test("BN layers: Keras-style gamma/beta/moving_mean names, F16 and BF16 parameters", () => {
  const tensors: Record<string, RawTensor> = {
    "block.bn.gamma": { dtype: "F16", shape: [2], bytes: encode("F16", [0x3c00, 0xbc00]) }, // 1, -1
    "block.bn.beta": { dtype: "BF16", shape: [2], bytes: encode("BF16", [0xc0c0, 0x3f80]) }, // -6, 1
    "block.bn.moving_mean": f32([2], [0, 0]),
    "block.bn.moving_variance": f32([2], [1, 0]),
  };
  const { layers } = findBnLayers(readSafetensors(safetensorsBytes(tensors), "m"));
  assert.equal(layers.length, 1);
  assert.equal(layers[0].dtype, "F16/BF16");
  assert.deepEqual(Array.from(layers[0].gamma), [1, -1]);
  assert.deepEqual(Array.from(layers[0].beta), [-6, 1]);
  const s = scanLayer(layers[0], { batch: 32, criteria: [parseCriterion("dead")], shift: 0, bnEps: 1e-5 });
  assert.deepEqual(s.collapsed[0].channels, [0], "r = -6 <= -sqrt(31) = -5.57; r = 1/|-1| = 1 is not");
  assert.deepEqual(s.constantInput, { count: 1, channels: [1] });
});

test("criteria per channel: the definitions of sweep --collapse on r = (beta + shift)/|gamma|", () => {
  // r per channel: -6, -5, -3, -2.4, -2.3, 0, 1; then gamma = 0 with beta < 0 (r = -inf), gamma = 0 with beta = 0 (r = +inf), a tiny gamma, NaN
  const gamma = [1, 2, -1, 1, 1, 1, 0.5, 0, 0, 5e-4, NaN];
  const beta = [-6, -10, -3, -2.4, -2.3, 0, 0.5, -1, 0, 1e-4, 0];
  const file = readSafetensors(safetensorsBytes(bnTensors("bn", gamma, beta)), "m");
  const layer = findBnLayers(file).layers[0];
  const criteria = ["dead", "ratio:3", "sparsity:0.99", "gamma:0.001"].map((c) => parseCriterion(c));
  const at = (batch: number, shift: number) => scanLayer(layer, { batch, criteria, shift, bnEps: 1e-5 }).collapsed.map((c) => c.channels);
  // B = 32: dead is r <= -5.568; sparsity:0.99 is r <= -2.3263; gamma:0.001 is |gamma| <= 0.001
  assert.deepEqual(at(32, 0), [[0, 7], [0, 1, 2, 7], [0, 1, 2, 3, 7], [7, 8, 9]]);
  // B = 8: dead is r <= -sqrt(7) = -2.6458
  assert.deepEqual(at(8, 0)[0], [0, 1, 2, 7]);
  // psBN shift alpha = 0.1: r = (beta + 0.1)/|gamma|; channel 1 goes to -4.95, channel 2 to -2.9
  const shifted = at(32, 0.1);
  assert.deepEqual(shifted[0], [0, 7]);
  assert.deepEqual(shifted[1], [0, 1, 7], "-2.9 is no longer <= -3");
  assert.deepEqual(shifted[3], [7, 8, 9], "the gamma criterion does not see the shift");
  const s = scanLayer(layer, { batch: 32, criteria, shift: 0, bnEps: 1e-5 });
  assert.equal(s.nonFinite, 1);
  assert.equal(s.collapsed[0].test, "r <= -sqrt(B-1) = -5.568");
  assert.equal(s.collapsed[2].test, "r <= -2.326 (Phi(r) <= 0.01)");
});

async function withDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-scan-"));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODEL = {
  "fc1.weight": f32([3, 2], [1, 2, 3, 4, 5, 6]),
  ...bnTensors("bn1", [1, 1, 0.5], [-6, 0, -2]),
  ...bnTensors("bn2", [1, 2], [0.2, -1]),
};

test("scan CLI: the text table, json and csv agree; --out writes the table; --figure writes PNG and SVG", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "model.safetensors");
    writeFileSync(file, safetensorsBytes(MODEL, { metadata: { format: "pt" } }));
    const text = await runCliInProcess(["scan", file]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /2 BN layers \(2 by running statistics, 0 by name\), 5 channels/);
    assert.match(text.stdout, /^bn1\s+3\s+1 \(33\.3%\)/m, "bn1: one channel dead (r = -6)");
    assert.match(text.stdout, /^all\s+5\s+1 \(20\.0%\)/m);
    const json = JSON.parse((await runCliInProcess(["scan", file, "--format", "json", "--batch", "8"])).stdout);
    assert.equal(json.kind, "scan");
    assert.equal(json.batch, 8);
    assert.deepEqual(json.metadata, { format: "pt" });
    assert.deepEqual(json.layers.map((l: { collapsed: { channels: number[] }[] }) => l.collapsed.map((c) => c.channels)), [
      [[0, 2], [], [0, 2], [0, 2]], // dead, gamma:0.001, ratio:3, sparsity:0.99; B = 8: r = -4 <= -2.65 too
      [[], [], [], []],
    ]);
    assert.deepEqual(json.total.map((t: { count: number }) => t.count), [2, 0, 2, 2]);
    const csv = (await runCliInProcess(["scan", file, "--format", "csv", "--collapse", "dead,ratio:0.4"])).stdout.trim().split("\n");
    assert.equal(csv[0], "layer,channels,dtype,identifiedBy,numBatchesTracked,dead,ratio:0.4,nonFinite,constantInput,r_median,r_min");
    assert.match(csv[1], /^bn1,3,F32,running stats,100,1,2,0,0,/);
    assert.match(csv[2], /^bn2,2,F32,running stats,100,0,1,0,0,/);
    const out = join(dir, "table.txt");
    const fig = join(dir, "figs", "r");
    mkdirSync(join(dir, "figs")); // --out and --figure name files in folders that exist (issue 18 item 9)
    const r = runCliChild(["scan", file, "--out", out, "--figure", fig]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(readFileSync(out, "utf8"), text.stdout);
    assert.deepEqual([...readFileSync(`${fig}.png`).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.match(readFileSync(`${fig}.svg`, "utf8"), /^<svg/);
  });
});

test("scan CLI: bad files and flags get one line and exit 2, and nothing is written", async () => {
  await withDir(async (dir) => {
    const good = join(dir, "good.safetensors");
    writeFileSync(good, safetensorsBytes(MODEL));
    const truncated = join(dir, "truncated.safetensors");
    writeFileSync(truncated, readFileSync(good).subarray(0, 100));
    const empty = join(dir, "empty.safetensors");
    writeFileSync(empty, "");
    const noBn = join(dir, "nobn.safetensors");
    writeFileSync(noBn, safetensorsBytes({ "fc.weight": f32([1], [1]) }));
    const out = join(dir, "out.txt");
    const cases: [string[], RegExp][] = [
      [["scan", truncated, "--out", out, "--figure", join(dir, "fig")], /truncated\.safetensors: .*(runs past|truncated)/],
      [["scan", empty, "--out", out], /empty file/],
      [["scan", join(dir, "missing.safetensors")], /cannot read: ENOENT/],
      [["scan", dir], /is a folder/],
      [["scan"], /FILE: missing/],
      [["scan", good, good], /expected one file, got 2/],
      [["scan", good, "--batch", "1"], /--batch: must be an integer in 2\.\./],
      [["scan", good, "--collapse", "dead,wobbly:3"], /--collapse: unknown criterion "wobbly:3"/],
      [["scan", good, "--collapse", "sparsity:1.5"], /--collapse: sparsity:S needs 0 < S < 1/],
      [["scan", good, "--format", "xml"], /--format: must be text or json or csv/],
      [["scan", good, "--shift", "abc"], /--shift: must be a number/],
      [["scan", noBn, "--figure", join(dir, "fig")], /--figure: no BN layers/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCliInProcess(argv);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(r.stdout, "");
    }
    assert.ok(!existsSync(out) && !existsSync(join(dir, "fig.png")), "nothing half-written");
    const none = await runCliInProcess(["scan", noBn]);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /no BN layers found/);
  });
});
