import type { Experiment } from "./types.ts";

/**
 * Issue 6 item 3 as a figure of the reproduce set: a BN layer's collapsed fraction against lr, next
 * to the single-unit prediction at the layer's measured per-unit noise (docs/layer.md, src/layer).
 * Cost: about 10 s full, under 5 s quick, on one core.
 */
export const LAYER_EXPERIMENTS: Experiment[] = [
  {
    id: "layer-vs-unit",
    title: "A BN layer's collapsed fraction against the single-unit prediction",
    figure: "layer-vs-unit",
    claim:
      "The single-unit model predicts a layer's collapsed fraction: a unit of a layer collapses with the probability of a lone unit driven by Gaussian noise of the size of its measured upstream gradient (σ_eff), so the layer's fraction should follow the single-unit P along η (the bridge from the single unit to the filters of a network).",
    measurements: [
      {
        kind: "layer",
        label: "layer and single unit",
        config: { units: 16, inputDim: 32, batch: 8, steps: 1000, labelNoise: 4 },
        lr: [0.05, 0.1, 0.2, 0.4],
        layers: 40,
        singleTrials: 1000,
        seed: 1,
        quick: { config: { steps: 400 }, lr: [0.1, 0.2, 0.4], layers: 16, singleTrials: 400 },
      },
    ],
  },
];
