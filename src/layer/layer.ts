/**
 * A BN layer of K units against the single unit (issue 6 item 3, docs/layer.md): the problem is
 * src/model/layer.ts, its gradient src/engine/layer-gradients.ts; this runs layers on the engine's
 * step and collects what src/layer/summary.ts reports.
 *
 * Random numbers: layer `index` draws everything from its own stream seedState(trajectoryKey(seed,
 * layerStreams(config), index)); the family names K, d, B and the teacher but NOT lr, gamma0 or beta0,
 * so layers at different lr see the same w, teacher, initial readout and batches (paired comparisons).
 */
import { defineLayer, type LayerConfig } from "../model/layer.ts";
import { compileLayer, startLayer } from "../engine/layer-gradients.ts";
import { allocateState } from "../engine/state.ts";
import { step } from "../engine/step.ts";
import { STOP_NON_FINITE, checkUnit } from "../engine/trajectory.ts";
import { layerStreams, trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";

/** Results of `trials` independent layers, in typed arrays (layer j's units at j K .. j K + K - 1). */
export interface LayerOutcomes {
  config: LayerConfig;
  seed: string | number;
  firstTrial: number;
  trials: number;
  /** first-passage update of each unit (0: never within T) */
  deadAt: Int32Array;
  /** 1 if the layer's parameters became non-finite (its units then count as not collapsed) */
  nonFinite: Uint8Array;
  /** per layer: sum over updates and alive units of a_i^2 mean_b res_b^2 (the per-unit delta second moment) */
  deltaSqSum: Float64Array;
  /** per layer: the same for the label-noise part a_i^2 labelNoise^2 alone */
  noiseSqSum: Float64Array;
  /** per layer: alive unit-updates counted in those sums */
  aliveSteps: Float64Array;
  /** per unit: sum over its alive updates of a_i^2 mean_b res_b^2, and the number of those updates */
  unitDeltaSqSum: Float64Array;
  unitAliveSteps: Int32Array;
  /** per layer: mean loss over the last tenth of the run */
  finalLoss: Float64Array;
}

export interface SimulateLayerOptions {
  seed: string | number;
  trials: number;
  /** index of the first layer (blocks of a larger ensemble) */
  firstTrial?: number;
}

/**
 * Simulates layers firstTrial .. firstTrial + trials - 1, each from its own stream: SGD on every
 * unit's (gamma, beta) and the readout, the dead criterion checked for every unit after every update
 * (a unit's first passage is recorded; it stays in the layer), until T or a parameter is not finite.
 */
export function simulateLayer(config: Partial<LayerConfig>, options: SimulateLayerOptions): LayerOutcomes {
  const cfg = defineLayer(config);
  const { seed, trials, firstTrial = 0 } = options;
  const K = cfg.units, T = cfg.steps;
  const c = compileLayer(cfg);
  const L = c.layer!;
  const s = allocateState(c);
  const out: LayerOutcomes = {
    config: cfg,
    seed,
    firstTrial,
    trials,
    deadAt: new Int32Array(trials * K),
    nonFinite: new Uint8Array(trials),
    deltaSqSum: new Float64Array(trials),
    noiseSqSum: new Float64Array(trials),
    aliveSteps: new Float64Array(trials),
    unitDeltaSqSum: new Float64Array(trials * K),
    unitAliveSteps: new Int32Array(trials * K),
    finalLoss: new Float64Array(trials),
  };
  const family = layerStreams(cfg);
  const tailFrom = T - Math.max(1, Math.floor(T / 10));
  for (let j = 0; j < trials; j++) {
    seedState(trajectoryKey(seed, family, firstTrial + j), s.streams[0]);
    startLayer(c, s);
    let dSum = 0, nSum = 0, aliveSum = 0, lossTail = 0, bad = 0;
    while (s.t < T) {
      step(c, s);
      dSum += L.deltaSq;
      nSum += L.noiseSq;
      aliveSum += L.alive;
      if (s.t > tailFrom) lossTail += L.loss; // the step just made was update s.t - 1 >= tailFrom
      for (let i = 0; i < K; i++) {
        if (checkUnit(c, s, i, false) === STOP_NON_FINITE || !Number.isFinite(s.p[L.readoutAt + i])) bad = 1;
      }
      if (bad) break;
    }
    const o = j * K;
    for (let i = 0; i < K; i++) {
      out.deadAt[o + i] = bad ? 0 : s.firstPassage[i];
      out.unitDeltaSqSum[o + i] = L.unitDeltaSq[i];
      out.unitAliveSteps[o + i] = L.unitAlive[i];
    }
    out.nonFinite[j] = bad;
    out.deltaSqSum[j] = dSum;
    out.noiseSqSum[j] = nSum;
    out.aliveSteps[j] = aliveSum;
    out.finalLoss[j] = lossTail / (T - tailFrom);
  }
  return out;
}
