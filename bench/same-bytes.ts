/**
 * One SHA-256 per engine path, for refactors that must not change a number:
 *
 *   node --import tsx bench/same-bytes.ts > before.txt      # on the old code
 *   node --import tsx bench/same-bytes.ts > after.txt       # on the new code
 *   diff before.txt after.txt                               # empty: the same bytes
 *
 * Every case hashes the raw bytes of the outcomes (first passage, steps run, stop reason and the
 * final gamma and beta as float64), of the recorded paths, or of the layer's outcome arrays, so a
 * change in the last bit of any parameter shows. The cases cover every branch of the step loop:
 * the mechanistic model (exact-sum and per-sample noise, signal, teacher loss, linear input,
 * Student-t noise, leaky ReLU, sigma 0), the reduced model (on lanes and one by one, beyond the
 * tables, with signal), every optimiser with weight decay, every schedule, phases with the optimiser
 * state kept and reset, psBN, revive and rshift, every criterion, stopping at collapse or not, the layer and
 * its single-unit prediction, the one-step estimators of `fit`. Uses only the public entry points, so
 * it runs unchanged on both sides of a refactor. About 20 s on one core.
 */
import { createHash } from "node:crypto";
import { boundaryEstimate, driftEstimate } from "../src/analysis/one-step.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { simulatePaths, simulateTrajectories } from "../src/engine/simulate.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { simulateLayer } from "../src/layer/layer.ts";
import { layerRows } from "../src/layer/rows.ts";
import { mixturePrediction, summariseLayer } from "../src/layer/summary.ts";
import { defineProblem, type UnitProblem } from "../src/model/problem.ts";

type Fields = Parameters<typeof defineProblem>[0];

function hash(...parts: (ArrayBufferView | string)[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(typeof p === "string" ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest("hex").slice(0, 16);
}

function outcomes(problem: UnitProblem, seed: string | number, trials: number, stopAtCollapse: boolean): string {
  const o = simulateTrajectories(problem, { seed, trials, streamKey: "same-bytes", stopAtCollapse });
  let collapsed = 0;
  for (let i = 0; i < trials; i++) if (o.firstPassage[i] > 0) collapsed++;
  return `${hash(o.firstPassage, o.stepsRun, o.stopReason, o.finalGamma, o.finalBeta)} collapsed ${collapsed}/${trials}`;
}

const gauss = (sigma: number, signal = 0) => ({ kind: "noise" as const, noise: { kind: "gauss" as const, sigma }, signal });
const teacher = { kind: "teacher" as const, readout: 1.5, gamma: 0.7, beta: -0.4, labelNoise: 2 };

/** name, problem fields, trials; every case runs once stopped at collapse and once to the horizon */
const CASES: [string, Fields, number][] = [
  ["mech exact-sum default", { batch: 32, steps: 400, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 3 } }, 300],
  ["mech per-sample", { batch: 16, steps: 300, noiseSampling: "per-sample", optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech signal", { batch: 8, steps: 300, loss: gauss(1, 0.3), optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech signal per-sample", { batch: 8, steps: 300, loss: gauss(1, -0.2), noiseSampling: "per-sample", optimizer: { lr: 0.2 } }, 200],
  ["mech sigma 0 signal", { batch: 8, steps: 200, loss: gauss(0, -0.5), optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 1 } }, 50],
  ["mech leaky", { batch: 8, steps: 300, activation: { kind: "leaky", alpha: 0.1 }, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 1.5 } }, 200],
  ["mech leaky per-sample", { batch: 8, steps: 300, activation: { kind: "leaky", alpha: 0.05 }, noiseSampling: "per-sample", optimizer: { lr: 0.3 } }, 200],
  ["mech student", { batch: 8, steps: 300, loss: { kind: "noise", noise: { kind: "student", nu: 3, sigma: 1 }, signal: 0 }, optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech teacher exact-sum", { batch: 8, steps: 300, loss: teacher, optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech teacher per-sample", { batch: 8, steps: 300, loss: teacher, noiseSampling: "per-sample", optimizer: { lr: 0.2 } }, 200],
  ["mech linear", { batch: 8, steps: 200, input: { kind: "linear", dim: 4 }, optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 2 } }, 100],
  ["mech linear teacher leaky", { batch: 8, steps: 200, input: { kind: "linear", dim: 3 }, loss: teacher, activation: { kind: "leaky", alpha: 0.1 }, optimizer: { lr: 0.2 } }, 100],
  ["mech linear student momentum", { batch: 8, steps: 200, input: { kind: "linear", dim: 3 }, loss: { kind: "noise", noise: { kind: "student", nu: 4, sigma: 1 }, signal: 0.1 }, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9, weightDecay: 0.01 } }, 100],
  ["mech momentum wd", { batch: 8, steps: 300, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9, weightDecay: 0.05 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech adam wd", { batch: 8, steps: 300, optimizer: { kind: "adam", lr: 0.02, weightDecay: 0.01 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech adamw", { batch: 8, steps: 300, optimizer: { kind: "adamw", lr: 0.02, weightDecay: 0.1, beta1: 0.8, beta2: 0.99 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech sgd wd step schedule", { batch: 8, steps: 300, optimizer: { lr: 0.3, weightDecay: 0.02, schedule: { kind: "step", every: 100, factor: 0.5 } } }, 200],
  ["mech cosine", { batch: 8, steps: 300, optimizer: { lr: 0.3, schedule: { kind: "cosine", minFactor: 0.1 } }, collapse: { kind: "sparsity", s: 0.9 } }, 200],
  ["mech expr schedule", { batch: 8, steps: 300, optimizer: { lr: 0.3, schedule: { kind: "expr", expr: "0.5^floor(t/100) * (1 + t/T)" } }, collapse: { kind: "gamma", e: 0.3 } }, 200],
  ["mech dead criterion", { batch: 4, steps: 300, optimizer: { lr: 0.4 }, collapse: { kind: "dead" } }, 200],
  ["mech revive", { batch: 8, steps: 300, beta0: -0.5, norm: { kind: "revive", margin: 0.5, patience: 5 }, optimizer: { lr: 0.4 }, collapse: { kind: "ratio", c: 1.5 } }, 200],
  ["mech revive adam", { batch: 8, steps: 300, beta0: -0.5, norm: { kind: "revive", margin: 0.3, patience: 3 }, optimizer: { kind: "adam", lr: 0.05 } }, 100],
  ["mech rshift", { batch: 8, steps: 300, norm: { kind: "rshift" }, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 2 } }, 200],
  ["mech rshift momentum wd", { batch: 8, steps: 300, norm: { kind: "rshift" }, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9, weightDecay: 0.02 } }, 100],
  ["mech phases reset", {
    batch: 8, steps: 200, optimizer: { kind: "adam", lr: 0.02 }, collapse: { kind: "ratio", c: 2 },
    phases: [{ steps: 150, optimizer: { kind: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" } }, loss: teacher }],
  }, 100],
  ["mech phases kept", {
    batch: 8, steps: 200, optimizer: { kind: "adam", lr: 0.02, weightDecay: 0.01 }, keepOptimizerState: true,
    phases: [
      { steps: 100, optimizer: { kind: "adam", lr: 0.01, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "cosine", minFactor: 0 } } },
      { steps: 50, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.8, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" } }, loss: teacher },
    ],
  }, 100],
  ["mech phases revive kept", {
    batch: 8, steps: 150, beta0: -0.3, norm: { kind: "revive", margin: 0.5, patience: 4 }, keepOptimizerState: true, optimizer: { kind: "momentum", lr: 0.1, momentum: 0.9 },
    phases: [{ steps: 100, optimizer: { kind: "momentum", lr: 0.3, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" } } }],
  }, 100],
  ["mech phases linear kept", {
    batch: 8, steps: 100, input: { kind: "linear", dim: 3 }, keepOptimizerState: true, optimizer: { kind: "adam", lr: 0.02 },
    phases: [{ steps: 80, optimizer: { kind: "adam", lr: 0.05, momentum: 0.9, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" } } }],
  }, 60],
  ["reduced lanes", { model: "reduced", batch: 32, steps: 400, optimizer: { lr: 0.3 }, collapse: { kind: "ratio", c: 3 } }, 500],
  ["reduced lanes signal leaky", { model: "reduced", batch: 8, steps: 300, loss: gauss(1, 0.2), activation: { kind: "leaky", alpha: 0.1 }, optimizer: { lr: 0.2 } }, 300],
  ["reduced lanes adam wd", { model: "reduced", batch: 16, steps: 300, optimizer: { kind: "adam", lr: 0.03, weightDecay: 0.01 }, collapse: { kind: "sparsity", s: 0.95 } }, 300],
  ["reduced lanes adamw momentum", { model: "reduced", batch: 16, steps: 300, optimizer: { kind: "adamw", lr: 0.03, weightDecay: 0.1 } }, 300],
  ["reduced lanes momentum schedule", { model: "reduced", batch: 16, steps: 300, optimizer: { kind: "momentum", lr: 0.05, weightDecay: 0.02, schedule: { kind: "step", every: 50, factor: 0.7 } }, collapse: { kind: "gamma", e: 0.2 } }, 300],
  ["reduced big batch beyond tables", { model: "reduced", batch: 128, steps: 300, beta0: -9, optimizer: { lr: 0.5 }, collapse: { kind: "dead" } }, 200],
  ["reduced sigma 0", { model: "reduced", batch: 8, steps: 100, loss: gauss(0, -0.4), optimizer: { lr: 0.2 }, collapse: { kind: "ratio", c: 1 } }, 40],
  ["reduced rshift (one by one)", { model: "reduced", batch: 8, steps: 300, norm: { kind: "rshift" }, optimizer: { lr: 0.3 } }, 100],
  ["reduced phases kept (one by one)", {
    model: "reduced", batch: 8, steps: 200, keepOptimizerState: true, optimizer: { kind: "adam", lr: 0.03 },
    phases: [{ steps: 100, optimizer: { kind: "adam", lr: 0.01, momentum: 0.9, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: { kind: "constant" } } }],
  }, 100],
  // psBN (y = BN(x) + alpha), added after the cases above so that their indices stay
  ["mech psbn sgd wd", { batch: 8, steps: 300, beta0: -3, norm: { kind: "psbn", alpha: 0.1 }, optimizer: { lr: 0.2, weightDecay: 0.05 }, collapse: { kind: "dead" } }, 100],
  ["mech psbn momentum wd", { batch: 8, steps: 300, beta0: -0.5, norm: { kind: "psbn", alpha: 0.2 }, optimizer: { kind: "momentum", lr: 0.05, momentum: 0.9, weightDecay: 0.02 }, collapse: { kind: "ratio", c: 2 } }, 100],
  ["mech psbn adamw", { batch: 8, steps: 300, norm: { kind: "psbn", alpha: 0.1 }, optimizer: { kind: "adamw", lr: 0.02, weightDecay: 0.1 }, collapse: { kind: "ratio", c: 2 } }, 100],
  ["reduced lanes psbn adam wd", { model: "reduced", batch: 16, steps: 300, norm: { kind: "psbn", alpha: 0.1 }, optimizer: { kind: "adam", lr: 0.03, weightDecay: 0.01 }, collapse: { kind: "ratio", c: 2 } }, 200],
];

const lines: string[] = [];
const t0 = Date.now();
for (const [name, fields, trials] of CASES) {
  const problem = defineProblem(fields);
  lines.push(`${name} | stop: ${outcomes(problem, 7, trials, true)} | horizon: ${outcomes(problem, "s/8", trials, false)}`);
}

// paths (simulatePaths records (gamma, beta) every `every` updates)
for (const [name, fields] of [["paths mech", CASES[0][1]], ["paths phases", CASES[25][1]], ["paths reduced", CASES[28][1]]] as const) {
  const ps = simulatePaths(defineProblem(fields), { seed: 3, trials: 5, every: 7, streamKey: "paths" });
  lines.push(`${name} | ${hash(...ps.flatMap((p) => [Float64Array.from(p.gamma), Float64Array.from(p.beta), Int32Array.of(p.firstPassage, p.stopReason, ...p.step)]))}`);
}

// the ensemble (a small grid through runSweep, in this thread)
{
  const spec = resolveSweep({ lr: [0.1, 0.3], gamma: [0.5, 1], beta: [0, -0.5], batch: [8], steps: 200, trials: 100, seed: 5, collapse: "ratio:2", weightDecay: [0, 0.01] });
  const result = await runSweep(spec, { workers: 1 });
  lines.push(`sweep | ${hash(JSON.stringify(result.cells))}`);
  const reduced = await runSweep(resolveSweep({ model: "reduced", lr: [0.1, 0.3], gamma: [1], beta: [0], batch: [8, 32], steps: 200, trials: 300, seed: 5, collapse: "ratio:2" }), { workers: 1 });
  lines.push(`sweep reduced | ${hash(JSON.stringify(reduced.cells))}`);
}

// the one-step estimators of `fit`
{
  const template = defineProblem({ batch: 8, steps: 100, collapse: { kind: "ratio", c: 2 } });
  const at = { lr: 0.2, gamma: 1, beta: -0.5, batch: 8, weightDecay: 0, signal: 0 };
  lines.push(`fit drift | ${JSON.stringify(driftEstimate(template, at, { seed: 2, trials: 2000 }))}`);
  lines.push(`fit boundary | ${JSON.stringify(boundaryEstimate(template, at, 0.3, { seed: 2, trials: 2000 }))}`);
}

// the layer, its summary, the single-unit prediction and the mixture
{
  const o = simulateLayer({ units: 8, inputDim: 16, batch: 8, lr: 0.3, steps: 400, every: 50 }, { seed: 4, trials: 10 });
  lines.push(`layer | ${hash(o.deadAt, o.nonFinite, o.deltaSqSum, o.noiseSqSum, o.aliveSteps, o.unitDeltaSqSum, o.unitAliveSteps, o.finalLoss)}`);
  const fixed = simulateLayer({ units: 4, inputDim: 8, batch: 4, lr: 0.5, steps: 300, learnReadout: false, teacherBeta: -0.3 }, { seed: "x", trials: 8, firstTrial: 3 });
  lines.push(`layer fixed readout | ${hash(fixed.deadAt, fixed.nonFinite, fixed.deltaSqSum, fixed.noiseSqSum, fixed.aliveSteps, fixed.unitDeltaSqSum, fixed.unitAliveSteps, fixed.finalLoss)}`);
  const blowUp = simulateLayer({ units: 4, inputDim: 8, batch: 4, lr: 40, steps: 200, labelNoise: 50 }, { seed: 1, trials: 4 });
  lines.push(`layer non-finite | ${hash(blowUp.deadAt, blowUp.nonFinite, blowUp.deltaSqSum, blowUp.aliveSteps, blowUp.finalLoss)} nonFinite ${Array.from(blowUp.nonFinite).join("")}`);
  lines.push(`layer summary | ${hash(JSON.stringify(summariseLayer(o)))}`);
  lines.push(`layer mixture | ${JSON.stringify(mixturePrediction(o, { seed: 4, trials: 400, groups: 4 }))}`);
  lines.push(`layer rows | ${hash(JSON.stringify(layerRows({ units: 8, inputDim: 16, batch: 8, steps: 300, every: 100 }, [0.2, 0.4], { seed: 6, layers: 6, singleTrials: 300 })))}`);
}

for (const l of lines) console.log(l);
console.error(`\nsame-bytes: ${lines.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
