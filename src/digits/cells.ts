/**
 * The digits runs gathered into cells (optimiser, lr, weight decay): the measured fractions per
 * hidden layer and over all of them, as a mean over seeds with a standard error from the spread of
 * the seeds (units of one network are not independent trials: they share the data, the loss and
 * the upstream layers), and the noise the units saw, for the single-unit prediction.
 */
import { betaQuantile } from "../stats/special.ts";
import type { DigitsRun, DigitsTable } from "./runs.ts";

/** A fraction over the seeds of a cell: mean, SE of the mean, and mean +- t(0.975, n-1) SE in [0, 1]. */
export interface SeedMean {
  mean: number;
  se: number;
  lo: number;
  hi: number;
  seeds: number;
}

export interface CellLayer {
  /** 1-based hidden layer, or "all" for every hidden unit of the network */
  layer: number | "all";
  units: number;
  /** entered the dead cone r <= -sqrt(B - 1) by T (first passage; what sweep's P counts) */
  everDead: SeedMean;
  /** in the dead cone at T */
  dead: SeedMean;
  /** ReLU output 0 on every training example at T, eval mode (running statistics) */
  neverFireEval: SeedMean;
  /** the same in training mode (batch statistics, one pass in mini-batches of B) */
  neverFireTrain: SeedMean;
  /** sqrt of the mean over seeds of sigma_eff^2 */
  sigmaEff: number;
  /** the batch-mean share of delta^2, averaged over seeds (0 for a layer followed by BN) */
  meanShare: number;
  /** pooled over seeds: units that entered the cone by update `early.steps`, and by T */
  early: { steps: number; byEarly: number; byT: number };
  /** the pooled per-unit sigma_eff in `MIXTURE_GROUPS` groups of (nearly) equal size */
  mixture: { weight: number; sigma: number }[];
}

export interface DigitsCell {
  optimizer: string;
  lr: number;
  weightDecay: number;
  batch: number;
  steps: number;
  seeds: number[];
  /** seeds whose network ended at chance level (training accuracy below 0.5) or non-finite */
  diverged: number;
  trainAcc: SeedMean;
  testAcc: SeedMean;
  layers: CellLayer[];
}

export const MIXTURE_GROUPS = 4;
/** the first snapshot window of the digits runs, in updates */
export const EARLY_STEPS = 100;
export const DIVERGED_ACCURACY = 0.5;

export function digitsCells(table: DigitsTable): DigitsCell[] {
  const cells = new Map<string, DigitsRun[]>();
  for (const r of table.runs) {
    const key = `${r.optimizer}|${r.lr}|${r.weightDecay}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key)!.push(r);
  }
  return [...cells.values()].map((runs) => {
    const first = runs[0];
    const L = first.layers.length;
    const layers: CellLayer[] = [];
    for (let l = 0; l < L; l++) layers.push(cellLayer(runs, [l], l + 1));
    layers.push(cellLayer(runs, Array.from({ length: L }, (_, l) => l), "all"));
    return {
      optimizer: first.optimizer,
      lr: first.lr,
      weightDecay: first.weightDecay,
      batch: first.batch,
      steps: first.steps,
      seeds: runs.map((r) => r.seed),
      diverged: runs.filter((r) => r.nonFiniteAt !== null || r.final.trainAcc < DIVERGED_ACCURACY).length,
      trainAcc: seedMean(runs.map((r) => r.final.trainAcc)),
      testAcc: seedMean(runs.map((r) => r.final.testAcc)),
      layers,
    };
  });
}

function cellLayer(runs: DigitsRun[], ls: number[], label: number | "all"): CellLayer {
  const units = ls.reduce((a, l) => a + runs[0].layers[l].units, 0);
  const fraction = (get: (s: DigitsRun["final"]["layers"][number]) => number) =>
    seedMean(runs.map((r) => ls.reduce((a, l) => a + get(r.final.layers[l]), 0) / units));
  const sig2: number[] = [];
  const shares: number[] = [];
  const groups: { units: number; sigma: number }[] = [];
  for (const r of runs) {
    for (const l of ls) {
      const layer = r.layers[l];
      if (layer.sigmaEff !== null) sig2.push(layer.sigmaEff ** 2);
      if (layer.meanShare !== null) shares.push(layer.meanShare);
      for (const g of layer.sigmaGroups) if (g.sigma !== null && g.units > 0) groups.push({ units: g.units, sigma: g.sigma });
    }
  }
  let byEarly = 0, byT = 0;
  for (const r of runs) for (const l of ls) for (const t of r.layers[l].firstDead) {
    byT++;
    if (t <= EARLY_STEPS) byEarly++;
  }
  return {
    layer: label,
    units,
    early: { steps: EARLY_STEPS, byEarly, byT },
    everDead: fraction((s) => s.everDead),
    dead: fraction((s) => s.dead),
    neverFireEval: fraction((s) => s.neverFireEval),
    neverFireTrain: fraction((s) => s.neverFireTrain),
    sigmaEff: Math.sqrt(mean(sig2)),
    meanShare: mean(shares),
    mixture: mixtureGroups(groups, MIXTURE_GROUPS),
  };
}

/**
 * Pools (units, RMS sigma) groups into `n` groups of nearly equal units by sigma: each input group
 * goes whole to the output group its middle unit falls in; an output group's sigma is the RMS.
 */
export function mixtureGroups(groups: { units: number; sigma: number }[], n: number): { weight: number; sigma: number }[] {
  const total = groups.reduce((a, g) => a + g.units, 0);
  if (total === 0) return [];
  const sorted = [...groups].sort((a, b) => a.sigma - b.sigma);
  const bins = Array.from({ length: n }, () => ({ units: 0, s2: 0 }));
  let before = 0;
  for (const g of sorted) {
    const k = Math.min(n - 1, Math.floor(((before + g.units / 2) / total) * n));
    bins[k].units += g.units;
    bins[k].s2 += g.units * g.sigma ** 2;
    before += g.units;
  }
  return bins.filter((b) => b.units > 0).map((b) => ({ weight: b.units / total, sigma: Math.sqrt(b.s2 / b.units) }));
}

export function seedMean(values: number[]): SeedMean {
  const n = values.length;
  const m = mean(values);
  if (n < 2) return { mean: m, se: NaN, lo: 0, hi: 1, seeds: n };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const t = tQuantile975(n - 1);
  return { mean: m, se, lo: Math.max(0, m - t * se), hi: Math.min(1, m + t * se), seeds: n };
}

/** The 0.975 quantile of Student's t with `dof` degrees of freedom, through the incomplete beta function. */
export function tQuantile975(dof: number): number {
  // P(|T| > t) = I_{dof/(dof+t^2)}(dof/2, 1/2) = 0.05
  const x = betaQuantile(0.05, dof / 2, 0.5);
  return Math.sqrt((dof * (1 - x)) / x);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : NaN);
