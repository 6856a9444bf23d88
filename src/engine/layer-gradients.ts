/**
 * The layer model (docs/layer.md, src/model/layer.ts): K BN + ReLU units on one shared input batch,
 * feeding a learnable linear readout trained on a teacher layer of the same shape,
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
 * As a UnitState: the K units are its units (width 2: gamma_i, beta_i), and the shared parameters
 * after them are the readout a (trained unless learnReadout is false), then the features w (K x d)
 * and the teacher's readout a*, which the optimiser never touches: the state holds everything a
 * layer's future depends on. All random numbers come from stream 0: per layer w (K d), a (K), a* (K);
 * then per step x (B d), xi (B).
 */
import type { LayerConfig } from "../model/layer.ts";
import { defineProblem } from "../model/problem.ts";
import { fillNormal } from "../rng/normal.ts";
import { inverseStd } from "../unit/batchnorm.ts";
import { MODEL_LAYER, assemble, compilePhase, unitConstants, type Compiled } from "./compiled.ts";
import { startTrajectories, type UnitState } from "./state.ts";

/** A layer's sizes, its teacher and its scratch; the diagnostics of the last step and of the layer so far. */
export interface LayerKernel {
  readonly K: number;
  readonly d: number;
  readonly B: number;
  readonly teacherGamma: number;
  readonly teacherBeta: number;
  readonly labelNoise: number;
  readonly readoutScale: number;
  readonly bnEps: number;
  /** where the shared parameters start in p: the readout a, the features w, the teacher's a* */
  readonly readoutAt: number;
  readonly featuresAt: number;
  readonly teacherAt: number;
  readonly x: Float64Array; // B x d
  readonly xi: Float64Array; // B label noise draws
  readonly h: Float64Array; // K x B
  readonly xhat: Float64Array; // K x B
  readonly z: Float64Array; // K x B
  readonly pred: Float64Array; // B
  readonly target: Float64Array; // B
  readonly res: Float64Array; // B
  /** the last step's loss; sums over alive units of a_i^2 mean_b res_b^2 and of a_i^2 labelNoise^2; alive units */
  loss: number;
  deltaSq: number;
  noiseSq: number;
  alive: number;
  /** per unit, this layer so far: sum of a_i^2 mean_b res_b^2 over alive updates, and their number */
  readonly unitDeltaSq: Float64Array;
  readonly unitAlive: Int32Array;
}

/**
 * A layer as a Compiled run: its units are BN + ReLU units with the dead criterion (r <= -sqrt(B - 1))
 * updated by plain SGD at the layer's lr; its gradient is the layer's (MODEL_LAYER).
 */
export function compileLayer(cfg: LayerConfig): Compiled {
  const K = cfg.units, d = cfg.inputDim, B = cfg.batch;
  const units = defineProblem({
    batch: B,
    bnEps: cfg.bnEps,
    gamma0: cfg.gamma0,
    beta0: cfg.beta0,
    steps: cfg.steps,
    collapse: { kind: "dead" },
    optimizer: { kind: "sgd", lr: cfg.lr },
  });
  const phase = compilePhase(units.optimizer, cfg.steps, null, B, false, true, false);
  const kernel: LayerKernel = {
    K,
    d,
    B,
    teacherGamma: cfg.teacherGamma,
    teacherBeta: cfg.teacherBeta,
    labelNoise: cfg.labelNoise,
    readoutScale: cfg.readoutScale,
    bnEps: cfg.bnEps,
    readoutAt: 2 * K,
    featuresAt: 3 * K,
    teacherAt: 3 * K + K * d,
    x: new Float64Array(B * d),
    xi: new Float64Array(B),
    h: new Float64Array(K * B),
    xhat: new Float64Array(K * B),
    z: new Float64Array(K * B),
    pred: new Float64Array(B),
    target: new Float64Array(B),
    res: new Float64Array(B),
    loss: 0,
    deltaSq: 0,
    noiseSq: 0,
    alive: 0,
    unitDeltaSq: new Float64Array(K),
    unitAlive: new Int32Array(K),
  };
  return assemble(MODEL_LAYER, K, 2, K + K * d + K, cfg.learnReadout ? K : 0, unitConstants(units), [phase], null, kernel);
}

/**
 * Starts a layer whose stream 0 the caller has seeded: draws its fixed parts (w, a(0), a*), puts
 * every unit at (gamma0, beta0) and clears the layer's diagnostics. Allocates three views (once per layer).
 */
export function startLayer(c: Compiled, s: UnitState): void {
  const L = c.layer!, K = L.K, p = s.p, rng = s.streams[0];
  startTrajectories(c, s, K);
  fillNormal(rng, p.subarray(L.featuresAt, L.featuresAt + K * L.d), K * L.d);
  const a = p.subarray(L.readoutAt, L.readoutAt + K), ta = p.subarray(L.teacherAt, L.teacherAt + K);
  fillNormal(rng, a, K);
  fillNormal(rng, ta, K);
  const sc = L.readoutScale / Math.sqrt(K);
  for (let i = 0; i < K; i++) {
    a[i] *= sc;
    ta[i] *= sc;
  }
  L.unitDeltaSq.fill(0);
  L.unitAlive.fill(0);
}

/** The layer's step gradient: one batch (x, then the label noise) from stream 0, then layerForwardBackward. */
export function layerGradients(c: Compiled, s: UnitState): void {
  drawLayerBatch(c, s);
  layerForwardBackward(c, s);
}

export function drawLayerBatch(c: Compiled, s: UnitState): void {
  const L = c.layer!, rng = s.streams[0];
  fillNormal(rng, L.x, L.B * L.d);
  fillNormal(rng, L.xi, L.B);
}

/**
 * Forward and backward pass for the batch in the kernel's x, xi at the state's (gamma, beta, a):
 * writes the gradients into the scratch g, laid out as p, and the loss and the noise diagnostics into
 * the kernel (a unit counts as alive until its first passage).
 */
export function layerForwardBackward(c: Compiled, s: UnitState): void {
  const L = c.layer!, K = L.K, d = L.d, B = L.B, p = s.p, g = c.scratch.g;
  const x = L.x, h = L.h, xhat = L.xhat, z = L.z, pred = L.pred, target = L.target, res = L.res;
  const ra = L.readoutAt, wa = L.featuresAt, taAt = L.teacherAt;
  const tg = L.teacherGamma, tb = L.teacherBeta, eps = L.bnEps;
  for (let b = 0; b < B; b++) {
    pred[b] = 0;
    target[b] = L.labelNoise * L.xi[b];
  }
  for (let i = 0; i < K; i++) {
    const o = i * B;
    let sum = 0;
    for (let b = 0; b < B; b++) {
      let acc = 0;
      const xo = b * d, wo = wa + i * d;
      for (let k = 0; k < d; k++) acc += p[wo + k] * x[xo + k];
      h[o + b] = acc;
      sum += acc;
    }
    const mean = sum / B;
    const invStd = inverseStd(h, o, B, mean, eps);
    const gi = p[2 * i], be = p[2 * i + 1], ai = p[ra + i], tai = p[taAt + i];
    for (let b = 0; b < B; b++) {
      const xv = (h[o + b] - mean) * invStd;
      xhat[o + b] = xv;
      const y = gi * xv + be;
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
  const noise2 = L.labelNoise * L.labelNoise;
  let deltaSq = 0, noiseSq = 0, alive = 0;
  for (let i = 0; i < K; i++) {
    const o = i * B, ai = p[ra + i];
    let gG = 0, gB = 0, gA = 0;
    for (let b = 0; b < B; b++) {
      const zv = z[o + b];
      gA += res[b] * zv;
      if (zv > 0) {
        gG += res[b] * xhat[o + b];
        gB += res[b];
      }
    }
    g[ra + i] = gA / B;
    g[2 * i] = (ai * gG) / B;
    g[2 * i + 1] = (ai * gB) / B;
    if (s.firstPassage[i] === 0) {
      deltaSq += ai * ai * resSq;
      L.unitDeltaSq[i] += ai * ai * resSq;
      L.unitAlive[i]++;
      noiseSq += ai * ai * noise2;
      alive++;
    }
  }
  L.loss = loss;
  L.deltaSq = deltaSq;
  L.noiseSq = noiseSq;
  L.alive = alive;
}
