/**
 * AMS (src/ensemble/ams-run.ts) against brute-force Monte Carlo where both can run, P from 1e-1 to
 * 1e-4, and the unbiasedness of the generalised algorithm at a tiny N. Every seed is fixed, so each
 * run gives the same numbers every time; the tolerances come from the estimators' standard errors:
 * z = (p_ams - p_mc) / sqrt(se_ams^2 + se_mc^2) must satisfy |z| < 4 (a false alarm at 4 sigma has
 * probability ~6e-5 per comparison if both are right, while a biased estimator fails it as soon as
 * its bias exceeds a few SE).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileProblem } from "../src/engine/compiled.ts";
import { runAms } from "../src/ensemble/ams-run.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import type { CellResult } from "../src/solution/result.ts";

async function oneCell(raw: Record<string, unknown>): Promise<CellResult> {
  const r = await runSweep(resolveSweep(raw), { workers: 1 });
  assert.equal(r.cells.length, 1);
  return r.cells[0];
}

const zScore = (a: { p: number | null; se: number | null }, b: { p: number | null; se: number | null }) =>
  (a.p! - b.p!) / Math.sqrt(a.se! ** 2 + b.se! ** 2);

interface Case {
  name: string;
  setting: Record<string, unknown>;
  mcTrials: number;
  /** the decade brute force puts P in: the test checks the setting is where its name says */
  decade: [number, number];
}

const CASES: Case[] = [
  { name: "mechanistic B = 8, SGD, P ~ 0.25", setting: { lr: 0.4, batch: 8, steps: 50, collapse: "ratio:2" }, mcTrials: 20_000, decade: [0.1, 1] },
  { name: "mechanistic B = 8, SGD, P ~ 2e-2", setting: { lr: 0.2, batch: 8, steps: 50, collapse: "ratio:2" }, mcTrials: 20_000, decade: [1e-2, 1e-1] },
  { name: "mechanistic B = 32, Adam, P ~ 4e-2", setting: { lr: 0.05, batch: 32, steps: 40, optimizer: "adam", collapse: "ratio:1.5" }, mcTrials: 10_000, decade: [1e-2, 1e-1] },
  { name: "mechanistic B = 8, Adam, P ~ 3e-3", setting: { lr: 0.035, batch: 8, steps: 40, optimizer: "adam", collapse: "ratio:1.5" }, mcTrials: 20_000, decade: [1e-3, 1e-2] },
  {
    name: "mechanistic B = 16, momentum and a cosine schedule, the gamma criterion, P ~ 0.17",
    setting: { lr: 0.1, batch: 16, steps: 60, optimizer: "momentum:0.9", schedule: "cosine", collapse: "gamma:0.3" },
    mcTrials: 10_000,
    decade: [0.1, 1],
  },
  {
    name: "mechanistic B = 8, Student-t noise, psBN, an Adam phase before, the sparsity criterion, P ~ 5e-2",
    setting: { lr: 0.15, batch: 8, steps: 60, noise: "student:4", norm: "psbn", phases: [{ steps: 20, lr: 0.05, optimizer: "adam" }], collapse: "sparsity:0.97" },
    mcTrials: 10_000,
    decade: [1e-2, 1e-1],
  },
  { name: "mechanistic B = 8, the revive norm, ratio:3 beyond the dead cone, P ~ 5e-2", setting: { lr: 0.3, batch: 8, steps: 60, beta: -1, norm: "revive:0.5:2", collapse: "ratio:3" }, mcTrials: 10_000, decade: [1e-2, 1e-1] },
  { name: "reduced B = 32, AdamW with decay 0.1, P ~ 1e-2", setting: { model: "reduced", lr: 0.03, batch: 32, steps: 60, optimizer: "adamw", weightDecay: 0.1, collapse: "ratio:1.5" }, mcTrials: 20_000, decade: [1e-3, 1e-1] },
  { name: "reduced B = 8, SGD, P ~ 2e-4", setting: { model: "reduced", lr: 0.12, batch: 8, steps: 50, collapse: "ratio:2" }, mcTrials: 400_000, decade: [1e-4, 1e-3] },
];

for (const c of CASES) {
  test(`AMS (both scores) agrees with brute force within 4 combined SE: ${c.name}`, async () => {
    const mc = await oneCell({ ...c.setting, trials: c.mcTrials, seed: 11 });
    assert.ok(mc.p! >= c.decade[0] && mc.p! < c.decade[1], `brute force p = ${mc.p} is outside ${c.decade}`);
    for (const score of ["extreme", "time"]) {
      const ams = await oneCell({ ...c.setting, estimator: `ams:50:5:${score}`, amsRuns: 40, seed: 12 });
      assert.ok(ams.ams !== undefined && ams.ams.runs === 40 && ams.ams.replicas === 50);
      const z = zScore(ams, mc);
      process.stderr.write(`  ${c.name}, ${score}: mc ${mc.p!.toExponential(3)} +- ${mc.se!.toExponential(2)}, ams ${ams.p!.toExponential(3)} +- ${ams.se!.toExponential(2)}, z = ${z.toFixed(2)}\n`);
      assert.ok(Math.abs(z) < 4, `${score}: z = ${z}`);
      // AMS's own interval is a t interval around its mean
      assert.ok(ams.ci95[0] <= ams.p! && ams.p! <= ams.ci95[1]);
    }
  });
}

test("generalised AMS is unbiased at N = 3, k = 1 (ties at the level killed too): the mean of 3000 runs against brute force", async () => {
  // a tiny N is where a bias of the estimator would show: the test's 4 SE are ~14% of P here. Scores
  // tie often in this setting (a branch whose continuation never rises keeps its branch point's score),
  // so the rule "kill every replica at or below the k-th lowest" is what is being checked
  const setting = { lr: 0.2, batch: 8, steps: 50, collapse: "ratio:2" };
  const mc = await oneCell({ ...setting, trials: 40_000, seed: 21 });
  const sweep = resolveSweep({ ...setting, estimator: "ams:3:1", amsRuns: 1, seed: 22 });
  const c = compileProblem(sweep.template);
  const M = 3000;
  for (const score of ["extreme", "time"] as const) {
    let sum = 0, sum2 = 0, killed = 0, levels = 0;
    for (let run = 0; run < M; run++) {
      const r = runAms(c, { replicas: 3, kill: 1, score }, 22, "unbiased", run);
      sum += r.p;
      sum2 += r.p * r.p;
      killed += r.killed;
      levels += r.iterations;
    }
    const p = sum / M, se = Math.sqrt((sum2 / M - p * p) / (M - 1));
    const z = zScore({ p, se }, mc);
    process.stderr.write(`  N = 3, ${score}: mean of ${M} runs ${p.toExponential(3)} +- ${se.toExponential(2)}, mc ${mc.p!.toExponential(3)} +- ${mc.se!.toExponential(2)}, z = ${z.toFixed(2)}; ${killed - levels} extra kills from ties\n`);
    assert.ok(killed > levels, "the setting has ties at a level (more kills than iterations x k), so the tie rule is exercised");
    assert.ok(Math.abs(z) < 4, `${score}: z = ${z}`);
  }
});

test("AMS returns 0 where collapse is impossible, and a replica at the level from the start ends the run at once", async () => {
  // Adam moves each parameter by about lr per update: 40 updates of 0.01 cannot take r from 0 to -1.5
  const none = await oneCell({ lr: 0.01, batch: 8, steps: 40, optimizer: "adam", collapse: "ratio:1.5", estimator: "ams:20:2", amsRuns: 4, seed: 3 });
  assert.equal(none.p, 0);
  assert.equal(none.ams!.runsExtinct + none.ams!.runsBelowFloor, 4);
  assert.ok(none.ams!.warnings.some((w) => /reached the collapse level/.test(w)));
  // a criterion every state meets after one update: p = 1 with no iteration
  // resolveSweep refuses such a criterion and a start past it (issue 18 items 11, 12), so the
  // estimator's own handling of it is run on the problem as data, the criterion put in directly
  assert.throws(() => resolveSweep({ lr: 0.01, batch: 8, steps: 5, collapse: "ratio:-100" }), /ratio:C needs C >= 0/);
  const spec = resolveSweep({ lr: 0.01, batch: 8, steps: 5, collapse: "ratio:1.5", estimator: "ams:10:1", amsRuns: 3, seed: 3 });
  const r = await runSweep({ ...spec, template: { ...spec.template, collapse: { kind: "ratio", c: -100 } } }, { workers: 1 });
  const all = r.cells[0];
  assert.equal(all.p, 1);
  assert.equal(all.ams!.iterations.max, 0);
});
