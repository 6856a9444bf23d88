import type { RawSweepConfig } from "../config/fields.ts";
import { FINE_TUNE_TASK } from "./regimes.ts";
import type { Experiment, PathsMeasurement } from "./types.ts";

/**
 * revive's (our psBN reconstruction's) "recovery over time" and "teacher loss reached" (docs/psbn.md)
 * as a figure: the fine-tuning task of remedy-norms at lr 0.06, paths of BN, revive and rshift from
 * the same seed and stream key (the same random numbers), the fraction inside the dead region at each
 * recorded update.
 */
const TASK: RawSweepConfig = { ...FINE_TUNE_TASK, beta: 0, gamma: 1, batch: 32, lr: 0.06, steps: 500, seed: 1, collapse: "ratio:3", noise: "gauss:1", trials: 1 };
const norm = (label: string, n: string): PathsMeasurement => ({ kind: "paths", label, config: { ...TASK, norm: n }, quick: { steps: 300 }, paths: 300, every: 10 });

export const RECOVERY_EXPERIMENTS: Experiment[] = [
  {
    id: "remedy-recovery",
    title: "Recovery over time under BN, revive (a psBN reconstruction) and a learned shift",
    figure: "recovery",
    claim:
      "psBN makes saturated parameters trainable again (the paper); revive is our reconstruction of that property (docs/psbn.md): units that enter the dead region come back, so the fraction in the collapsed region (r ≤ −3, as docs/psbn.md counts it) falls back towards 0 under revive while BN's stays; rshift removes the noise-driven drift of r, so fewer units get there at all. Task: pre-train on a sparse teacher, then fine-tune on teacher (1, 0) with label noise 8 at η = 0.06.",
    measurements: [norm("BN", "bn"), norm("revive", "revive"), norm("learned shift (rshift)", "rshift")],
  },
];
