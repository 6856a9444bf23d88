/**
 * revive (our reconstruction of the paper's psBN, docs/psbn.md; it was `--norm psbn` before 0.2.0) and
 * rshift. Each of the seed's two properties is tested:
 * (1) same representational power: the post-shift leaves any state with an active sample untouched,
 *     so a revive trajectory that never saturates is the BN trajectory bit for bit; where it acts, the
 *     result is again a BN unit (with a shifted beta); rshift is BN with beta = gamma rho;
 * (2) saturated parameters become trainable again: a unit placed deep in the dead cone stays frozen
 *     under BN (and rshift) but returns and learns the teacher under revive.
 * Then the comparisons, on the same random numbers: collapse probability, teacher loss reached.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileProblem } from "../src/engine/compiled.ts";
import { reviveShift, rshiftUpdate } from "../src/engine/psbn.ts";
import { allocateState } from "../src/engine/state.ts";
import { teacherExcessLoss } from "../src/unit/teacher-loss.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { DEFAULT_OPTIMIZER, defineProblem, type Norm, type UnitProblem } from "../src/model/problem.ts";

const BN: Norm = { kind: "bn" }, REVIVE: Norm = { kind: "revive", margin: 0.5, patience: 20 }, RSHIFT: Norm = { kind: "rshift" };

function run(problem: UnitProblem, trials: number, stop = true) {
  return simulateTrajectories(problem, { seed: 11, trials, streamKey: "psbn", stopAtCollapse: stop });
}

test("property 1: the post-shift is the identity whenever a sample is active, and yields a BN unit otherwise", () => {
  const c = compileProblem(defineProblem({ batch: 8, norm: { kind: "revive", margin: 0.5, patience: 1 } }));
  const s = allocateState(c, 1), xhat = c.scratch.xhat;
  let acted = 0;
  for (let k = 0; k < 2000; k++) {
    for (let i = 0; i < 8; i++) xhat[i] = Math.sin(12.9898 * (k * 8 + i)) * 2.4;
    const gamma = (k % 7) - 3 + 0.37, beta = ((k % 13) - 6) * 0.9;
    s.p[0] = gamma;
    s.p[1] = beta;
    const active = xhat.some((x) => gamma * x + beta > 0);
    reviveShift(c, s);
    assert.equal(s.p[0], gamma);
    if (active) assert.equal(s.p[1], beta);
    else {
      acted++;
      const top = Math.max(...Array.from(xhat, (x) => gamma * x + s.p[1]));
      assert.ok(Math.abs(top - 0.5 * Math.abs(gamma)) < 1e-12, `top ${top}`);
    }
  }
  assert.ok(acted > 100);
});

test("property 1: a revive trajectory that never saturates is the BN trajectory, bit for bit", () => {
  const base = { batch: 32, steps: 300, collapse: { kind: "dead" }, optimizer: { lr: 0.02 } } as const;
  const a = run(defineProblem({ ...base, norm: BN }), 100, false);
  const b = run(defineProblem({ ...base, norm: REVIVE }), 100, false);
  assert.deepEqual(b.finalBeta, a.finalBeta);
  assert.deepEqual(b.finalGamma, a.finalGamma);
});

test("rshift: one SGD step is SGD on (gamma, rho) with the chain rule, and beta = gamma rho", () => {
  const c = compileProblem(defineProblem({ norm: RSHIFT, optimizer: { lr: 0.1 } }));
  const s = allocateState(c, 1), g = c.scratch.g;
  s.active = 1;
  s.p[0] = 0.8;
  s.p[1] = -0.4;
  g[0] = 0.3;
  g[1] = -0.2;
  rshiftUpdate(c, c.phases[0], s, g, 2);
  const rho = -0.5, gG = 0.3 + rho * -0.2, gRho = 0.8 * -0.2;
  const g1 = 0.8 - 0.1 * gG, rho1 = rho - 0.1 * gRho;
  assert.ok(Math.abs(s.p[0] - g1) < 1e-15);
  assert.ok(Math.abs(s.p[1] - g1 * rho1) < 1e-15);
});

test("property 2: a unit placed in the dead cone stays frozen under BN and rshift, and learns the teacher under revive", () => {
  const teacher = { kind: "teacher", readout: 1, gamma: 1, beta: 0, labelNoise: 0.1 } as const;
  const base = { batch: 32, steps: 400, gamma0: 0.5, beta0: -5, collapse: { kind: "ratio", c: 1e9 }, loss: teacher, optimizer: { lr: 0.05 } } as const;
  for (const norm of [BN, RSHIFT]) {
    const o = run(defineProblem({ ...base, norm }), 30, false);
    for (let i = 0; i < 30; i++) assert.ok(o.finalGamma[i] === 0.5 && Math.abs(o.finalBeta[i] + 5) < 1e-12, norm.kind);
  }
  const dead = teacherExcessLoss(0.5, -5, 1, 0); // 1/4: the loss of z = 0; revive must close 95% of it
  const o = run(defineProblem({ ...base, norm: REVIVE }), 30, false);
  for (let i = 0; i < 30; i++) {
    const loss = teacherExcessLoss(o.finalGamma[i], o.finalBeta[i], 1, 0);
    assert.ok(loss < 0.05 * dead, `revive loss ${loss} vs dead ${dead}`);
  }
});

test("rshift removes the noise-driven drift of r: one-step E[dr] is ~0, against BN's negative drift", () => {
  const base = { batch: 32, steps: 1, gamma0: 1, beta0: 0, collapse: { kind: "ratio", c: 1e9 }, optimizer: { lr: 0.4 } } as const;
  const n = 40000;
  const stats = (norm: Norm) => {
    const o = run(defineProblem({ ...base, norm }), n, false);
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const d = o.finalBeta[i] / Math.abs(o.finalGamma[i]);
      s += d;
      s2 += d * d;
    }
    const m = s / n;
    return { m, se: Math.sqrt((s2 / n - m * m) / n) };
  };
  const bn = stats(BN), rs = stats(RSHIFT);
  // small-step theory: E[dr] = -phi(0) lr^2 / (B gamma^2) = -0.002 for BN; 0 exactly (a martingale) for rshift
  assert.ok(bn.m < -3 * bn.se, `bn drift ${bn.m} +- ${bn.se}`);
  assert.ok(Math.abs(rs.m) < 4 * rs.se, `rshift drift ${rs.m} +- ${rs.se}`);
});

/**
 * Fine-tuning on a noisy teacher task (docs/psbn.md): pre-training on a sparse teacher (gamma* = 0.3,
 * r* = -2) leaves gamma small and r near the boundary; fine-tuning on the teacher (1, 0) with label
 * noise 8 at lr 0.06 collapses many BN units for good. One run per norm, same random numbers.
 */
const FINE_TUNE = {
  batch: 32, steps: 500, collapse: { kind: "ratio", c: 3 },
  loss: { kind: "teacher", readout: 1, gamma: 1, beta: 0, labelNoise: 8 },
  optimizer: { lr: 0.06 },
  phases: [{ steps: 800, optimizer: { ...DEFAULT_OPTIMIZER, lr: 0.05 }, loss: { kind: "teacher", readout: 1, gamma: 0.3, beta: -0.6, labelNoise: 0.2 } }],
} as const;
const FT_N = 300;
const fineTuned = new Map<string, { ever: number; stuck: number; loss: number[] }>();
function fineTune(norm: Norm) {
  const got = fineTuned.get(norm.kind);
  if (got) return got;
  const o = run(defineProblem({ ...FINE_TUNE, phases: [...FINE_TUNE.phases], norm }), FT_N, false);
  let ever = 0, stuck = 0;
  const loss: number[] = [];
  for (let i = 0; i < FT_N; i++) {
    if (o.firstPassage[i] > 0) ever++;
    if (o.finalBeta[i] / Math.abs(o.finalGamma[i]) <= -3) stuck++;
    loss.push(teacherExcessLoss(o.finalGamma[i], o.finalBeta[i], 1, 0));
  }
  const r = { ever: ever / FT_N, stuck: stuck / FT_N, loss };
  fineTuned.set(norm.kind, r);
  return r;
}
const diffSe = (a: number, b: number) => Math.sqrt((a * (1 - a) + b * (1 - b)) / FT_N);

test("comparison: revive recovers: the fraction collapsed (r <= -3) at T is below BN's by > 3 SE", () => {
  const bn = fineTune(BN), ps = fineTune(REVIVE);
  assert.ok(bn.stuck - ps.stuck > 3 * diffSe(bn.stuck, ps.stuck), `bn ${bn.stuck} revive ${ps.stuck}`);
});

test("comparison: rshift prevents collapse: P(first passage to r <= -3) below BN's by > 3 SE", () => {
  const bn = fineTune(BN), rs = fineTune(RSHIFT);
  assert.ok(bn.ever - rs.ever > 3 * diffSe(bn.ever, rs.ever), `bn ${bn.ever} rshift ${rs.ever}`);
});

test("comparison: revive and rshift reach a lower mean teacher loss than BN, by > 3 SE", () => {
  const ms = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { m, se: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length) };
  };
  const bn = ms(fineTune(BN).loss);
  for (const norm of [REVIVE, RSHIFT]) {
    const q = ms(fineTune(norm).loss);
    assert.ok(bn.m - q.m > 3 * Math.hypot(bn.se, q.se), `${norm.kind}: ${q.m}+-${q.se} vs bn ${bn.m}+-${bn.se}`);
  }
});
