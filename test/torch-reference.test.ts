/**
 * The single unit written independently in PyTorch (reference/pytorch/single_unit.py: torch's own
 * batch_norm, autograd, and torch.optim's SGD, momentum, Adam, AdamW) against `bn-collapse sweep` at
 * settings across optimisers, batch sizes, criteria, weight decay, a signal and a non-default
 * (gamma0, beta0, sigma). The two use different random numbers, so they agree in distribution: each
 * case passes when |p_torch - p_sweep| <= 3 sqrt(se_torch^2 + se_sweep^2), the binomial standard
 * errors of the two estimates (4000 trajectories each, fixed seeds). About a minute on one core.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { torchOrSkip } from "./python-torch.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TRIALS = 4000;
const STEPS = 300;

interface Case {
  lr: number;
  batch: number;
  collapse: string;
  optimizer: string;
  gamma?: number;
  beta?: number;
  sigma?: number;
  weight_decay?: number;
  signal?: number;
}

// chosen so that p is between 0.15 and 0.6, where a discrepancy shows most
const CASES: Case[] = [
  { lr: 0.5, batch: 32, collapse: "ratio:3", optimizer: "sgd" },
  { lr: 0.2, batch: 8, collapse: "sparsity:0.9", optimizer: "sgd", gamma: 0.5, beta: 0.25, sigma: 0.5, weight_decay: 0.01 },
  { lr: 0.02, batch: 8, collapse: "dead", optimizer: "momentum:0.9" },
  { lr: 0.04, batch: 32, collapse: "sparsity:0.99", optimizer: "momentum:0.9", signal: -0.01 },
  { lr: 0.05, batch: 8, collapse: "dead", optimizer: "adam" },
  { lr: 0.05, batch: 32, collapse: "ratio:2", optimizer: "adam" },
  { lr: 0.05, batch: 8, collapse: "dead", optimizer: "adamw", weight_decay: 0.05 },
];

function sweepCell(c: Case): { p: number; se: number; trials: number; nonFinite: number } {
  const args = [
    "bin/bn-collapse.mjs", "sweep", "--lr", String(c.lr), "--batch", String(c.batch), "--collapse", c.collapse,
    "--optimizer", c.optimizer, "--gamma", String(c.gamma ?? 1), "--beta", String(c.beta ?? 0),
    "--noise", `gauss:${c.sigma ?? 1}`, "--weight-decay", String(c.weight_decay ?? 0), "--signal", String(c.signal ?? 0),
    "--steps", String(STEPS), "--trials", String(TRIALS), "--seed", "1", "--workers", "1", "--quiet", "--format", "json",
  ];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).cells[0];
}

const torch = torchOrSkip();

test("the PyTorch single unit agrees with sweep within 3 combined SE at every setting", { skip: "skip" in torch ? torch.skip : false }, () => {
  if (!("python" in torch)) return;
  const r = spawnSync(
    torch.python,
    ["reference/pytorch/single_unit.py", "--cases", JSON.stringify(CASES), "--trials", String(TRIALS), "--steps", String(STEPS), "--seed", "7"],
    { cwd: ROOT, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  const ref = JSON.parse(r.stdout) as { p: number; se: number; trials: number; nonFinite: number; collapse: string; optimizer: string }[];
  assert.equal(ref.length, CASES.length);
  const lines: string[] = [];
  const failures: string[] = [];
  CASES.forEach((c, k) => {
    const s = sweepCell(c);
    const t = ref[k];
    assert.equal(t.trials, TRIALS);
    assert.equal(t.nonFinite, 0);
    assert.equal(s.nonFinite, 0);
    const tol = 3 * Math.hypot(t.se, s.se);
    const line = `${c.optimizer} B=${c.batch} lr=${c.lr} ${c.collapse}: torch ${t.p.toFixed(4)} +- ${t.se.toFixed(4)}, sweep ${s.p.toFixed(4)} +- ${s.se.toFixed(4)}, |diff| ${Math.abs(t.p - s.p).toFixed(4)} <= ${tol.toFixed(4)}`;
    lines.push(line);
    if (!(Math.abs(t.p - s.p) <= tol)) failures.push(line);
    // both estimates inform: neither is stuck at 0 or 1
    assert.ok(s.p > 0.05 && s.p < 0.95, line);
  });
  console.log(lines.join("\n"));
  assert.deepEqual(failures, []);
});
