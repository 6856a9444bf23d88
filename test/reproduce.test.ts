/** `reproduce --quick` end to end in a temp dir: every figure of the set, its four files, the index, the cache. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.ts";
import { EXPERIMENTS } from "../src/experiments/set.ts";
import { cacheKey, canonicalJson } from "../src/experiments/cache.ts";
import { crossing } from "../src/experiments/crossing.ts";
import { predictedAt, type PredictedCurve } from "../src/experiments/prediction.ts";
import { parseReproduceInvocation } from "../src/cli/reproduce-command.ts";
import { checkFigure } from "../src/render/figure-check.ts";

test("reproduce --quick writes every figure (PNG, SVG, spec, CSV) and an index; a re-run takes all from the cache", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-reproduce-"));
  try {
    assert.equal(await main(["reproduce", "--quick", "--out", dir, "--quiet"]), 0);
    const index = readFileSync(join(dir, "README.md"), "utf8");
    for (const e of EXPERIMENTS) {
      for (const ext of [".png", ".svg", ".pdf", ".vl.json", ".csv"]) {
        const f = join(dir, e.id + ext);
        assert.ok(existsSync(f) && statSync(f).size > (ext === ".csv" ? 0 : 100), `${e.id}${ext} missing or empty`);
      }
      assert.ok(index.includes(`](${e.id}.png)`), `index lacks ${e.id}`);
      const spec = JSON.parse(readFileSync(join(dir, `${e.id}.vl.json`), "utf8"));
      assert.match(spec.$schema, /vega-lite/);
    }
    assert.equal((index.match(/\*\*Measured\.\*\*/g) ?? []).length, EXPERIMENTS.length);
    assert.match(index, /## Reproducibility[\s\S]*Versions: bn-collapse/);
    assert.doesNotMatch(index, /issue \d/, "the index names no internal issue");
    // the theory and the analysis are drawn: the predictor's curves, the analytic drift, every estimator's exponents
    const tau = readFileSync(join(dir, "p-vs-tau.vl.json"), "utf8");
    assert.ok(tau.includes("finite-step predictor") && tau.includes("\"detail\""), "p-vs-tau lacks the finite-step predictor's lines");
    const drift = readFileSync(join(dir, "drift.csv"), "utf8").split("\n");
    assert.ok(drift[0].split(",").includes("predicted") && drift.length > 5, "drift lacks the analytic line");
    const exps = readFileSync(join(dir, "exponents.csv"), "utf8");
    for (const e of ["(a) P(T)", "(b) median first passage", "(c) sparsity drift", "(d) one-step P near the boundary"]) assert.ok(exps.includes(e), `exponents lacks ${e}`);
    assert.match(index, /the paper's -?2 is (inside|outside) the (unadjusted )?95% interval|not a power law here|no verdict/);
    // the findings of a run outside figures/ go next to its figures, never to docs/findings.md
    const findings = readFileSync(join(dir, "findings.md"), "utf8");
    assert.match(findings, /^# Findings: does the lr²\/γ₀² law hold\?/);
    assert.match(findings, /quick set/);
    // a row (estimator, regime, figure, axis, law, exponent, cells, goodness of fit, verdict, where, its lines)
    // whose goodness of fit has p < 0.01 claims neither "holds" nor "consistent"
    let rows = 0;
    for (const row of findings.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| estimator") && !l.startsWith("| ---"))) {
      const cols = row.split(" | ");
      const p = /on \d+ dof, p (?:=|<=|<) ([\d.e+-]+)/.exec(cols[7]);
      rows++;
      if (p && Number(p[1]) < 0.01) assert.doesNotMatch(cols.slice(0, 10).join(" | "), /holds|consistent/, row);
    }
    assert.ok(rows > 10, `${rows} findings`);
    // every figure passes the figure check (src/render/figure-check.ts): nothing hidden, cut or overlapping
    for (const e of EXPERIMENTS) {
      const defects = await checkFigure(JSON.parse(readFileSync(join(dir, `${e.id}.vl.json`), "utf8")));
      assert.deepEqual(defects, [], `${e.id}: ${defects.map((d) => `${d.kind}: ${d.message}`).join("; ")}`);
    }
    const png = readFileSync(join(dir, "p-vs-lr.png"));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);

    const before = readFileSync(join(dir, "p-vs-lr.csv"), "utf8");
    const svgBefore = readFileSync(join(dir, "p-vs-lr.svg"), "utf8");
    assert.equal(readFileSync(join(dir, "p-vs-lr.pdf")).subarray(0, 5).toString(), "%PDF-");
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
    try {
      assert.equal(await main(["reproduce", "--quick", "--out", dir, "--only", "p-vs-lr,heatmap"]), 0);
    } finally {
      process.stderr.write = write;
    }
    assert.match(lines.join(""), /0 measurements computed/);
    assert.equal(readFileSync(join(dir, "p-vs-lr.csv"), "utf8"), before);
    // the same SVG bytes when drawn alone (clip-path ids do not depend on what was drawn before)
    assert.equal(readFileSync(join(dir, "p-vs-lr.svg"), "utf8"), svgBefore);
    // --only updates its figures' sections in place and keeps every other figure's, numbers included
    const after = readFileSync(join(dir, "README.md"), "utf8");
    const strip = (md: string) => md.replace(/ --only \S+`/g, "`");
    assert.equal(strip(after), strip(index));
    assert.match(after, /made by `bn-collapse reproduce --quick --only p-vs-lr,heatmap`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("flags: --quick defaults to figures/quick, --only checks its ids", () => {
  const inv = parseReproduceInvocation(["--quick"]);
  assert.ok(inv !== "help" && inv.out === "figures/quick" && inv.mode === "quick");
  assert.throws(() => parseReproduceInvocation(["--only", "nope"]), /--only/);
});

test("cache keys do not depend on key order", () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
  assert.equal(cacheKey({ a: 1, b: 2 }), cacheKey({ b: 2, a: 1 }));
  assert.notEqual(cacheKey({ a: 1 }), cacheKey({ a: 2 }));
});

test("crossings of a level; the predicted curve between its solves", () => {
  assert.ok(Math.abs(crossing([{ x: 1, p: 0 }, { x: 4, p: 0.2 }], 0.1)! - 2) < 1e-12);
  assert.equal(crossing([{ x: 1, p: 0 }, { x: 4, p: 0.05 }], 0.1), null);
  const curve = { points: [{ tau: 1, p: 0.01 }, { tau: 4, p: 0.04 }, { tau: 16, p: 0.5 }] } as PredictedCurve;
  assert.ok(Math.abs(predictedAt(curve, 2)! - 0.02) < 1e-12); // a power law between solves is exact in log-log
  assert.equal(predictedAt(curve, 4), 0.04);
  assert.equal(predictedAt(curve, 0.5), null);
});
