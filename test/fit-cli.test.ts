/** `bn-collapse fit` on the command line: output, help, and the one-line errors with exit code 2. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli } from "./in-process-cli.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { tempDir } from "./temp-dirs.ts";


const dir = tempDir("bnc-fit-");

function oneLineError(r: Awaited<ReturnType<typeof cli>>, pattern: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

test("fit prints the summary table, then text details, and JSON for a 3 x 2 grid, and says it simulated", async () => {
  const result = await runSweep(resolveSweep({ lr: "0.1,0.2,0.4", gamma: "0.5,1", steps: 100, trials: 100, batch: 8, collapse: "ratio:1.5" }), { workers: 1 });
  const file = join(dir, "grid.json");
  writeFileSync(file, stringifyResults(result));
  const text = await cli(["fit", file, "--trials", "200"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /P\(T\) vs lr at gamma=0.5, lr in \[0.1, 0.4\], B=8, T=100, sgd, ratio:1.5: (exponent|no exponent)/);
  assert.ok(text.stdout.indexOf("Summary") < text.stdout.indexOf("(a) P(T): "), "the summary comes first");
  // two gamma values: every line along gamma has two cells, and none gets a verdict
  assert.match(text.stdout, /P\(T\) vs gamma at lr=0.1, [^\n]*no verdict: 2 cells/);
  assert.match(text.stdout, /200 runs per cell with the sweep's seed 1/);
  const json = await cli(["fit", file, "--trials", "200", "--format", "json"]);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout);
  assert.equal(report.kind, "fit");
  assert.equal(report.estimators.length, 4);
  assert.equal(report.simulation.trials, 200);
  assert.equal(report.summary.length, 8);
  for (const e of report.estimators) for (const l of e.lines) if (l.axis === "gamma") assert.equal(l.verdict, "no verdict");
});

test("fit --help has an example; bad input gets one line and exit 2", async () => {
  const help = await cli(["fit", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Example:\n {2}bn-collapse sweep/);
  oneLineError(await cli(["fit"]), /RESULTS\.json: missing/);
  oneLineError(await cli(["fit", join(dir, "nope.json")]), /nope\.json: cannot read: ENOENT/);
  const notSweep = join(dir, "other.json");
  writeFileSync(notSweep, '{"tool":"bn-collapse","kind":"bench"}');
  oneLineError(await cli(["fit", notSweep]), /other\.json: is not a bn-collapse sweep result \(kind "bench"\)/);
  const csv = join(dir, "grid.csv");
  writeFileSync(csv, "lr,gamma\n0.1,1\n");
  oneLineError(await cli(["fit", csv]), /grid\.csv: is not JSON/);
  oneLineError(await cli(["fit", notSweep, "--format", "xml"]), /--format: must be text or json/);
  oneLineError(await cli(["fit", notSweep, "--trials", "many"]), /--trials: "many" is not a number/);
});

test("fit refuses a grid with fewer than two values of both lr and gamma", async () => {
  const result = await runSweep(resolveSweep({ lr: 0.2, gamma: 1, batch: "8,16", steps: 20, trials: 20 }), { workers: 1 });
  const file = join(dir, "single.json");
  writeFileSync(file, stringifyResults(result));
  oneLineError(await cli(["fit", file]), /single\.json: the grid has 1 lr and 1 gamma value\(s\)/);
});
