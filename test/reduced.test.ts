/**
 * The reduced model (--model reduced, docs/reduced-model.md): per step
 * (dL/dgamma, dL/dbeta) ~ N(signal (e1, e0), (sigma^2 / B) [[m2, m1], [m1, m0]]) at r = beta / |gamma|,
 * with the exact one-sided law where |r| >= sqrt(B - 1) (zero for ReLU below: the dead region).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { parseSweepInvocation } from "../src/cli/sweep-command.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { STOP_NON_FINITE, type TrajectoryOutcomes } from "../src/engine/trajectory.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { ConfigError } from "../src/model/errors.ts";
import { defineProblem, type UnitProblem } from "../src/model/problem.ts";
import { validateProblem } from "../src/model/validate.ts";

/**
 * Reference moments by quadrature over xhat ~ N(0, 1), independent of src/theory: slope a(y) = 1 for
 * y > 0, alpha otherwise, y = gamma x + beta. Returns [e0, e1, m0, m1, m2]. Midpoint rule on
 * [-12, 12] with 4e5 cells: error far below the statistical tolerances used here.
 */
function quadratureMoments(gamma: number, beta: number, alpha: number): number[] {
  const n = 400_000, lo = -12, h = 24 / n;
  const acc = [0, 0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    const x = lo + (k + 0.5) * h;
    const w = (h * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    const a = gamma * x + beta > 0 ? 1 : alpha;
    acc[0] += w * a;
    acc[1] += w * a * x;
    acc[2] += w * a * a;
    acc[3] += w * a * a * x;
    acc[4] += w * a * a * x * x;
  }
  return acc;
}

interface OneStepCase {
  name: string;
  batch: number;
  gamma: number;
  beta: number;
  alpha: number;
  signal: number;
  sigma: number;
  /** "inside": Gaussian-moment law; "dead" / "active": every sample on one side */
  region: "inside" | "dead" | "active";
}

const LR = 0.25;
const CASES: OneStepCase[] = [
  { name: "r = 0, B = 8", batch: 8, gamma: 1, beta: 0, alpha: 0, signal: 0, sigma: 1, region: "inside" },
  { name: "gamma < 0, r = -0.5, signal", batch: 32, gamma: -2, beta: -1, alpha: 0, signal: 0.3, sigma: 1.5, region: "inside" },
  { name: "leaky 0.2, r = 1.2, signal < 0", batch: 16, gamma: 0.5, beta: 0.6, alpha: 0.2, signal: -0.5, sigma: 1, region: "inside" },
  { name: "near the boundary, r = -2.5, B = 8", batch: 8, gamma: 1, beta: -2.5, alpha: 0, signal: 0.2, sigma: 1, region: "inside" },
  { name: "leaky 0.1 below -sqrt(B-1)", batch: 8, gamma: 1, beta: -2.7, alpha: 0.1, signal: 0.4, sigma: 1, region: "dead" },
  { name: "all active, r = 3 > sqrt(7)", batch: 8, gamma: 1, beta: 3, alpha: 0, signal: 0.4, sigma: 1, region: "active" },
];

function expectedMoments(c: OneStepCase): number[] {
  if (c.region === "inside") return quadratureMoments(c.gamma, c.beta, c.alpha);
  const a = c.region === "active" ? 1 : c.alpha;
  return [a, 0, a * a, 0, a * a];
}

function oneStep(c: OneStepCase, model: "reduced" | "mechanistic", trials: number, seed: string): TrajectoryOutcomes {
  const problem = defineProblem({
    model,
    batch: c.batch,
    gamma0: c.gamma,
    beta0: c.beta,
    steps: 1,
    activation: c.alpha > 0 ? { kind: "leaky", alpha: c.alpha } : { kind: "relu" },
    loss: { kind: "noise", noise: { kind: "gauss", sigma: c.sigma }, signal: c.signal },
    collapse: { kind: "ratio", c: 100 },
    optimizer: { kind: "sgd", lr: LR },
  });
  return simulateTrajectories(problem, { seed, trials, stopAtCollapse: false });
}

const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;

/** |estimate - expected| <= 4.5 SE; the SE is estimated from the sample's own higher moments. */
function within(estimate: number, expected: number, se: number, what: string): void {
  const tol = 4.5 * se;
  assert.ok(Math.abs(estimate - expected) <= tol, `${what}: ${estimate} vs ${expected} (tolerance 4.5 SE = ${tol})`);
}

for (const c of CASES) {
  test(`one-step increment of the reduced model has the stated mean and covariance: ${c.name}`, () => {
    // N = 20000: the SE of each variance is ~1% of it; 4.5 SE over ~40 checks in this file gives a
    // family-wise false-alarm chance below 3e-4 (and the seed is fixed).
    const N = 20000;
    const out = oneStep(c, "reduced", N, `reduced-one-step/${c.name}`);
    const dg = out.finalGamma.map((v) => v - c.gamma);
    const db = out.finalBeta.map((v) => v - c.beta);
    const [e0, e1, m0, m1, m2] = expectedMoments(c);
    const k = (LR * LR * c.sigma * c.sigma) / c.batch;
    const expMean = [-LR * c.signal * e1, -LR * c.signal * e0];
    const expCov = [k * m2, k * m1, k * m0]; // var(dg), cov(dg, db), var(db)

    const mg = mean(dg), mb = mean(db);
    const cg = dg.map((v) => v - mg), cb = db.map((v) => v - mb);
    const vg = mean(cg.map((v) => v * v)), vb = mean(cb.map((v) => v * v));
    const cgb = cg.map((v, i) => v * cb[i]);
    const cov = mean(cgb);
    const seVar = (x: Float64Array, v: number) => Math.sqrt((mean(x.map((u) => u ** 4)) - v * v) / N);
    const seCov = Math.sqrt(mean(cgb.map((u) => (u - cov) ** 2)) / N);

    within(mg, expMean[0], Math.sqrt(vg / N), "mean dgamma");
    within(mb, expMean[1], Math.sqrt(vb / N), "mean dbeta");
    within(vg, expCov[0], seVar(cg, vg), "var dgamma");
    within(cov, expCov[1], seCov, "cov(dgamma, dbeta)");
    within(vb, expCov[2], seVar(cb, vb), "var dbeta");
    // Gaussian, not a scale mixture: excess kurtosis 0 with SE sqrt(24 / N)
    const kurt = mean(cg.map((u) => u ** 4)) / (vg * vg) - 3;
    within(kurt, 0, Math.sqrt(24 / N), "excess kurtosis of dgamma");
  });
}

test("ReLU dead region: zero gradient exactly, in the reduced and the mechanistic model alike", () => {
  const dead: OneStepCase = { name: "dead", batch: 8, gamma: -1.5, beta: -4, alpha: 0, signal: 0.7, sigma: 1, region: "dead" };
  for (const model of ["reduced", "mechanistic"] as const) {
    const out = oneStep(dead, model, 200, "dead");
    assert.ok(out.finalGamma.every((v) => v === dead.gamma), `${model}: gamma moved in the dead region`);
    assert.ok(out.finalBeta.every((v) => v === dead.beta), `${model}: beta moved in the dead region`);
  }
});

// --- scale symmetry ---------------------------------------------------------------------------
//
// The reduced gradient depends on (gamma, beta) only through r = beta / |gamma| and sign(gamma) (the
// moments, the one-sided regions |r| >= sqrt(B - 1)), and its covariance (sigma^2 / B) S(r) carries no
// scale. For c a power of two, (c gamma, c beta) gives the same r bit for bit, hence the same g from
// the same random numbers, and c p - (c lr) g = c (p - lr g) exactly (momentum likewise). So with SGD
// or momentum and no weight decay the symmetry must hold bitwise, signal or not.

const SYM_STEPS = 300;
function symProblem(c: number, opt: "sgd" | "momentum", extra: Partial<UnitProblem> = {}, weightDecay = 0): UnitProblem {
  return defineProblem({
    model: "reduced",
    batch: 8,
    steps: SYM_STEPS,
    gamma0: c * 1.5,
    beta0: c * -0.25,
    collapse: { kind: "ratio", c: 1.5 },
    ...extra,
    optimizer: opt === "sgd" ? { kind: "sgd", lr: c * 0.45, weightDecay } : { kind: "momentum", lr: c * 0.045, momentum: 0.9, weightDecay },
  });
}

function collapsedFraction(o: TrajectoryOutcomes): number {
  return o.firstPassage.reduce((n, f) => n + (f > 0 ? 1 : 0), 0) / o.firstPassage.length;
}

const SYM_VARIANTS: { name: string; extra: Partial<UnitProblem>; stop: boolean }[] = [
  { name: "ratio:1.5", extra: {}, stop: true },
  { name: "dead", extra: { collapse: { kind: "dead" } }, stop: true },
  { name: "leaky 0.1 + signal -0.03, to the horizon", extra: { activation: { kind: "leaky", alpha: 0.1 }, loss: { kind: "noise", noise: { kind: "gauss", sigma: 1 }, signal: -0.03 } }, stop: false },
];

for (const opt of ["sgd", "momentum"] as const) {
  test(`reduced model: scale symmetry is bit-exact (${opt}, c = 2 and 1/4)`, () => {
    for (const v of SYM_VARIANTS) {
      const what = `${opt} ${v.name}`;
      const base = simulateTrajectories(symProblem(1, opt, v.extra), { seed: "sym", trials: 200, stopAtCollapse: v.stop });
      const frac = collapsedFraction(base);
      assert.ok(frac > 0.05 && frac < 0.95, `${what}: collapsed fraction ${frac} should be in (0.05, 0.95)`);
      assert.ok(base.stopReason.every((r) => r !== STOP_NON_FINITE));
      for (const c of [2, 0.25]) {
        const s = simulateTrajectories(symProblem(c, opt, v.extra), { seed: "sym", trials: 200, stopAtCollapse: v.stop });
        assert.deepEqual(s.firstPassage, base.firstPassage, `${what} c=${c}: firstPassage`);
        assert.deepEqual(s.stepsRun, base.stepsRun, `${what} c=${c}: stepsRun`);
        assert.deepEqual(s.finalGamma, base.finalGamma.map((x) => c * x), `${what} c=${c}: finalGamma`);
        assert.deepEqual(s.finalBeta, base.finalBeta.map((x) => c * x), `${what} c=${c}: finalBeta`);
      }
    }
  });
}

test("reduced model, negative control: weight decay breaks the bitwise symmetry", () => {
  const base = simulateTrajectories(symProblem(1, "sgd", {}, 0.01), { seed: "sym", trials: 50, stopAtCollapse: false });
  const scaled = simulateTrajectories(symProblem(2, "sgd", {}, 0.01), { seed: "sym", trials: 50, stopAtCollapse: false });
  assert.ok(scaled.finalGamma.some((v, i) => v !== 2 * base.finalGamma[i]));
});

// --- ensembles --------------------------------------------------------------------------------

const SWEEP = { model: "reduced", lr: "0.1,0.3", gamma: "0.5,1", beta: [0], batch: "4,16", steps: 200, trials: 300, collapse: "ratio:1.5", seed: 7 } as const;

test("reduced sweeps: 1 and 2 workers give byte-identical results", async () => {
  const spec = resolveSweep(SWEEP);
  assert.equal(spec.template.model, "reduced");
  const one = await runSweep(spec, { workers: 1 });
  const two = await runSweep(spec, { workers: 2 });
  assert.equal(stringifyResults(two), stringifyResults(one));
  const ps = one.cells.map((c) => c.p);
  assert.ok(ps.some((p) => p !== null && p > 0.05) && ps.some((p) => p !== null && p < 0.95), `p values ${ps}`);
  // the model field reaches the step loop: the mechanistic model draws different numbers
  const mech = await runSweep(resolveSweep({ ...SWEEP, model: "mechanistic" }), { workers: 1 });
  assert.notDeepEqual(mech.cells.map((c) => c.firstPassage.meanCollapsed), one.cells.map((c) => c.firstPassage.meanCollapsed));
});

// --- unsupported combinations -----------------------------------------------------------------

const UNSUPPORTED: { name: string; fields: Partial<UnitProblem>; raw: Record<string, unknown>; argv: string[] }[] = [
  {
    name: "teacher loss",
    fields: { loss: { kind: "teacher", readout: 1, gamma: 1, beta: 0, labelNoise: 1 } },
    raw: { loss: "teacher:1:0:1" },
    argv: ["--loss", "teacher:1:0:1"],
  },
  { name: "linear input", fields: { input: { kind: "linear", dim: 3 } }, raw: { input: "linear:3" }, argv: ["--input", "linear:3"] },
  {
    name: "Student-t noise",
    fields: { loss: { kind: "noise", noise: { kind: "student", nu: 4, sigma: 1 }, signal: 0 } },
    raw: { noise: "student:4" },
    argv: ["--noise", "student:4"],
  },
];

for (const u of UNSUPPORTED) {
  test(`reduced model refuses ${u.name} with a ConfigError naming the model`, () => {
    assert.throws(() => validateProblem(defineProblem({ model: "reduced", ...u.fields })), (e: unknown) => e instanceof ConfigError && e.field === "model");
    // the same problem is fine for the mechanistic model
    validateProblem(defineProblem({ model: "mechanistic", ...u.fields }));
    assert.throws(() => resolveSweep({ model: "reduced", ...u.raw }), (e: unknown) => e instanceof ConfigError && e.field === "model");
    assert.throws(
      () => parseSweepInvocation(["--model", "reduced", ...u.argv]),
      (e: unknown) => e instanceof ConfigError && e.field === "--model",
    );
  });
}

test("an unknown model is refused by the schema and by validateProblem", () => {
  assert.throws(() => resolveSweep({ model: "diffusion" }), (e: unknown) => e instanceof ConfigError && e.field === "model");
  assert.throws(
    () => validateProblem({ ...defineProblem(), model: "diffusion" as unknown as "reduced" }),
    (e: unknown) => e instanceof ConfigError && e.field === "model",
  );
});
