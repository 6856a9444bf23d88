import type { RawSweepConfig } from "../config/fields.ts";
import type { Experiment, SweepMeasurement } from "./types.ts";

/**
 * The regime and remedy experiments of issue 6 (docs/regimes.md, docs/psbn.md), as data for the
 * reproduce set. Every variant of one figure uses the same seed and grid, so cells that differ only in
 * the optimiser, weight decay, phases or norm see the same random numbers (paired). The claims state
 * what the paper (or Mehta et al. 2019) says; the measured sentence is written by the builder, and
 * test/regimes.test.ts and test/psbn.test.ts check each direction at one setting with 3 SE.
 */

const BASE: RawSweepConfig = { beta: 0, gamma: 1, batch: 32, steps: 500, seed: 1, collapse: "ratio:3", noise: "gauss:1" };
const LR = [0.05, 0.08, 0.125, 0.2, 0.32];
const QUICK = { steps: 300, trials: 300 } as const;

const sweep = (label: string, extra: RawSweepConfig, lr: number[] = LR, trials = 800): SweepMeasurement => ({
  kind: "sweep",
  label,
  config: { ...BASE, lr, trials, ...extra },
  quick: { ...QUICK, lr: lr.filter((_, i) => i % 2 === 0) },
});
const scaled = (f: number) => LR.map((x) => Number((x * f).toPrecision(3)));

/** pre-training on a sparse teacher (gamma* = 0.3, r* = -2): leaves gamma ~ 0.25-0.3 and r ~ -2 */
const PRETRAIN = (optimizer: string, lr: number) => [{ steps: 1000, lr, optimizer, loss: "teacher:0.3:-0.6:0.5" }];
/** the fine-tuning task of the remedy comparison: teacher (1, 0) with label noise 8 */
export const FINE_TUNE_TASK: RawSweepConfig = { loss: "teacher:1:0:8", phases: [{ steps: 800, lr: 0.05, loss: "teacher:0.3:-0.6:0.2" }] };

export const REGIME_EXPERIMENTS: Experiment[] = [
  {
    id: "regime-optimisers",
    title: "SGD, momentum, Adam and AdamW: matched lr and matched effective step",
    figure: "comparison",
    claim:
      "Adaptive optimisers collapse more filters (the paper; Mehta et al. 2019). At matched lr, momentum 0.9 and Adam take far larger effective steps than SGD; 'matched' variants scale lr by 1 − m = 0.1 (momentum) and by σ√(Φ(0)/B) ≈ 1/8 (Adam's step against SGD's typical β step), so the η axis shows each variant's own lr.",
    measurements: [
      sweep("SGD", { optimizer: "sgd" }),
      sweep("momentum 0.9", { optimizer: "momentum:0.9" }),
      sweep("Adam", { optimizer: "adam" }, scaled(0.1)),
      sweep("AdamW (no decay)", { optimizer: "adamw" }, scaled(0.1)),
      sweep("momentum 0.9, lr × 0.1 (matched)", { optimizer: "momentum:0.9" }, scaled(0.1)),
      sweep("Adam, lr × 1/8 (matched)", { optimizer: "adam" }, scaled(0.125)),
    ],
    options: { legendTitle: "optimiser" },
  },
  {
    id: "regime-adam-decay",
    title: "Weight decay with Adam: coupled L2 against decoupled (AdamW)",
    figure: "comparison",
    claim: "L2 regularisation with an adaptive optimiser increases filter sparsity (Mehta et al. 2019): Adam's normalised step turns a small L2 pull on γ into a step of order η, so γ shrinks and η/γ grows; AdamW's decoupled decay shrinks γ only by η λ per step.",
    measurements: [
      sweep("Adam, no decay", { optimizer: "adam" }, scaled(0.1)),
      sweep("Adam + L2 0.03", { optimizer: "adam", weightDecay: 0.03 }, scaled(0.1)),
      sweep("AdamW 0.03", { optimizer: "adamw", weightDecay: 0.03 }, scaled(0.1)),
    ],
    options: { legendTitle: "optimiser" },
  },
  {
    id: "regime-batch",
    title: "Batch size 8 to 512",
    figure: "comparison",
    claim: "Larger mini-batches give less filter sparsity (Mehta et al. 2019). In the model the per-step noise variance is σ²/B, so τ ∝ 1/B. The criterion is ratio:2, inside the live region of every B (B = 8 dies at r ≤ −√7 ≈ −2.65, so ratio:3 would never be met by a B = 8 unit that died first).",
    measurements: [sweep("batch", { batch: [8, 32, 128, 512], collapse: "ratio:2" }, LR, 600)],
    options: { splitBy: "batch", legendTitle: "B" },
  },
  {
    id: "regime-fine-tuning",
    title: "Fine-tuning after pre-training against training from scratch",
    figure: "comparison",
    claim: "Collapse is more prominent when a network is fine-tuned (the paper). Here phase 1 (1000 updates on a sparse teacher, γ* = 0.3, r* = −2) leaves γ small and r near the boundary; phase 2 is the noise loss at η. With Adam, the moments are reset (a new optimiser) or kept.",
    measurements: [
      sweep("from scratch (SGD)", { steps: 300 }),
      sweep("fine-tuned (SGD)", { steps: 300, phases: PRETRAIN("sgd", 0.05) }),
      sweep("fine-tuned (Adam, moments reset)", { steps: 300, optimizer: "adam", phases: PRETRAIN("adam", 0.01) }, scaled(0.02)),
      sweep("fine-tuned (Adam, moments kept)", { steps: 300, optimizer: "adam", phases: PRETRAIN("adam", 0.01), keepOptimizerState: true }, scaled(0.02)),
    ],
    options: { legendTitle: "start" },
  },
  {
    id: "regime-tails",
    title: "Gaussian against Student-t gradient noise (same variance)",
    figure: "comparison",
    claim: "The η²/γ² law is a second-moment (diffusion) statement; with heavy-tailed noise, rare large steps could dominate and flatten the dependence on η. B = 8, criterion ratio:2, every noise scaled to unit variance, drawn per sample.",
    measurements: [
      sweep("Gaussian", { batch: 8, collapse: "ratio:2", noiseSampling: "per-sample" }, [0.04, 0.056, 0.08, 0.11, 0.16], 600),
      sweep("Student-t ν = 4", { batch: 8, collapse: "ratio:2", noise: "student:4" }, [0.04, 0.056, 0.08, 0.11, 0.16], 600),
      sweep("Student-t ν = 2.2", { batch: 8, collapse: "ratio:2", noise: "student:2.2" }, [0.04, 0.056, 0.08, 0.11, 0.16], 600),
    ],
    options: { legendTitle: "noise" },
  },
  {
    id: "regime-leaky",
    title: "LeakyReLU: sparsification without an absorbing region",
    figure: "comparison",
    claim: "The paper says collapse also occurs with Leaky ReLU. With slope α below the kink no region is absorbing (test/regimes.test.ts: units just inside the ReLU dead cone come back); the noise still pushes r down, so units still become sparse (r ≤ −3) but can recover.",
    measurements: [
      sweep("ReLU", { act: "relu" }),
      sweep("LeakyReLU 0.1", { act: "leaky:0.1" }),
      sweep("LeakyReLU 0.3", { act: "leaky:0.3" }),
    ],
    options: { legendTitle: "activation", yTitle: "P(r ≤ −3 reached by T), not absorbing" },
  },
  {
    id: "remedy-norms",
    title: "Remedies on a fine-tuning task: BN, revive (a psBN reconstruction), r as the learned shift",
    figure: "comparison",
    claim: "psBN keeps BN's representational power and makes saturated parameters trainable again (the paper). revive is our reconstruction of psBN from those two properties (docs/psbn.md; `--norm psbn` is FixMatch's BN + 0.1, figure psbn-recovery): it does not prevent the first passage, it brings the unit back; rshift (y = γ(x̂ + ρ)) removes the noise-driven drift of r. Task: pre-train on a sparse teacher, then fine-tune on teacher (1, 0) with label noise 8.",
    measurements: [
      sweep("BN", { ...FINE_TUNE_TASK, norm: "bn" }, [0.02, 0.03, 0.045, 0.06, 0.09], 400),
      sweep("revive", { ...FINE_TUNE_TASK, norm: "revive" }, [0.02, 0.03, 0.045, 0.06, 0.09], 400),
      sweep("learned shift (rshift)", { ...FINE_TUNE_TASK, norm: "rshift" }, [0.02, 0.03, 0.045, 0.06, 0.09], 400),
    ],
    options: { legendTitle: "norm" },
  },
];
