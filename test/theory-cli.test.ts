/** `bn-collapse theory`: its JSON, one cell per grid point, the numbers of the library, and errors. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { perStepTheory } from "../src/theory/per-step.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "bn-collapse.mjs");

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("theory --lr 0.05 --gamma 1 --beta 0 --batch 32 prints the per-step quantities, tau and a prediction", () => {
  const r = cli(["theory", "--lr", "0.05", "--gamma", "1", "--beta", "0", "--batch", "32", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.kind, "theory");
  assert.equal(out.cells.length, 1);
  const c = out.cells[0];
  for (const k of ["lr", "gamma", "beta", "batch", "perStep", "tau", "predicted"]) assert.ok(k in c, k);
  const th = perStepTheory({ lr: 0.05, gamma: 1, beta: 0, batch: 32, sigma: 1, alpha: 0 });
  assert.equal(c.perStep.driftR, th.driftR);
  assert.equal(c.perStep.varR, th.varR);
  assert.ok(c.perStep.driftR < 0 && c.perStep.driftSparsity > 0, "r = 0 drifts toward sparsity");
  assert.ok(Math.abs(c.tau - (0.05 ** 2 * 1000) / 32) < 1e-15, "tau with the default T = 1000");
  assert.ok(typeof c.predicted.p === "number" && c.predicted.p >= 0 && c.predicted.p < 0.01, `p = ${c.predicted.p}`);
  assert.match(c.predicted.method, /kolmogorov-2d/);
});

test("LISTs give one cell per grid point; unsupported settings get p = null with a reason", () => {
  const r = cli(["theory", "--lr", "0.1,0.2", "--beta", "0,-1", "--signal", "0,0.1", "--batch", "8", "--act", "leaky:0.1", "--predictor", "1d"]);
  assert.equal(r.code, 0, r.stderr);
  const cells = JSON.parse(r.stdout).cells;
  assert.equal(cells.length, 8);
  for (const c of cells) {
    if (c.signal === 0) assert.match(c.predicted.method, /kolmogorov-1d/);
    else assert.ok(c.predicted.p === null && /signal/.test(c.predicted.reason), JSON.stringify(c.predicted));
  }
});

test("bad input: one line naming the flag, exit 2", () => {
  for (const [args, re] of [
    [["theory", "--moments", "exact"], /--moments/],
  ] as Array<[string[], RegExp]>) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.equal(r.stdout, "");
  }
  const h = cli(["theory", "--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Example:\n  bn-collapse theory/);
});
