/**
 * The measured table of the digits MLP experiment (reference/pytorch/digits_mlp.py writes it as
 * digits-runs.json): plain data, read with checks so that a damaged table fails with one line.
 */
import { ConfigError } from "../model/errors.ts";

export interface LayerSnapshot {
  /** units with r = beta/|gamma| <= -sqrt(B - 1) now */
  dead: number;
  /** units that met it after some update so far */
  everDead: number;
  neverFireEval: number;
  neverFireTrain: number;
  sigmaWindow: number | null;
}

export interface Snapshot {
  step: number;
  loss: number | null;
  trainAcc: number;
  testAcc: number;
  layers: LayerSnapshot[];
}

export interface RunLayer {
  layer: number;
  units: number;
  /** RMS of delta_i = B dL/dz_i over every sample of every update while the unit was outside the cone */
  sigmaEff: number | null;
  sigmaUnitMedian: number | null;
  /** the share of sum delta^2 in the batch-mean part B (mean_i delta_i)^2 */
  meanShare: number | null;
  /** quantile groups of the per-unit sigma_eff: units and their RMS sigma */
  sigmaGroups: { units: number; sigma: number | null }[];
  firstDead: number[];
}

export interface DigitsRun {
  optimizer: string;
  lr: number;
  weightDecay: number;
  seed: number;
  batch: number;
  steps: number;
  hidden: number[];
  nonFiniteAt: number | null;
  final: Snapshot;
  layers: RunLayer[];
  series: Snapshot[];
}

export interface DigitsTable {
  command: string;
  torch: string;
  hidden: number[];
  batch: number;
  steps: number;
  runs: DigitsRun[];
}

/** Parses digits-runs.json; `name` names the file in messages. */
export function parseDigitsTable(text: string, name: string): DigitsTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(name, `not JSON (${(e as Error).message})`);
  }
  const t = raw as Partial<DigitsTable>;
  if (!t || typeof t !== "object" || !Array.isArray(t.runs) || !Array.isArray(t.hidden) || !Number.isInteger(t.batch) || !Number.isInteger(t.steps)) {
    throw new ConfigError(name, "not a digits-runs.json table (needs hidden, batch, steps, runs)");
  }
  t.runs.forEach((r, k) => {
    const ok =
      typeof r.optimizer === "string" && r.lr > 0 && r.weightDecay >= 0 && Number.isInteger(r.seed) && r.batch === t.batch &&
      Array.isArray(r.layers) && r.layers.length === t.hidden!.length && r.final && Array.isArray(r.final.layers) && Array.isArray(r.series);
    if (!ok) throw new ConfigError(name, `runs[${k}] is not a complete run (optimizer, lr, weightDecay, seed, batch ${t.batch}, layers, final, series)`);
  });
  return t as DigitsTable;
}
