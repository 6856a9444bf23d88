/**
 * A BN layer (issue 6 item 3, docs/layer.md): K BN + ReLU units on one shared input batch, feeding a
 * learnable linear readout trained with plain SGD on a teacher layer of the same shape.
 *
 *   x_b ~ N(0, I_d) (shared),  h_ib = w_i . x_b (w_i fixed, random),  xhat_i = BN(h_i) (training mode),
 *   z_ib = ReLU(gamma_i xhat_ib + beta_i),  pred_b = sum_i a_i z_ib,
 *   t_b = sum_i a*_i ReLU(gamma*_i xhat_ib + beta*_i) + labelNoise xi_b,
 *   L = (1/B) sum_b (pred_b - t_b)^2 / 2.
 *
 * The teacher shares the student's features w_i (it is realisable: gamma = gamma*, beta = beta*,
 * a = a* gives zero excess loss). w is fixed, so the gradients of gamma, beta and a need no backward
 * pass through the batch statistics: with res_b = pred_b - t_b and delta_ib = a_i res_b,
 *   dL/da_i = (1/B) sum_b res_b z_ib,  dL/dgamma_i = (1/B) sum_b delta_ib f'(y_ib) xhat_ib,
 *   dL/dbeta_i = (1/B) sum_b delta_ib f'(y_ib)   (f'(0) = 0, as PyTorch).
 *
 * Each unit's h_ib (b = 1..B) is i.i.d. N(0, |w_i|^2), and BN removes the scale: marginally a unit
 * sees exactly the single-unit engine's Gaussian input. The shared x only correlates units (through
 * w_i . w_j), as in a real layer.
 *
 * Random numbers: layer `index` draws everything from its own stream seedState(trajectoryKey(seed,
 * layerStreams(config), index)); the family names K, d, B and the teacher but NOT lr, gamma0 or beta0,
 * so layers at different lr see the same w, teacher, initial readout and batches (paired comparisons).
 * Order per layer: w (K d), a (K), a* (K); then per step x (B d), xi (B).
 */
import { ratioOf } from "../model/criteria.ts";
import { fillNormal } from "../rng/normal.ts";
import { inverseStd } from "../unit/batchnorm.ts";
import { layerStreams, trajectoryKey } from "../rng/keys.ts";
import { seedState } from "../rng/streams.ts";
import { createRngState, type RngState } from "../rng/xoshiro.ts";

export interface LayerConfig {
  /** K: units in the layer */
  units: number;
  /** d: input dimension of the fixed random features w_i */
  inputDim: number;
  /** B >= 2 */
  batch: number;
  /** SGD learning rate, the same for gamma, beta and a */
  lr: number;
  /** T: updates */
  steps: number;
  gamma0: number;
  beta0: number;
  /** the teacher's gamma*_i and beta*_i (the same for every unit) */
  teacherGamma: number;
  teacherBeta: number;
  /** standard deviation of the label noise xi_b */
  labelNoise: number;
  /** a_i(0) and a*_i are i.i.d. N(0, readoutScale^2 / K) */
  readoutScale: number;
  /** false: a stays at its initial value (a fixed readout) */
  learnReadout: boolean;
  bnEps: number;
  /** record the dead count every `every` updates */
  every: number;
}

export const DEFAULT_LAYER: LayerConfig = {
  units: 16,
  inputDim: 32,
  batch: 8,
  lr: 0.1,
  steps: 1000,
  gamma0: 1,
  beta0: 0,
  teacherGamma: 1,
  teacherBeta: 0,
  labelNoise: 4,
  readoutScale: 1,
  learnReadout: true,
  bnEps: 1e-5,
  every: 100,
};

export function defineLayer(fields: Partial<LayerConfig> = {}): LayerConfig {
  const c = { ...DEFAULT_LAYER, ...fields };
  const int = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!int(c.units, 1)) throw new RangeError(`units must be an integer >= 1, got ${c.units}`);
  if (!int(c.inputDim, 1)) throw new RangeError(`inputDim must be an integer >= 1, got ${c.inputDim}`);
  if (!int(c.batch, 2)) throw new RangeError(`batch must be an integer >= 2, got ${c.batch}`);
  if (!int(c.steps, 1)) throw new RangeError(`steps must be an integer >= 1, got ${c.steps}`);
  if (!int(c.every, 1)) throw new RangeError(`every must be an integer >= 1, got ${c.every}`);
  for (const k of ["lr", "gamma0", "beta0", "teacherGamma", "teacherBeta", "labelNoise", "readoutScale", "bnEps"] as const) {
    if (!Number.isFinite(c[k])) throw new RangeError(`${k} must be finite, got ${c[k]}`);
  }
  if (c.labelNoise < 0 || c.bnEps < 0 || c.lr < 0) throw new RangeError("labelNoise, bnEps and lr must be >= 0");
  return c;
}

/** Preallocated state and scratch of one layer: reused for every layer of a run, nothing allocated per step. */
export class CompiledLayer {
  readonly K: number;
  readonly d: number;
  readonly B: number;
  readonly cfg: LayerConfig;
  readonly sideBound: number;
  readonly w: Float64Array; // K x d
  readonly x: Float64Array; // B x d
  readonly xi: Float64Array; // B label noise draws
  readonly h: Float64Array; // K x B
  readonly xhat: Float64Array; // K x B
  readonly z: Float64Array; // K x B
  readonly pred: Float64Array; // B
  readonly target: Float64Array; // B
  readonly res: Float64Array; // B
  readonly gamma: Float64Array;
  readonly beta: Float64Array;
  readonly a: Float64Array;
  readonly teacherA: Float64Array;
  readonly gGamma: Float64Array;
  readonly gBeta: Float64Array;
  readonly gA: Float64Array;
  /** 1-based update after which unit i first met the dead criterion; 0 if not (yet) */
  readonly deadAt: Int32Array;
  /** per unit, this layer so far: sum of a_i^2 mean_b res_b^2 over alive updates, and their number */
  readonly unitDeltaSq: Float64Array;
  readonly unitAlive: Int32Array;
  /** per-layer accumulators of the last step: sum over alive units of a_i^2 mean_b res_b^2, and of a_i^2 labelNoise^2 */
  deltaSq = 0;
  noiseSq = 0;
  alive = 0;

  constructor(cfg: LayerConfig) {
    this.cfg = cfg;
    const K = (this.K = cfg.units), d = (this.d = cfg.inputDim), B = (this.B = cfg.batch);
    this.sideBound = Math.sqrt(B - 1);
    this.w = new Float64Array(K * d);
    this.x = new Float64Array(B * d);
    this.xi = new Float64Array(B);
    this.h = new Float64Array(K * B);
    this.xhat = new Float64Array(K * B);
    this.z = new Float64Array(K * B);
    this.pred = new Float64Array(B);
    this.target = new Float64Array(B);
    this.res = new Float64Array(B);
    this.gamma = new Float64Array(K);
    this.beta = new Float64Array(K);
    this.a = new Float64Array(K);
    this.teacherA = new Float64Array(K);
    this.gGamma = new Float64Array(K);
    this.gBeta = new Float64Array(K);
    this.gA = new Float64Array(K);
    this.deadAt = new Int32Array(K);
    this.unitDeltaSq = new Float64Array(K);
    this.unitAlive = new Int32Array(K);
  }
}

/** Draws a layer's fixed parts (w, a(0), a*) from its stream and sets gamma, beta to their start. */
export function initLayer(c: CompiledLayer, s: RngState): void {
  const K = c.K, cfg = c.cfg;
  fillNormal(s, c.w, K * c.d);
  fillNormal(s, c.a, K);
  fillNormal(s, c.teacherA, K);
  const sc = cfg.readoutScale / Math.sqrt(K);
  for (let i = 0; i < K; i++) {
    c.a[i] *= sc;
    c.teacherA[i] *= sc;
    c.gamma[i] = cfg.gamma0;
    c.beta[i] = cfg.beta0;
    c.deadAt[i] = 0;
    c.unitDeltaSq[i] = 0;
    c.unitAlive[i] = 0;
  }
}

/** One batch: x (B d) then the label noise (B). */
export function drawLayerBatch(c: CompiledLayer, s: RngState): void {
  fillNormal(s, c.x, c.B * c.d);
  fillNormal(s, c.xi, c.B);
}

/**
 * Forward and backward pass for the batch in c.x, c.xi at the current (gamma, beta, a): writes the
 * gradients into gGamma, gBeta, gA, the noise accumulators, and returns the loss.
 */
export function layerForwardBackward(c: CompiledLayer): number {
  const K = c.K, d = c.d, B = c.B, cfg = c.cfg;
  const w = c.w, x = c.x, h = c.h, xhat = c.xhat, z = c.z, pred = c.pred, target = c.target, res = c.res;
  const gamma = c.gamma, beta = c.beta, a = c.a, ta = c.teacherA;
  const tg = cfg.teacherGamma, tb = cfg.teacherBeta, eps = cfg.bnEps;
  for (let b = 0; b < B; b++) {
    pred[b] = 0;
    target[b] = cfg.labelNoise * c.xi[b];
  }
  for (let i = 0; i < K; i++) {
    const o = i * B;
    let sum = 0;
    for (let b = 0; b < B; b++) {
      let acc = 0;
      const xo = b * d, wo = i * d;
      for (let k = 0; k < d; k++) acc += w[wo + k] * x[xo + k];
      h[o + b] = acc;
      sum += acc;
    }
    const mean = sum / B;
    const invStd = inverseStd(h, o, B, mean, eps);
    const g = gamma[i], be = beta[i], ai = a[i], tai = ta[i];
    for (let b = 0; b < B; b++) {
      const xv = (h[o + b] - mean) * invStd;
      xhat[o + b] = xv;
      const y = g * xv + be;
      const zv = y > 0 ? y : 0;
      z[o + b] = zv;
      pred[b] += ai * zv;
      const yt = tg * xv + tb;
      target[b] += yt > 0 ? tai * yt : 0;
    }
  }
  let loss = 0, resSq = 0;
  for (let b = 0; b < B; b++) {
    const r = pred[b] - target[b];
    res[b] = r;
    loss += r * r;
    resSq += r * r;
  }
  loss /= 2 * B;
  resSq /= B;
  const noise2 = cfg.labelNoise * cfg.labelNoise;
  let deltaSq = 0, noiseSq = 0, alive = 0;
  for (let i = 0; i < K; i++) {
    const o = i * B, ai = a[i];
    let gG = 0, gB = 0, gA = 0;
    for (let b = 0; b < B; b++) {
      const zv = z[o + b];
      gA += res[b] * zv;
      if (zv > 0) {
        gG += res[b] * xhat[o + b];
        gB += res[b];
      }
    }
    c.gA[i] = gA / B;
    c.gGamma[i] = (ai * gG) / B;
    c.gBeta[i] = (ai * gB) / B;
    if (c.deadAt[i] === 0) {
      deltaSq += ai * ai * resSq;
      c.unitDeltaSq[i] += ai * ai * resSq;
      c.unitAlive[i]++;
      noiseSq += ai * ai * noise2;
      alive++;
    }
  }
  c.deltaSq = deltaSq;
  c.noiseSq = noiseSq;
  c.alive = alive;
  return loss;
}

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

/** Simulates layers firstTrial .. firstTrial + trials - 1, each from its own stream. */
export function simulateLayer(config: Partial<LayerConfig>, options: SimulateLayerOptions): LayerOutcomes {
  const cfg = defineLayer(config);
  const { seed, trials, firstTrial = 0 } = options;
  const K = cfg.units, T = cfg.steps;
  const c = new CompiledLayer(cfg);
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
  const key = layerStreams(cfg);
  const s = createRngState();
  const lr = cfg.lr, learnA = cfg.learnReadout, sb = c.sideBound;
  const gamma = c.gamma, beta = c.beta, a = c.a, deadAt = c.deadAt;
  const tailFrom = T - Math.max(1, Math.floor(T / 10));
  for (let j = 0; j < trials; j++) {
    seedState(trajectoryKey(seed, key, firstTrial + j), s);
    initLayer(c, s);
    let dSum = 0, nSum = 0, aliveSum = 0, lossTail = 0, bad = 0;
    for (let t = 0; t < T; t++) {
      drawLayerBatch(c, s);
      const loss = layerForwardBackward(c);
      dSum += c.deltaSq;
      nSum += c.noiseSq;
      aliveSum += c.alive;
      if (t >= tailFrom) lossTail += loss;
      for (let i = 0; i < K; i++) {
        gamma[i] -= lr * c.gGamma[i];
        beta[i] -= lr * c.gBeta[i];
        if (learnA) a[i] -= lr * c.gA[i];
        if (deadAt[i] === 0) {
          const g = gamma[i], be = beta[i];
          if (ratioOf(g, be) <= -sb) deadAt[i] = t + 1;
        }
        if (!(Number.isFinite(gamma[i]) && Number.isFinite(beta[i]) && Number.isFinite(a[i]))) bad = 1;
      }
      if (bad) break;
    }
    const o = j * K;
    for (let i = 0; i < K; i++) {
      out.deadAt[o + i] = bad ? 0 : deadAt[i];
      out.unitDeltaSqSum[o + i] = c.unitDeltaSq[i];
      out.unitAliveSteps[o + i] = c.unitAlive[i];
    }
    out.nonFinite[j] = bad;
    out.deltaSqSum[j] = dSum;
    out.noiseSqSum[j] = nSum;
    out.aliveSteps[j] = aliveSum;
    out.finalLoss[j] = lossTail / (T - tailFrom);
  }
  return out;
}
