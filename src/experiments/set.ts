import type { RawSweepConfig } from "../config/fields.ts";
import type { Experiment, SweepMeasurement } from "./types.ts";
import { REGIME_EXPERIMENTS } from "./regimes.ts";
import { LAYER_EXPERIMENTS } from "./layer.ts";
import { RECOVERY_EXPERIMENTS } from "./recovery.ts";
import { PSBN_RECOVERY_EXPERIMENT } from "./build-psbn.ts";

/**
 * The figure set of `bn-collapse reproduce`, as data. Figures that share a measurement share its
 * config, so it is run (and cached) once. Full: at most ~10 min on 2 cores; quick: under a minute,
 * with shorter horizons and fewer trials (its numbers are therefore not those of the full run).
 */

/** lr on the R5 series 1, 1.6, 2.5, 4, 6.3 (round values, evenly spaced in log). */
const LR = [0.025, 0.04, 0.063, 0.1, 0.16, 0.25, 0.4, 0.63];
const GAMMA = [0.25, 0.5, 1, 2, 4];
const QUICK = { steps: 400, trials: 500 } as const;
const BASE: RawSweepConfig = { beta: 0, batch: 32, steps: 1000, seed: 1, collapse: "ratio:3", noise: "gauss:1" };

const MAIN: SweepMeasurement = {
  kind: "sweep",
  label: "main grid",
  config: { ...BASE, lr: LR, gamma: GAMMA, trials: 1500 },
  quick: { ...QUICK, lr: [0.05, 0.1, 0.2, 0.4], gamma: [0.5, 1, 2] },
};

const COMPARE_LR = [0.025, 0.063, 0.1, 0.16, 0.25, 0.4];
const QUICK_COMPARE_LR = [0.063, 0.16, 0.4];
const compare = (label: string, extra: RawSweepConfig): SweepMeasurement => ({
  kind: "sweep",
  label,
  config: { ...BASE, gamma: 1, lr: COMPARE_LR, trials: 1000, ...extra },
  quick: { ...QUICK, lr: QUICK_COMPARE_LR },
});

export const EXPERIMENTS: Experiment[] = [
  {
    id: "p-vs-lr",
    title: "Collapse probability against the learning rate",
    figure: "probability-vs-lr",
    claim: "P(collapse) ∝ η²/γ₀²: on log-log axes, straight lines of slope 2, shifted right by a factor 2 for each doubling of γ₀.",
    measurements: [MAIN],
  },
  {
    id: "heatmap",
    title: "Collapse probability over (η, γ₀)",
    figure: "heatmap",
    claim: "P depends on η and γ₀ only through η/γ₀ (as η²/γ₀²), so P is constant along the dashed iso-lines η/γ₀ = const.",
    measurements: [MAIN],
    options: { isoRatios: [0.05, 0.2, 0.8] },
  },
  {
    id: "exponents",
    title: "Fitted scaling exponents against the paper's +2 and −2",
    figure: "exponents",
    claim: "d log P / d log η = +2 and d log P / d log γ₀ = −2.",
    measurements: [MAIN],
  },
  {
    id: "p-vs-tau",
    title: "P(collapse by T) against τ = η²σ²T/(Bγ₀²): series at equal τ differ",
    figure: "probability-vs-tau",
    claim: "P(collapse by T) is a function of τ alone (the paper's η²/γ₀², with the batch size and the horizon), so every series falls on one curve.",
    // Across batch sizes the criterion must mean the same thing: "dead" is the absorbing cone itself.
    // (A fixed ratio:3 lies beyond the dead cone -sqrt(B-1) = -2.65 at B = 8, where r freezes before
    // reaching it, so it would count only the rare single steps that jump past -3.)
    measurements: [
      { kind: "sweep", label: "B = 32", config: { ...BASE, collapse: "dead", gamma: [0.5, 1, 2], lr: LR, trials: 1500 }, quick: { ...QUICK, lr: [0.05, 0.1, 0.2, 0.4], gamma: [0.5, 1] } },
      { kind: "sweep", label: "B = 8", config: { ...BASE, collapse: "dead", batch: 8, gamma: 1, lr: [0.0125, 0.02, 0.032, 0.05, 0.08, 0.125, 0.2, 0.32], trials: 1500 }, quick: { ...QUICK, lr: [0.025, 0.05, 0.1, 0.2] } },
      { kind: "sweep", label: "T = 250", config: { ...BASE, collapse: "dead", steps: 250, gamma: 1, lr: [0.05, 0.08, 0.125, 0.2, 0.32, 0.5, 0.8], trials: 1500 }, quick: { steps: 100, trials: 500, lr: [0.1, 0.2, 0.4, 0.8] } },
    ],
  },
  {
    id: "survival",
    title: "When units collapse: Kaplan-Meier survival of the first-passage time",
    figure: "survival",
    claim: "(no direct claim) The larger η/γ₀, the earlier and the more often a unit collapses.",
    measurements: [MAIN],
    options: { gamma: 1, maxCurves: 5 },
  },
  {
    id: "drift",
    title: "Per-step sparsification drift: measured and theory",
    figure: "drift",
    claim: "Each update moves a unit towards sparsity by an amount of order η²/γ₀² (it is what drives P ∝ η²/γ₀²): the expected step of the sparsity s = 1 − Φ(β/|γ|) is positive and ∝ η²/γ₀².",
    measurements: [
      {
        kind: "drift",
        label: "one-step drift",
        config: { ...BASE, steps: 1 },
        quick: { trials: 4000 },
        lr: LR,
        gamma: GAMMA,
        atGamma: 1,
        atLr: 0.2,
        trials: 20000,
      },
    ],
  },
  {
    id: "trajectories",
    title: "Sample trajectories in the (γ, β) plane",
    figure: "trajectories",
    claim: "Noise drives (γ, β) towards the dead cone β ≤ −√(B−1)|γ|, where a ReLU unit never fires again.",
    measurements: [{ kind: "paths", label: "paths", config: { ...BASE, lr: 0.25, gamma: 1, trials: 1 }, quick: { steps: 400 }, paths: 16, every: 5 }],
  },
  {
    id: "optimisers",
    title: "Optimisers: SGD, SGD with momentum, Adam",
    figure: "comparison",
    claim: "The η²/γ₀² law is derived for plain SGD. Momentum 0.9 multiplies the long-run step by 1/(1−0.9) = 10, and Adam normalises the gradient, so their curves need not follow it (an expectation, not a claim of the paper).",
    measurements: [compare("SGD", { optimizer: "sgd" }), compare("momentum 0.9", { optimizer: "momentum:0.9" }), compare("Adam", { optimizer: "adam" })],
    options: { legendTitle: "optimiser" },
  },
  {
    id: "batch-size",
    title: "Batch size",
    figure: "comparison",
    claim: "Smaller batches mean noisier gradients: P grows as B shrinks (τ ∝ 1/B). Criterion: the dead cone, whose edge −√(B−1) depends on B.",
    measurements: [compare("batch", { batch: [8, 16, 32, 64], collapse: "dead" })],
    options: { splitBy: "batch", legendTitle: "B" },
  },
  {
    id: "weight-decay",
    title: "Weight decay",
    figure: "comparison",
    claim: "Weight decay shrinks γ over the run, and the law says a smaller γ raises P: decay should increase collapse (an expectation from the law, not a measurement of the paper).",
    measurements: [compare("weight decay", { weightDecay: [0, 0.001, 0.01] })],
    options: { splitBy: "weightDecay", legendTitle: "weight decay λ" },
  },
  ...REGIME_EXPERIMENTS, // issue 6: regimes and remedies (src/experiments/regimes.ts)
  ...LAYER_EXPERIMENTS, // issue 6 item 3: the BN layer against the single unit (src/experiments/layer.ts)
  ...RECOVERY_EXPERIMENTS, // issue 6 item 4: recovery over time, BN vs revive vs rshift (src/experiments/recovery.ts)
  PSBN_RECOVERY_EXPERIMENT, // issue 15 item 1: psBN (BN + alpha) under weight decay (src/experiments/build-psbn.ts)
];
