/**
 * What the single unit predicts for a digits cell: the probability that a BN + ReLU unit starting
 * at (gamma0, beta0) = (1, 0), PyTorch's init, enters the dead cone r <= -sqrt(B - 1) by T, under the
 * cell's optimiser, lr, weight decay and B, with Gaussian upstream noise of the measured size.
 * - `single`: one sigma, the layer's sigma_eff (RMS over its alive unit-samples and the seeds);
 * - `mixture`: the units' spread of sigma_eff in quantile groups, the engine at each group's RMS
 *   sigma, averaged with the groups' weights (collapse is steep in sigma, so the spread matters).
 * Every group runs on its own seed, so that the groups' estimates are independent and the
 * mixture's SE is sqrt(sum w^2 se^2).
 */
import { resolveSweep } from "../ensemble/problem.ts";
import { runSweep } from "../ensemble/sweep.ts";
import { EARLY_STEPS, type CellLayer, type DigitsCell } from "./cells.ts";

export interface Prediction {
  p: number;
  se: number;
  trials: number;
}

export interface LayerPrediction {
  layer: number | "all";
  sigma: number;
  single: Prediction & {
    /** P(entered by update EARLY_STEPS): the same trajectories run to EARLY_STEPS (same seed and stream keys) */
    early: Prediction;
  };
  mixture: Prediction & { groups: { weight: number; sigma: number; p: number }[] };
}

export interface PredictOptions {
  singleTrials: number;
  groupTrials: number;
  workers?: number;
}

export async function predictLayer(cell: DigitsCell, layer: CellLayer, options: PredictOptions): Promise<LayerPrediction> {
  const key = `digits/${cell.optimizer}/${cell.lr}/${cell.weightDecay}/${layer.layer}`;
  const single = {
    ...(await unitP(cell, layer.sigmaEff, options.singleTrials, `${key}/single`, options.workers)),
    early: await unitP({ ...cell, steps: Math.min(EARLY_STEPS, cell.steps) }, layer.sigmaEff, options.singleTrials, `${key}/single`, options.workers),
  };
  const groups = [];
  for (const [k, g] of layer.mixture.entries()) groups.push({ ...g, ...(await unitP(cell, g.sigma, options.groupTrials, `${key}/group${k}`, options.workers)) });
  const p = groups.reduce((a, g) => a + g.weight * g.p, 0);
  const se = Math.sqrt(groups.reduce((a, g) => a + (g.weight * g.se) ** 2, 0));
  return {
    layer: layer.layer,
    sigma: layer.sigmaEff,
    single,
    mixture: { p, se, trials: options.groupTrials * groups.length, groups: groups.map((g) => ({ weight: g.weight, sigma: g.sigma, p: g.p })) },
  };
}

async function unitP(cell: DigitsCell, sigma: number, trials: number, seed: string, workers?: number): Promise<Prediction> {
  const result = await runSweep(
    resolveSweep({
      lr: [cell.lr], gamma: [1], beta: [0], batch: [cell.batch], weightDecay: [cell.weightDecay],
      steps: cell.steps, trials, seed, collapse: "dead", optimizer: cell.optimizer, noise: `gauss:${sigma}`,
    }),
    { workers },
  );
  const c = result.cells[0];
  if (c.p === null || c.se === null) throw new Error(`${seed}: no finite trajectory at sigma ${sigma}`);
  return { p: c.p, se: c.se, trials: c.trials - c.nonFinite };
}
