/**
 * The findings reproduce writes (src/experiments/findings.ts): where they go (only the full set into
 * figures/ replaces docs/findings.md), and that their statements follow the verdict rules: a rejected
 * power law quotes local exponents, never one exponent, and no row whose goodness of fit fails claims
 * "holds" or "consistent".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReproduceInvocation } from "../src/cli/reproduce-command.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { collectFindings, findingsMarkdown } from "../src/experiments/findings.ts";
import type { Experiment } from "../src/experiments/types.ts";
import type { DriftPoint } from "../src/plot/data.ts";

test("findings go to docs/findings.md only for the full set into figures/", () => {
  const inv = (args: string[]) => {
    const r = parseReproduceInvocation(args);
    assert.ok(r !== "help");
    return r.findings;
  };
  assert.equal(inv([]), "docs/findings.md");
  assert.equal(inv(["--quick"]), "figures/quick/findings.md");
  assert.equal(inv(["--out", "elsewhere"]), "elsewhere/findings.md");
  assert.equal(inv(["--quick", "--out", "figures"]), "figures/findings.md");
  assert.equal(inv(["--only", "p-vs-lr"]), null);
  assert.equal(inv(["--findings", "x.md", "--quick"]), "x.md");
  assert.throws(() => parseReproduceInvocation(["--only", "p-vs-lr", "--findings", "x.md"]), /--findings: needs the whole figure set/);
});

test("findings of a comparison and a drift figure: verdicts by the rules, local exponents where the power law fails", async () => {
  // a comparison with one variant on a power law's side of the curve and one far into saturation
  const exp = (id: string, figure: Experiment["figure"]): Experiment => ({ id, title: id, figure, claim: "", measurements: [] }) as unknown as Experiment; // findings read only the id and kind
  const sgd = await runSweep(resolveSweep({ lr: "0.1,0.16,0.25,0.4,0.63", gamma: 1, batch: 32, steps: 300, trials: 300, collapse: "ratio:3" }), { workers: 1 });
  const momentum = await runSweep(resolveSweep({ lr: "0.1,0.16,0.25,0.4,0.63", gamma: 1, batch: 32, steps: 300, trials: 300, collapse: "ratio:3", optimizer: "momentum:0.9" }), { workers: 1 });
  // drift points on an exact power law with 1% errors, and a line that bends
  const drift: DriftPoint[] = [
    ...[0.05, 0.1, 0.2, 0.4].map((lr) => ({ axis: "lr" as const, lr, gamma: 1, drift: 0.01 * lr * lr, lo: 0.01 * lr * lr * (1 - 0.0196), hi: 0.01 * lr * lr * (1 + 0.0196) })),
    ...[0.5, 1, 2, 4].map((g) => ({ axis: "gamma" as const, lr: 0.2, gamma: g, drift: 1e-3 / (g * g + g ** 4), lo: (1e-3 / (g * g + g ** 4)) * 0.99, hi: (1e-3 / (g * g + g ** 4)) * 1.01 })),
  ];
  const { config: spec, template } = resolveSweep({ lr: 0.2, gamma: 1, batch: 32, steps: 1 });
  const findings = collectFindings([
    { exp: exp("optimisers", "comparison"), number: 8, measured: [{ kind: "sweep", label: "SGD", result: sgd }, { kind: "sweep", label: "momentum", result: momentum }], derived: {} },
    { exp: exp("drift", "drift"), number: 6, measured: [{ kind: "drift", label: "drift", spec, template, points: drift }], derived: {} },
  ]);
  assert.equal(findings.length, 4);
  const [lr, gamma] = findings.filter((f) => f.estimator.includes("drift"));
  assert.equal(lr.verdict, "holds");
  assert.match(lr.exponent, /^2\.00 \[/);
  assert.equal(gamma.verdict, "not a power law");
  assert.match(gamma.exponent, /^\(local -\d/); // the range of local exponents, not one exponent
  assert.match(gamma.where, /not a power law: local exponent/);
  for (const f of findings) {
    if (f.gof && f.gof.pValue < 0.01) assert.doesNotMatch(`${f.verdict} ${f.where} ${f.sentence}`, /holds|consistent/, f.sentence);
    if (f.verdict === "not a power law") assert.match(f.sentence, /not a power law here: (local exponents from|a local exponent of)/);
  }
  const md = findingsMarkdown(findings, { mode: "full", figures: "../figures", command: "bn-collapse reproduce" });
  assert.match(md, /\[8\]\(\.\.\/figures\/optimisers\.png\)/);
  assert.match(md, /\| per-step sparsity drift \| one update from β₀ = 0, B = 32, sgd, η = 0.2 \|/);
  assert.match(md, /Multiplicity: Holm's step-down correction/);
  assert.doesNotMatch(md, /undefined|NaN/);
});
