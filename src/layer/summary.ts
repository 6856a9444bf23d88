/**
 * Statistics of a layer run (docs/layer.md): the collapsed fraction over time with its uncertainty,
 * the measured per-unit upstream noise sigma_eff, and the single-unit engine's prediction at that noise.
 */
import { defineProblem } from "../model/problem.ts";
import { childSeed, layerSingleUnitStreams } from "../rng/keys.ts";
import { simulateTrajectories } from "../engine/simulate.ts";
import { STOP_NON_FINITE } from "../engine/trajectory.ts";
import { binomialStandardError, wilsonInterval } from "../stats/binomial.ts";
import type { LayerOutcomes } from "./layer.ts";

export interface LayerPoint {
  step: number;
  /** collapsed units / units, over all finite layers */
  fraction: number;
  /** Wilson 95% interval treating the units as independent trials */
  wilson95: [number, number];
  /** standard error from the spread of the per-layer fractions (units of a layer share the residual) */
  clusterSe: number;
  /** the binomial standard error sqrt(p (1 - p) / n) over units */
  binomialSe: number;
}

export interface LayerSummary {
  units: number;
  layers: number;
  nonFinite: number;
  /** the fraction at T, and over time every `config.every` updates */
  final: LayerPoint;
  overTime: LayerPoint[];
  /** unit 0 of each layer: an exactly binomial count over independent layers */
  firstUnit: { collapsed: number; layers: number; p: number; wilson95: [number, number] };
  /** sqrt of the mean over alive unit-updates of a_i^2 mean_b res_b^2 (the per-unit delta second moment) */
  sigmaEff: number;
  /** the same for the label-noise part a_i^2 labelNoise^2 alone */
  sigmaLabel: number;
  meanFinalLoss: number;
}

function point(o: LayerOutcomes, step: number): LayerPoint {
  const K = o.config.units;
  let k = 0, n = 0;
  const fr: number[] = [];
  for (let j = 0; j < o.trials; j++) {
    if (o.nonFinite[j]) continue;
    let kj = 0;
    for (let i = 0; i < K; i++) {
      const t = o.deadAt[j * K + i];
      if (t > 0 && t <= step) kj++;
    }
    k += kj;
    n += K;
    fr.push(kj / K);
  }
  const p = n > 0 ? k / n : NaN;
  let ss = 0;
  for (const f of fr) ss += (f - p) * (f - p);
  const L = fr.length;
  const clusterSe = L > 1 ? Math.sqrt(ss / (L - 1) / L) : Infinity;
  return { step, fraction: p, wilson95: wilsonInterval(k, n), clusterSe, binomialSe: binomialStandardError(k, n) };
}

export function summariseLayer(o: LayerOutcomes): LayerSummary {
  const cfg = o.config, T = cfg.steps;
  const overTime: LayerPoint[] = [];
  for (let t = cfg.every; t < T; t += cfg.every) overTime.push(point(o, t));
  const final = point(o, T);
  overTime.push(final);
  let nonFinite = 0, d = 0, nz = 0, alive = 0, loss = 0, c0 = 0;
  for (let j = 0; j < o.trials; j++) {
    if (o.nonFinite[j]) {
      nonFinite++;
      continue;
    }
    d += o.deltaSqSum[j];
    nz += o.noiseSqSum[j];
    alive += o.aliveSteps[j];
    loss += o.finalLoss[j];
    if (o.deadAt[j * cfg.units] > 0) c0++;
  }
  const L = o.trials - nonFinite;
  return {
    units: cfg.units,
    layers: L,
    nonFinite,
    final,
    overTime,
    firstUnit: { collapsed: c0, layers: L, p: L > 0 ? c0 / L : NaN, wilson95: wilsonInterval(c0, L) },
    sigmaEff: Math.sqrt(d / alive),
    sigmaLabel: Math.sqrt(nz / alive),
    meanFinalLoss: loss / L,
  };
}

export interface SingleUnitPrediction {
  sigma: number;
  trials: number;
  collapsed: number;
  p: number;
  se: number;
  wilson95: [number, number];
}

/**
 * The single-unit engine at the same B, lr, gamma0, beta0, T, the dead criterion and pure Gaussian
 * noise of standard deviation `sigma` (normally the layer's measured sigmaEff): its collapse probability.
 */
export function singleUnitPrediction(
  o: LayerOutcomes,
  sigma: number,
  options: { seed: string | number; trials: number },
): SingleUnitPrediction {
  const cfg = o.config;
  const problem = defineProblem({
    batch: cfg.batch,
    gamma0: cfg.gamma0,
    beta0: cfg.beta0,
    bnEps: cfg.bnEps,
    steps: cfg.steps,
    collapse: { kind: "dead" },
    loss: { kind: "noise", noise: { kind: "gauss", sigma }, signal: 0 },
    optimizer: { kind: "sgd", lr: cfg.lr },
  });
  const out = simulateTrajectories(problem, { seed: options.seed, trials: options.trials, streamKey: layerSingleUnitStreams(cfg.lr) });
  let k = 0, n = 0;
  for (let j = 0; j < options.trials; j++) {
    if (out.stopReason[j] === STOP_NON_FINITE) continue;
    n++;
    if (out.firstPassage[j] > 0) k++;
  }
  return { sigma, trials: n, collapsed: k, p: k / n, se: binomialStandardError(k, n), wilson95: wilsonInterval(k, n) };
}

export interface MixturePrediction {
  /** RMS per-unit sigma of each quantile group */
  sigmas: number[];
  p: number;
  se: number;
}

/**
 * The single-unit prediction for the layer's spread of per-unit noise: units sorted by their own
 * sigma_i (RMS of delta_ib over their alive updates), cut into `groups` equal groups, the engine run
 * at each group's RMS sigma with trials / groups trajectories, and the probabilities averaged.
 */
export function mixturePrediction(
  o: LayerOutcomes,
  options: { seed: string | number; trials: number; groups?: number },
): MixturePrediction {
  const groups = options.groups ?? 8;
  const s2: number[] = [];
  for (let j = 0; j < o.trials; j++) {
    if (o.nonFinite[j]) continue;
    for (let i = 0; i < o.config.units; i++) {
      const n = o.unitAliveSteps[j * o.config.units + i];
      s2.push(n > 0 ? o.unitDeltaSqSum[j * o.config.units + i] / n : 0);
    }
  }
  s2.sort((x, y) => x - y);
  const sigmas: number[] = [];
  let p = 0, v = 0;
  const per = Math.max(1, Math.floor(options.trials / groups));
  for (let g = 0; g < groups; g++) {
    const lo = Math.floor((g * s2.length) / groups), hi = Math.floor(((g + 1) * s2.length) / groups);
    let m = 0;
    for (let k = lo; k < hi; k++) m += s2[k];
    const sigma = Math.sqrt(m / Math.max(1, hi - lo));
    sigmas.push(sigma);
    const r = singleUnitPrediction(o, sigma, { seed: childSeed(options.seed, `g${g}`), trials: per });
    p += r.p / groups;
    v += (r.se * r.se) / (groups * groups);
  }
  return { sigmas, p, se: Math.sqrt(v) };
}
