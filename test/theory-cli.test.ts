/** `bn-collapse theory`: its JSON and CSV, the two predictors per cell, what they refuse, and errors. */
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

function theory(args: string[]) {
  const r = cli(["theory", ...args, "--format", "json", "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("theory prints per cell the per-step quantities, tau and both predictions with their methods", () => {
  const out = theory(["--lr", "0.05", "--gamma", "1", "--beta", "0", "--batch", "8", "--collapse", "ratio:2", "--steps", "400", "--finite-step", "off"]);
  assert.equal(out.kind, "theory");
  assert.ok(out.about.diffusion && out.about.finiteStep, "the JSON explains its fields");
  const c = out.cells[0];
  for (const k of ["lr", "gamma", "beta", "batch", "steps", "tau", "perStep", "diffusion", "finiteStep"]) assert.ok(k in c, k);
  const th = perStepTheory({ lr: 0.05, gamma: 1, beta: 0, batch: 8, sigma: 1, alpha: 0 });
  assert.equal(c.perStep.driftR, th.driftR);
  assert.equal(c.perStep.varR, th.varR);
  assert.ok(Math.abs(c.tau - (0.05 ** 2 * 400) / 8) < 1e-15);
  assert.match(c.diffusion.method, /kolmogorov-2d/);
  assert.ok(typeof c.diffusion.p === "number" && c.diffusion.p > 0 && c.diffusion.p < 0.05, JSON.stringify(c.diffusion));
  assert.ok(c.diffusion.convergence.change < c.diffusion.convergence.tolerance, "the number passed its convergence check");
  assert.deepEqual(c.finiteStep, { p: null, method: "none", reason: "--finite-step off" });
});

test("momentum, Adam, AdamW and Student-t: no number under another name, a reason instead", () => {
  const cells = [
    ["--optimizer", "momentum:0.9"],
    ["--optimizer", "adam"],
    ["--optimizer", "adamw"],
    ["--noise", "student:2.5"],
  ].map((extra) => theory(["--lr", "0.1", "--batch", "8", "--collapse", "ratio:2", "--steps", "100", ...extra]).cells[0]);
  for (const c of cells.slice(0, 3)) {
    assert.equal(c.perStep.driftR, null);
    assert.match(c.perStep.reason, /momentum|adam/);
    for (const pred of [c.diffusion, c.finiteStep]) {
      assert.equal(pred.p, null);
      assert.match(pred.reason, /optimizer (momentum|adam|adamw): the predictors model plain SGD only/);
    }
  }
  const student = cells[3];
  assert.equal(typeof student.perStep.driftR, "number", "leading order needs only the noise covariance");
  for (const pred of [student.diffusion, student.finiteStep]) {
    assert.equal(pred.p, null);
    assert.match(pred.reason, /Student-t/);
  }
});

test("--format csv: one row per cell, the same numbers as the JSON, reasons quoted", () => {
  const args = ["theory", "--lr", "0.05,0.1", "--batch", "8", "--collapse", "ratio:2", "--steps", "200", "--noise", "student:2.5", "--quiet"];
  const csv = cli([...args, "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split("\n");
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^lr,gamma,beta,batch,weightDecay,signal,steps,tau,driftR,.*,diffusion_p,.*,finiteStep_p,/);
  assert.match(lines[1], /^0\.05,1,0,8,0,0,200,/);
  assert.match(lines[1], /,"Student-t noise \(nu = 2\.5\): not modelled; [^"]*, [^"]*",/, "a reason with commas is quoted");
  const json = JSON.parse(cli([...args, "--format", "json"]).stdout);
  assert.ok(lines[2].startsWith(`0.1,1,0,8,0,0,200,${json.cells[1].tau},`));
});

/**
 * The "done when", at a cheaper setting for CI: B = 32, dead, lr 0.63, gamma0 1, T = 1000
 * (p ~ 0.13; 4000 runs of the engine give SE ~ 0.0053). The diffusion has no number (dead at B >= 6), the
 * finite-step predictor agrees with `sweep` within 2 combined SEs (the sweep's binomial SE, and 1% of p
 * for the predictor's own error: pre-sample spread <= 0.4% and grid error < 1% at these settings).
 * The full setting (lr 0.2, T = 4000) is in docs/theory.md section 6.
 */
test("done when: theory --collapse dead at B = 32 has no diffusion number but a reason, and a finite-step number that sweep confirms", () => {
  const flags = ["--lr", "0.63", "--gamma", "1", "--beta", "0", "--batch", "32", "--steps", "1000", "--collapse", "dead"];
  const c = theory(flags).cells[0];
  assert.equal(c.diffusion.p, null);
  assert.match(c.diffusion.reason, /Feller/);
  assert.match(c.finiteStep.method, /finite-step transfer operator/);
  const sweep = cli(["sweep", ...flags, "--trials", "4000", "--workers", "2", "--format", "json", "--quiet"]);
  assert.equal(sweep.code, 0, sweep.stderr);
  const mc = JSON.parse(sweep.stdout).cells[0];
  const se = Math.hypot(mc.se, 0.01 * c.finiteStep.p);
  assert.ok(Math.abs(mc.p - c.finiteStep.p) < 2 * se, `finite-step ${c.finiteStep.p}, sweep ${mc.p} +- ${mc.se}`);
});

test("the scale symmetry: cells with the same lr/gamma0 and beta0/gamma0 get the same finite-step number", () => {
  const out = theory(["--lr", "0.2,0.4", "--gamma", "1,2", "--batch", "32", "--collapse", "dead", "--steps", "100", "--predictor", "none"]);
  const at = (lr: number, gamma: number) => out.cells.find((c: { lr: number; gamma: number }) => c.lr === lr && c.gamma === gamma);
  assert.equal(at(0.2, 1).finiteStep.p, at(0.4, 2).finiteStep.p);
  assert.notEqual(at(0.2, 1).finiteStep.p, at(0.4, 1).finiteStep.p);
  assert.equal(at(0.2, 1).diffusion.reason, "--predictor none");
});

test("bad input: one line naming the flag, exit 2", () => {
  for (const [args, re] of [
    [["theory", "--moments", "exact"], /--moments/],
    [["theory", "--finite-step", "maybe"], /--finite-step/],
    [["theory", "--predictor"], /--predictor/],
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
  assert.match(h.stdout, /--finite-step/);
});
