/**
 * `bn-collapse fit` on the README's grid, run as the README says: the summary table comes first, and
 * every verdict follows the rules (docs/scaling-analysis.md): no line or pooled fit whose goodness of
 * fit has p < 0.01 says "holds" or "consistent", no line with fewer than 3 cells gets a verdict, and
 * "holds" / "does not hold" follow their tests. The numbers docs/scaling-analysis.md quotes for this
 * grid are checked against the run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./in-process-cli.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { fitSweep, type FitReport } from "../src/analysis/fit-sweep.ts";
import { parseSweepResult } from "../src/analysis/load.ts";
import { fmt } from "../src/analysis/regime.ts";
import { summaryCells } from "../src/analysis/text.ts";
import type { LineFit, PooledFit } from "../src/analysis/scaling.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { ConfigError } from "../src/model/errors.ts";

/** The README's `sweep` command of the `fit` section, as arguments (continuation lines joined). */
function readmeGridArgs(): string[] {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const m = /npx bn-collapse sweep (--lr 0\.05:0\.4:6log[^\n]*\\\n[^\n]*--out grid\.json --quiet)/.exec(readme);
  assert.ok(m, "the README's fit section has its sweep command");
  return m[1].replace(/\\\n/g, " ").split(/\s+/).filter(Boolean);
}

function allFits(r: FitReport): (LineFit | PooledFit)[] {
  return r.estimators.flatMap((e) => [...e.lines, ...[e.pooled.lr, e.pooled.gamma].flatMap((p) => (p ? [p] : []))]);
}

test("fit on the README's grid: the summary table first, and verdicts that follow their tests", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-fit-readme-"));
  try {
    const file = join(dir, "grid.json");
    const args = readmeGridArgs().map((a) => (a === "grid.json" ? file : a));
    assert.equal((await cli(["sweep", ...args, "--workers", "1"])).code, 0);
    const json = await cli(["fit", file, "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as FitReport;
    const text = await cli(["fit", file]);
    assert.equal(text.code, 0, text.stderr);
    // the summary table comes before the details
    const summaryAt = text.stdout.indexOf("Summary");
    assert.ok(summaryAt > 0 && summaryAt < text.stdout.indexOf("(a) P(T): "), "summary table first");
    assert.match(text.stdout, /estimator +axis +law +exponent +95% interval +cells +goodness of fit +verdict/);
    assert.equal(report.summary.length, 8);
    for (const row of report.summary) assert.ok(text.stdout.includes(`${row.estimator}`) && text.stdout.includes(row.verdict.split(" ")[0]));
    assert.match(text.stdout, /Multiplicity: Holm's step-down correction/);

    const fits = allFits(report);
    assert.ok(fits.length > 20);
    let rejected = 0;
    for (const f of fits) {
      const gof = f.fit?.gof;
      if (gof && gof.pValue < 0.01) {
        rejected++;
        assert.doesNotMatch(f.sentence, /holds|consistent/, f.sentence);
      }
      if (f.used < 3) assert.equal(f.verdict, "no verdict", f.sentence);
      if (f.verdict === "holds") {
        assert.ok(gof && gof.pValue >= 0.05 && f.fit!.law!.pValue >= 0.05, f.sentence);
        assert.match(f.sentence, /consistent with the/);
      }
      if (f.verdict === "does not hold") assert.ok(gof && gof.pValue >= 0.05 && f.fit!.law!.pValue < 0.05, f.sentence);
      if (f.verdict === "not a power law") assert.match(f.sentence, /not a power law here: (local exponents from|a local exponent of)/, f.sentence);
    }
    assert.ok(rejected > 0, "the grid has lines where the power law is rejected (P(T) bends)");
    // (a) is fitted to every cell: zero counts are in
    const p = report.estimators[0];
    assert.equal(p.pooled.lr!.used, 36);
    // The drift is a one-step quantity with leading order lr^2/gamma^2 and relative corrections
    // O(lr^2/(B gamma^2)) <= 8% at the grid's largest lr/gamma; its pooled SE here is ~0.01. So a
    // pooled exponent outside 2 +- 0.15 would mean a broken estimator, not higher-order physics.
    const drift = report.estimators[2];
    assert.ok(Math.abs(drift.pooled.lr!.fit!.slope! - 2) < 0.15, `drift lr ${drift.pooled.lr!.fit!.slope}`);
    assert.ok(Math.abs(drift.pooled.gamma!.fit!.slope! + 2) < 0.15, `drift gamma ${drift.pooled.gamma!.fit!.slope}`);
    // On one B and T with plain SGD the collapse onto tau is exact by construction, and it is said so.
    assert.equal(report.collapse.trivial, true);
    assert.match(report.collapse.sentence, /exact by construction here/);

    // the numbers docs/scaling-analysis.md quotes for this grid: its summary table, as a markdown table
    const doc = readFileSync(new URL("../docs/scaling-analysis.md", import.meta.url), "utf8");
    for (const row of report.summary) {
      const cells = `| ${summaryCells(row).join(" | ")} |`;
      assert.ok(doc.includes(cells), `docs/scaling-analysis.md lacks the row\n${cells}`);
    }
    const collapse = report.collapse.test;
    assert.ok(doc.includes(`polynomial deviance ${fmt(collapse.polynomial!.chi2)} on ${collapse.polynomial!.dof} dof`), "the collapse test's polynomial deviance");
    assert.ok(doc.includes(`equal-tau deviance ${fmt(collapse.equalTau!.chi2)} on ${collapse.equalTau!.dof} dof`), "the collapse test's equal-tau deviance");
    assert.equal(collapse.rejected, false);
    assert.ok(doc.includes(`(${report.estimators[1].pooled.lr!.used} of 36 cells)`), "the median's usable cells");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input is a ConfigError naming the problem", async () => {
  assert.throws(() => parseSweepResult("not json", "x.json"), (e) => e instanceof ConfigError && /is not JSON/.test(e.message));
  assert.throws(() => parseSweepResult('{"kind":"fit","tool":"bn-collapse"}', "x.json"), (e) => e instanceof ConfigError && /not a bn-collapse sweep result/.test(e.message));
  const one = await runSweep(resolveSweep({ lr: 0.2, gamma: 1, steps: 20, trials: 20, batch: 8 }), { workers: 1 });
  assert.throws(() => fitSweep(one, { trials: 10 }, "one.json"), (e) => e instanceof ConfigError && /one\.json: the grid has 1 lr and 1 gamma/.test(e.message));
  // the JSON round trip reads what sweep writes
  assert.equal(parseSweepResult(stringifyResults(one), "r.json").cells.length, 1);
});
