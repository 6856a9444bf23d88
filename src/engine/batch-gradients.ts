import { fillNormal } from "../rng/normal.ts";
import { studentUnitVariance } from "../rng/student.ts";
import type { RngState } from "../rng/xoshiro.ts";
import { batchNormalise, batchNormBackward, inverseStd } from "../unit/batchnorm.ts";
import type { Compiled, PhaseConstants } from "./compiled.ts";
import type { UnitState } from "./state.ts";

/**
 * The mechanistic model's gradient (docs/model.md sections 1-2): a fresh batch through BN each step, for
 * unit 0 of the state (this model runs one trajectory at a time), drawn from its stream, into the
 * scratch gradient g.
 */

/**
 * One mini-batch: draws the pre-normalisation values and normalises them (student, and teacher when
 * it sees other features). Returns the student's 1 / sqrt(var + eps).
 */
export function drawNormalisedBatch(c: Compiled, ph: PhaseConstants, s: UnitState): number {
  const u = c.unit, k = c.scratch, rng = s.streams[0];
  const B = u.batch, d = u.inputDim, h = k.h;
  if (d === 0) {
    fillNormal(rng, h, B);
  } else {
    const x = k.x, w = s.p, wt = u.teacherW, ht = k.hTeacher;
    fillNormal(rng, x, B * d);
    for (let i = 0; i < B; i++) {
      let acc = 0, accT = 0;
      for (let j = 0; j < d; j++) {
        acc += w[2 + j] * x[i * d + j];
        accT += wt[j] * x[i * d + j];
      }
      h[i] = acc;
      ht[i] = accT;
    }
    if (ph.teacher) batchNormalise(ht, B, u.bnEps, k.xhatTeacher);
  }
  return batchNormalise(h, B, u.bnEps, k.xhat);
}

/**
 * One step's batch and gradients: what the step calls. The default exact-sum path is fused (draw,
 * normalise, accumulate in one function, no value returned across a call); the other paths go
 * through drawNormalisedBatch and computeGradients. Both give the same bits.
 */
export function batchGradients(c: Compiled, ph: PhaseConstants, s: UnitState): void {
  if (ph.exactSum) exactSumBatchGradients(c, ph, s);
  else perSampleGradients(c, ph, s, drawNormalisedBatch(c, ph, s));
}

/**
 * drawNormalisedBatch + exactSumGradients fused, with the same arithmetic in the same order (so the
 * same numbers): the draw also sums, then the variance pass, then one pass that normalises and
 * accumulates. On the noise-only path (the default) the slope a_i = f'(y_i) is computed without a
 * branch (y_i > 0 is a coin flip the processor cannot predict) and inactive samples add exact zeros.
 */
function exactSumBatchGradients(c: Compiled, ph: PhaseConstants, s: UnitState): void {
  const u = c.unit, rng = s.streams[0];
  const B = u.batch, h = c.scratch.h, xhat = c.scratch.xhat, alpha = u.alpha;
  const sum = fillNormal(rng, h, B);
  const mean = sum / B;
  const invStd = inverseStd(h, 0, B, mean, u.bnEps);
  const gamma = s.p[0], beta = s.p[1];
  if (ph.teacher || ph.signal !== 0) {
    for (let i = 0; i < B; i++) xhat[i] = (h[i] - mean) * invStd;
    exactSumGradients(c, ph, s, rng); // a mean part to accumulate: the unfused loop, same arithmetic
    return;
  }
  // pure noise: the mean part is zero; only the three moments of the active set are needed
  let qxx = 0, qx = 0, q1 = 0;
  if (alpha === 0) {
    for (let i = 0; i < B; i++) {
      const xi = (h[i] - mean) * invStd;
      xhat[i] = xi;
      const on = +(gamma * xi + beta > 0);
      qxx += on * xi * xi;
      qx += on * xi;
      q1 += on;
    }
  } else {
    for (let i = 0; i < B; i++) {
      const xi = (h[i] - mean) * invStd;
      xhat[i] = xi;
      const on = +(gamma * xi + beta > 0);
      const a = on + (1 - on) * alpha;
      const a2 = a * a;
      qxx += a2 * xi * xi;
      qx += a2 * xi;
      q1 += a2;
    }
  }
  drawExactSumNoise(c, ph, rng, 0, 0, qxx, qx, q1);
}

/** The deterministic part of delta_i: the signal, or the teacher loss's residual. */
function upstreamMean(c: Compiled, ph: PhaseConstants, i: number, y: number): number {
  if (!ph.teacher) return ph.signal;
  const alpha = c.unit.alpha;
  const xt = c.unit.inputDim === 0 ? c.scratch.xhat[i] : c.scratch.xhatTeacher[i];
  const yt = ph.teacherGamma * xt + ph.teacherBeta;
  const z = y > 0 ? y : alpha * y;
  const zt = yt > 0 ? yt : alpha * yt;
  return ph.readout * (ph.readout * z - zt);
}

/**
 * Writes dL/dgamma, dL/dbeta (and dL/dw) into the scratch g for the batch in the scratch xhat, with
 * L = (1/B) sum_i l_i and delta_i = mean_i + scale * noise_i (docs/model.md section 2).
 */
export function computeGradients(c: Compiled, ph: PhaseConstants, s: UnitState, invStd: number): void {
  if (ph.exactSum) exactSumGradients(c, ph, s, s.streams[0]);
  else perSampleGradients(c, ph, s, invStd);
}

/**
 * Given the batch, (dL/dgamma, dL/dbeta) is Gaussian with mean (1/B) sum_i a_i m_i (xhat_i, 1) and
 * covariance (scale/B)^2 sum_i a_i^2 [[xhat_i^2, xhat_i], [xhat_i, 1]], a_i = f'(y_i). Drawing it
 * through the Cholesky factor of that 2x2 matrix gives the same law as B per-sample draws.
 */
function exactSumGradients(c: Compiled, ph: PhaseConstants, s: UnitState, rng: RngState): void {
  const B = c.unit.batch, xhat = c.scratch.xhat, alpha = c.unit.alpha;
  const gamma = s.p[0], beta = s.p[1];
  let meanG = 0, meanB = 0, qxx = 0, qx = 0, q1 = 0;
  for (let i = 0; i < B; i++) {
    const xi = xhat[i];
    const y = gamma * xi + beta;
    const a = y > 0 ? 1 : alpha;
    if (a === 0) continue;
    const mi = a * upstreamMean(c, ph, i, y);
    meanG += mi * xi;
    meanB += mi;
    const a2 = a * a;
    qxx += a2 * xi * xi;
    qx += a2 * xi;
    q1 += a2;
  }
  drawExactSumNoise(c, ph, rng, meanG, meanB, qxx, qx, q1);
}

/** The 2-draw noise of the exact-sum path, then g = (mean + scale * noise) / B. */
function drawExactSumNoise(
  c: Compiled,
  ph: PhaseConstants,
  rng: RngState,
  meanG: number,
  meanB: number,
  qxx: number,
  qx: number,
  q1: number,
): void {
  const B = c.unit.batch;
  let noiseG = 0, noiseB = 0;
  if (q1 > 0 && ph.noiseScale !== 0) {
    const z = c.scratch.draws;
    fillNormal(rng, z, 2);
    const z1 = z[0], z2 = z[1];
    const l11 = Math.sqrt(qxx);
    const l21 = l11 > 0 ? qx / l11 : 0;
    const rest = q1 - l21 * l21;
    const l22 = rest > 0 ? Math.sqrt(rest) : 0;
    noiseG = l11 * z1;
    noiseB = l21 * z1 + l22 * z2;
  }
  const sc = ph.noiseScale, g = c.scratch.g;
  g[0] = (meanG + sc * noiseG) / B;
  g[1] = (meanB + sc * noiseB) / B;
}

function perSampleGradients(c: Compiled, ph: PhaseConstants, s: UnitState, invStd: number): void {
  const k = c.scratch, rng = s.streams[0];
  const B = c.unit.batch, xhat = k.xhat, dy = k.dy, alpha = c.unit.alpha, sc = ph.noiseScale;
  const gamma = s.p[0], beta = s.p[1];
  const nu = ph.studentNu, tScale = ph.studentScale, draws = k.draws, g = k.g;
  // Gaussian noise: the B draws in one fused call, the same numbers in the same order as B normal(s)
  if (nu === 0) fillNormal(rng, draws, B);
  let gG = 0, gB = 0;
  for (let i = 0; i < B; i++) {
    const xi = xhat[i];
    const y = gamma * xi + beta;
    const on = +(y > 0); // no branch: the sign of y_i is a coin flip
    const a = on + (1 - on) * alpha;
    const noise = nu > 0 ? studentUnitVariance(rng, nu, tScale) : draws[i];
    const d = (a * (upstreamMean(c, ph, i, y) + sc * noise)) / B;
    dy[i] = d;
    gG += d * xi;
    gB += d;
  }
  g[0] = gG;
  g[1] = gB;
  const dim = c.unit.inputDim;
  if (dim > 0) {
    const dxhat = k.dxhat, dh = k.dh, x = k.x;
    for (let i = 0; i < B; i++) dxhat[i] = dy[i] * gamma;
    batchNormBackward(xhat, dxhat, B, invStd, dh);
    for (let j = 0; j < dim; j++) {
      let acc = 0;
      for (let i = 0; i < B; i++) acc += dh[i] * x[i * dim + j];
      g[2 + j] = acc;
    }
  }
}
