/**
 * Issue 18 item 8: the checks before a sweep count every cost: phase steps, the batch (and its input
 * dimension), fit's one-step runs, and a schedule expression is a bounded scalar formula.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { checkSweepBudget, estimateSweepBytes } from "../src/ensemble/budget.ts";
import { ConfigError } from "../src/model/errors.ts";
import { cli, oneLine, tempDir } from "./robust-cli.ts";
import { join } from "node:path";

const GiB = 2 ** 30;

test("phase steps count in the memory estimate: 3e8 phase updates are refused on a 8 GiB machine", () => {
  const plain = resolveSweep({ steps: 1000 });
  const phased = resolveSweep({ steps: 1000, phases: '[{"steps":300000000,"lr":0.1}]' });
  // learning-rate tables: 8 bytes an update per thread (3 threads with 2 workers)
  assert.ok(estimateSweepBytes(phased, 2) - estimateSweepBytes(plain, 2) >= 3 * 8 * 3e8);
  assert.throws(() => checkSweepBudget(phased, 2, 8 * GiB), (e) => e instanceof ConfigError && e.field === "phases" && /GiB/.test(e.message));
  checkSweepBudget(plain, 2, 8 * GiB);
});

test("the batch counts: --batch 1e8 and --batch 1e8 --input linear:4096 are refused up front, exit 2", () => {
  for (const args of [["--batch", "1e8"], ["--batch", "100000000", "--input", "linear:4096"], ["--batch", "30000", "--input", "linear:4096"]]) {
    const r = cli(["sweep", "--workers", "2", ...args], { timeout: 30_000 });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /--batch|--trials/);
  }
});

test("fit bounds its one-step runs: --trials 1e12 and --gap 1e308 are refused naming the flag", (t) => {
  const dir = tempDir(t);
  const file = join(dir, "g.json");
  assert.equal(cli(["sweep", "--lr", "0.1,0.2", "--batch", "256", "--steps", "20", "--trials", "20", "--workers", "1", "--quiet", "--out", file]).code, 0);
  for (const [args, re] of [[["--trials", "1e12"], /--trials/], [["--trials", "90000000"], /--trials: .*batch updates/], [["--gap", "1e308"], /--gap/]] as const) {
    const r = cli(["fit", file, ...args], { timeout: 30_000 });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, re);
  }
});

test("a schedule is a scalar formula: matrices, unknown functions and assignments are refused before any work", () => {
  for (const expr of ["sum(ones(10000,10000))", "sum(ones(1000,1000))/1e6", "f(x) = x", "[1, 2]", "a = 1", "1:10", `${"t+".repeat(600)}1`]) {
    const r = cli(["sweep", "--schedule", expr, "--steps", "100", "--trials", "10", "--workers", "1"], { timeout: 30_000 });
    assert.equal(r.code, 2, `${expr}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, /--schedule/);
  }
  for (const expr of ["0.5^floor(t/100)", "t < T/2 ? 1 : 0.1", "max(0.1, 1 - t/T)", "exp(-t/T) * cos(pi * t / T)^2"]) {
    const r = cli(["sweep", "--schedule", expr, "--lr", "0.1", "--steps", "50", "--trials", "10", "--workers", "1", "--quiet"], { timeout: 30_000 });
    assert.equal(r.code, 0, `${expr}: ${r.stderr}`);
  }
});
