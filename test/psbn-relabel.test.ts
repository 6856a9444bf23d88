/**
 * psBN (FixMatch's y = BN(x) + alpha, docs/psbn.md) without weight decay is plain BN with beta0 shifted
 * by alpha: the loss depends on beta only through b = beta + alpha, and dL/dbeta = dL/db. The engine
 * holds b itself (src/engine/psbn.ts), so the relabelled runs do the same arithmetic on the same numbers:
 * they are compared bit for bit, not within a tolerance. The only rounding is where results report the
 * trained beta, fl(b - alpha): psBN's reported beta equals BN's b minus alpha as JavaScript rounds it,
 * exactly. With weight decay the relabelling fails (decay pulls beta, not b, to 0) and a dead unit
 * decays geometrically; that is checked against (1 - lr lambda)^t within a rounding bound derived below.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulatePaths, simulateTrajectories } from "../src/engine/simulate.ts";
import { defineProblem, type UnitProblem } from "../src/model/problem.ts";
import { parseNorm } from "../src/config/phases-config.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { decayFactors } from "../src/theory/psbn-recovery.ts";

type Fields = NonNullable<Parameters<typeof defineProblem>[0]>;
const ALPHA = 0.1;
const teacher = { kind: "teacher" as const, readout: 1.5, gamma: 0.7, beta: -0.4, labelNoise: 2 };
const sgd = (lr: number) => ({ kind: "sgd" as const, lr, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" as const } });

/** Every path of the step loop that psBN can take, without weight decay; each collapses in part. */
const CASES: [string, Fields][] = [
  ["exact-sum sgd dead", { batch: 4, steps: 300, beta0: -0.5, optimizer: { lr: 0.4 }, collapse: { kind: "dead" } }],
  ["per-sample", { batch: 8, steps: 300, beta0: -0.3, noiseSampling: "per-sample", optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 } }],
  ["signal", { batch: 8, steps: 300, beta0: 0.2, loss: { kind: "noise", noise: { kind: "gauss", sigma: 1 }, signal: -0.05 }, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 } }],
  ["teacher", { batch: 8, steps: 300, beta0: -0.3, loss: teacher, optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 2.5 } }],
  ["momentum", { batch: 8, steps: 300, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9 }, collapse: { kind: "ratio", c: 2 } }],
  ["adam", { batch: 8, steps: 300, beta0: -0.4, optimizer: { kind: "adam", lr: 0.05 }, collapse: { kind: "ratio", c: 2 } }],
  ["adamw, no decay", { batch: 8, steps: 300, optimizer: { kind: "adamw", lr: 0.05, weightDecay: 0 }, collapse: { kind: "sparsity", s: 0.9 } }],
  ["student-t leaky", { batch: 8, steps: 300, activation: { kind: "leaky", alpha: 0.05 }, loss: { kind: "noise", noise: { kind: "student", nu: 3, sigma: 1 }, signal: 0 }, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 1.5 } }],
  ["linear input", { batch: 8, steps: 200, input: { kind: "linear", dim: 3 }, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 1.5 } }],
  ["phases", { batch: 8, steps: 200, beta0: -0.2, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 }, phases: [{ steps: 100, optimizer: sgd(0.05), loss: teacher }] }],
  ["reduced, on lanes", { model: "reduced", batch: 16, steps: 300, optimizer: { lr: 0.4 }, collapse: { kind: "ratio", c: 2.5 } }],
];

const run = (p: UnitProblem, stop: boolean) => simulateTrajectories(p, { seed: 21, trials: 150, streamKey: "relabel", stopAtCollapse: stop });

for (const [name, fields] of CASES) {
  test(`psBN(beta0) is BN(beta0 + alpha) bit for bit without weight decay: ${name}`, () => {
    const beta0 = fields.beta0 ?? 0;
    const ps = defineProblem({ ...fields, beta0, norm: { kind: "psbn", alpha: ALPHA } });
    const bn = defineProblem({ ...fields, beta0: beta0 + ALPHA, norm: { kind: "bn" } });
    for (const stop of [true, false]) {
      const a = run(ps, stop), b = run(bn, stop);
      assert.deepEqual(a.firstPassage, b.firstPassage);
      assert.deepEqual(a.stepsRun, b.stepsRun);
      assert.deepEqual(a.stopReason, b.stopReason);
      assert.deepEqual(a.finalGamma, b.finalGamma);
      for (let i = 0; i < a.finalBeta.length; i++) assert.equal(a.finalBeta[i], b.finalBeta[i] - ALPHA, `trajectory ${i}`);
      const collapsed = a.firstPassage.filter((t) => t > 0).length;
      assert.ok(collapsed > 0 && collapsed < a.firstPassage.length, `${collapsed}/150 collapsed: the criterion must bite for the test to mean something`);
    }
  });
}

test("psBN's recorded paths are BN's relabelled, bit for bit", () => {
  const f: Fields = { batch: 8, steps: 300, beta0: -0.5, optimizer: { lr: 0.3 } };
  const a = simulatePaths(defineProblem({ ...f, norm: { kind: "psbn", alpha: 0.25 } }), { seed: 3, trials: 6, every: 7, streamKey: "p" });
  const b = simulatePaths(defineProblem({ ...f, beta0: -0.5 + 0.25 }), { seed: 3, trials: 6, every: 7, streamKey: "p" });
  for (let j = 0; j < a.length; j++) {
    assert.deepEqual(a[j].gamma, b[j].gamma);
    assert.deepEqual(a[j].beta, b[j].beta.map((x) => x - 0.25));
    assert.equal(a[j].firstPassage, b[j].firstPassage);
  }
});

test("with weight decay the relabelling fails: decay pulls beta, not beta + alpha, to zero", () => {
  const f: Fields = { batch: 8, steps: 400, beta0: -0.5, optimizer: { lr: 0.2, weightDecay: 0.05 }, collapse: { kind: "ratio", c: 2 } };
  const a = run(defineProblem({ ...f, norm: { kind: "psbn", alpha: ALPHA } }), false);
  const b = run(defineProblem({ ...f, beta0: -0.5 + ALPHA }), false);
  let differ = 0;
  for (let i = 0; i < a.finalGamma.length; i++) if (a.finalGamma[i] !== b.finalGamma[i]) differ++;
  assert.ok(differ > 100, `${differ}/150 differ`);
});

/**
 * A unit dead under psBN gets no loss gradient, so each update is b <- b - lr (0 - lambda alpha + lambda b)
 * (sgd), the decay of beta = b - alpha by q = 1 - lr lambda. Each update rounds a few times, each time
 * by at most eps = 2^-53 relative to a number no larger than |beta0| + alpha; errors are not amplified
 * (|q| < 1). So |beta_t - q^t beta0| <= 4 t eps (|beta0| + alpha), and gamma's relative error is at most
 * 3 t eps; the same for momentum (its factor c_t from decayFactors) and AdamW from a fresh state (q).
 */
test("a dead psBN unit decays geometrically under weight decay: sgd, momentum, adamw", () => {
  const eps = 2 ** -53, B = 8, beta0 = -4, alpha = 0.1, T = 1500;
  for (const opt of [{ kind: "sgd" as const }, { kind: "momentum" as const, momentum: 0.9 }, { kind: "adamw" as const }]) {
    const lr = 0.1, weightDecay = 0.01;
    const p = defineProblem({ batch: B, beta0, bnEps: 0, steps: T, norm: { kind: "psbn", alpha }, optimizer: { ...opt, lr, weightDecay } });
    const [path] = simulatePaths(p, { seed: 1, trials: 1, every: 1, streamKey: "decay" });
    const c = decayFactors({ gamma0: 1, beta0, alpha, batch: B, lr, weightDecay, momentum: opt.kind === "momentum" ? 0.9 : undefined }, T);
    let checked = 0;
    for (let t = 0; t <= T; t++) {
      // only while dead: the cone beta + alpha <= -|gamma| sqrt(B - 1) at the previous state
      if (t > 0 && !(path.beta[t - 1] + alpha <= -Math.abs(path.gamma[t - 1]) * Math.sqrt(B - 1))) break;
      assert.ok(Math.abs(path.beta[t] - c[t] * beta0) <= 4 * (t + 1) * eps * (Math.abs(beta0) + alpha), `${opt.kind} beta at ${t}`);
      assert.ok(Math.abs(path.gamma[t] / c[t] - 1) <= 3 * (t + 1) * eps, `${opt.kind} gamma at ${t}`);
      checked++;
    }
    assert.ok(checked > 100, `${opt.kind}: ${checked} dead updates checked`);
  }
});

test("--norm psbn[:ALPHA] parses to the shifted form; the reconstruction is revive; psbn:M:P is refused naming revive", () => {
  assert.deepEqual(parseNorm("psbn"), { kind: "psbn", alpha: 0.1 });
  assert.deepEqual(parseNorm("PSBN:0.25"), { kind: "psbn", alpha: 0.25 });
  assert.deepEqual(parseNorm("revive"), { kind: "revive", margin: 0.5, patience: 20 });
  assert.deepEqual(parseNorm("revive:0.3:5"), { kind: "revive", margin: 0.3, patience: 5 });
  assert.throws(() => parseNorm("psbn:0.5:20"), /revive:0\.5:20/);
  assert.throws(() => resolveSweep({ norm: "psbn:abc" }), /norm/);
  assert.throws(() => resolveSweep({ norm: "psbn:Infinity" }), /norm/);
  assert.equal(resolveSweep({ norm: "psbn", model: "reduced" }).template.norm?.kind, "psbn");
});
