import { batchNormalise, batchNormBackward, inverseStd } from "../unit/batchnorm.ts";
import { fillNormal } from "../rng/normal.ts";
import { studentUnitVariance } from "../rng/student.ts";
import type { RngState } from "../rng/xoshiro.ts";
import type { CompiledUnit } from "./compiled.ts";

/**
 * One mini-batch: draws the pre-normalisation values and normalises them (student, and teacher when
 * it sees other features). Returns the student's 1 / sqrt(var + eps).
 */
export function drawNormalisedBatch(c: CompiledUnit, s: RngState): number {
  const B = c.batch, d = c.inputDim, h = c.h;
  if (d === 0) {
    fillNormal(s, h, B);
  } else {
    const x = c.x, w = c.p, wt = c.teacherW, ht = c.hTeacher;
    fillNormal(s, x, B * d);
    for (let i = 0; i < B; i++) {
      let acc = 0, accT = 0;
      for (let k = 0; k < d; k++) {
        acc += w[2 + k] * x[i * d + k];
        accT += wt[k] * x[i * d + k];
      }
      h[i] = acc;
      ht[i] = accT;
    }
    if (c.teacher) batchNormalise(ht, B, c.bnEps, c.xhatTeacher);
  }
  return batchNormalise(h, B, c.bnEps, c.xhat);
}

/**
 * One step's batch and gradients into c.g: what the trajectory loop calls. The default exact-sum
 * path is fused (draw, normalise, accumulate in one function, no value returned across a call);
 * the other paths go through drawNormalisedBatch and computeGradients. Both give the same bits.
 */
export function batchGradients(c: CompiledUnit, s: RngState): void {
  if (c.exactSum) exactSumBatchGradients(c, s);
  else computeGradients(c, s, drawNormalisedBatch(c, s));
}

/**
 * drawNormalisedBatch + exactSumGradients fused, with the same arithmetic in the same order (so the
 * same numbers): the draw also sums, then the variance pass, then one pass that normalises and
 * accumulates. On the noise-only path (the default) the slope a_i = f'(y_i) is computed without a
 * branch (y_i > 0 is a coin flip the processor cannot predict) and inactive samples add exact zeros.
 */
function exactSumBatchGradients(c: CompiledUnit, s: RngState): void {
  const B = c.batch, h = c.h, xhat = c.xhat, alpha = c.alpha;
  const sum = fillNormal(s, h, B);
  const mean = sum / B;
  const invStd = inverseStd(h, 0, B, mean, c.bnEps);
  const gamma = c.p[0], beta = c.p[1];
  if (c.teacher || c.signal !== 0) {
    for (let i = 0; i < B; i++) xhat[i] = (h[i] - mean) * invStd;
    exactSumGradients(c, s); // a mean part to accumulate: the unfused loop, same arithmetic
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
  drawExactSumNoise(c, s, 0, 0, qxx, qx, q1);
}

/** The deterministic part of delta_i: the signal, or the teacher loss's residual. */
function upstreamMean(c: CompiledUnit, i: number, y: number): number {
  if (!c.teacher) return c.signal;
  const alpha = c.alpha;
  const xt = c.inputDim === 0 ? c.xhat[i] : c.xhatTeacher[i];
  const yt = c.teacherGamma * xt + c.teacherBeta;
  const z = y > 0 ? y : alpha * y;
  const zt = yt > 0 ? yt : alpha * yt;
  return c.readout * (c.readout * z - zt);
}

/**
 * Writes dL/dgamma, dL/dbeta (and dL/dw) into c.g for the batch in c.xhat, with
 * L = (1/B) sum_i l_i and delta_i = mean_i + scale * noise_i (MODEL.md section 2).
 */
export function computeGradients(c: CompiledUnit, s: RngState, invStd: number): void {
  if (c.exactSum) exactSumGradients(c, s);
  else perSampleGradients(c, s, invStd);
}

/**
 * Given the batch, (dL/dgamma, dL/dbeta) is Gaussian with mean (1/B) sum_i a_i m_i (xhat_i, 1) and
 * covariance (scale/B)^2 sum_i a_i^2 [[xhat_i^2, xhat_i], [xhat_i, 1]], a_i = f'(y_i). Drawing it
 * through the Cholesky factor of that 2x2 matrix gives the same law as B per-sample draws.
 */
function exactSumGradients(c: CompiledUnit, s: RngState): void {
  const B = c.batch, xhat = c.xhat, alpha = c.alpha;
  const gamma = c.p[0], beta = c.p[1];
  let meanG = 0, meanB = 0, qxx = 0, qx = 0, q1 = 0;
  for (let i = 0; i < B; i++) {
    const xi = xhat[i];
    const y = gamma * xi + beta;
    const a = y > 0 ? 1 : alpha;
    if (a === 0) continue;
    const mi = a * upstreamMean(c, i, y);
    meanG += mi * xi;
    meanB += mi;
    const a2 = a * a;
    qxx += a2 * xi * xi;
    qx += a2 * xi;
    q1 += a2;
  }
  drawExactSumNoise(c, s, meanG, meanB, qxx, qx, q1);
}

/** The 2-draw noise of the exact-sum path, then c.g = (mean + scale * noise) / B. */
function drawExactSumNoise(c: CompiledUnit, s: RngState, meanG: number, meanB: number, qxx: number, qx: number, q1: number): void {
  const B = c.batch;
  let noiseG = 0, noiseB = 0;
  if (q1 > 0 && c.noiseScale !== 0) {
    const z = c.draws;
    fillNormal(s, z, 2);
    const z1 = z[0], z2 = z[1];
    const l11 = Math.sqrt(qxx);
    const l21 = l11 > 0 ? qx / l11 : 0;
    const rest = q1 - l21 * l21;
    const l22 = rest > 0 ? Math.sqrt(rest) : 0;
    noiseG = l11 * z1;
    noiseB = l21 * z1 + l22 * z2;
  }
  const sc = c.noiseScale;
  c.g[0] = (meanG + sc * noiseG) / B;
  c.g[1] = (meanB + sc * noiseB) / B;
}

function perSampleGradients(c: CompiledUnit, s: RngState, invStd: number): void {
  const B = c.batch, xhat = c.xhat, dy = c.dy, alpha = c.alpha, sc = c.noiseScale;
  const gamma = c.p[0], beta = c.p[1];
  const nu = c.studentNu, tScale = c.studentScale, draws = c.draws;
  // Gaussian noise: the B draws in one fused call, the same numbers in the same order as B normal(s)
  if (nu === 0) fillNormal(s, draws, B);
  let gG = 0, gB = 0;
  for (let i = 0; i < B; i++) {
    const xi = xhat[i];
    const y = gamma * xi + beta;
    const on = +(y > 0); // no branch: the sign of y_i is a coin flip
    const a = on + (1 - on) * alpha;
    const noise = nu > 0 ? studentUnitVariance(s, nu, tScale) : draws[i];
    const d = (a * (upstreamMean(c, i, y) + sc * noise)) / B;
    dy[i] = d;
    gG += d * xi;
    gB += d;
  }
  c.g[0] = gG;
  c.g[1] = gB;
  const dim = c.inputDim;
  if (dim > 0) {
    const dxhat = c.dxhat, dh = c.dh, x = c.x, g = c.g;
    for (let i = 0; i < B; i++) dxhat[i] = dy[i] * gamma;
    batchNormBackward(xhat, dxhat, B, invStd, dh);
    for (let k = 0; k < dim; k++) {
      let acc = 0;
      for (let i = 0; i < B; i++) acc += dh[i] * x[i * dim + k];
      g[2 + k] = acc;
    }
  }
}
