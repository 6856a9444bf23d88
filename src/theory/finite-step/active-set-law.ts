import { sampleTail, sampleTailQuantile } from "../standardised-sample.ts";
import { gaussLegendre01 } from "../gauss-rules.ts";
import { standardisedBatches } from "./batch-sample.ts";

/**
 * The exact one-step law of plain SGD on the noise loss, given r = beta/|gamma| (gamma > 0; gamma < 0
 * is the mirror image xhat -> -xhat). Given the batch, the gradient is Gaussian:
 *
 *   (g_gamma, g_beta) ~ N(0, (sigma/B)^2 [[Q2, Q1], [Q1, Q0]]),   Q_k = sum_i a_i^2 xhat_i^k
 *
 * (a_i the activation slope of sample i), so the batch enters only through the active-set moments,
 * and the step of (a, b) = (gamma, beta)/(lr sigma) is L z with L L^T = [[Q2, Q1], [Q1, Q0]] / B^2,
 * z ~ N(0, I2): a Gaussian scale mixture over batches. This file turns the law of the batch into a
 * short list of weighted Gaussian components (w, L):
 *
 * - r >= sqrt(B-1): every sample is active, Q = (B, 0, B) exactly (sum xhat = 0, sum xhat^2 = B).
 * - r <= -sqrt(B-1): none is (ReLU: no step; LeakyReLU: Q = alpha^2 (B, 0, B)).
 * - few active samples expected (B P(xhat > -r) <= 1): by exchangeability,
 *   E[f(Q); K >= 1] = B E[f(Q) / K; xhat_1 > -r], K the number of active samples. xhat_1 given
 *   xhat_1 > -r is integrated by Gauss-Legendre in its tail probability (its law is exact:
 *   xhat_1^2 / (B-1) ~ Beta(1/2, (B-2)/2)); given xhat_1 = x the other B-1 samples are
 *   -x/(B-1) + c(x) y with y a standardised (B-1)-batch (uniform on its sphere), taken from a fixed
 *   pre-sample. Deep in the tail (two samples beyond -r impossible) this is exact: K = 1 and
 *   Q = (1, x, x^2), a rank-1 step along (x, 1).
 * - otherwise: the mean over a fixed pre-sample of standardised B-batches.
 *
 * BN's eps (xhat shrunk by sqrt(v / (v + eps)), ~1e-5 relative) is neglected. Rank-2 components
 * are merged into `groups` groups of equal weight, ordered by scale Q0 + Q2, each keeping its mean
 * covariance; rank-1 components (one active sample, ReLU) are kept as they are.
 */
export interface ActiveSetLawSpec {
  /** Gauss-Legendre nodes over the tail law of the active sample */
  tailNodes: number;
  /** pre-sampled standardised (B-1)-batches (the rest of the batch given that sample) */
  restSamples: number;
  /** pre-sampled standardised B-batches (where many samples are active) */
  batchSamples: number;
  /** groups of equal weight that rank-2 components, and separately line components, are merged into */
  groups: number;
  /** names the pre-sample's random stream (another name, another pre-sample: how its error is measured) */
  presample: string;
}

export interface StepLaw {
  /** (w, l11, l21, l22) of component k at 4k .. 4k + 3; l22 = 0 marks a rank-1 (line) step */
  data: Float64Array;
  count: number;
  /** total weight of the components; 1 - moving does not move */
  moving: number;
  /** Cholesky factor (l11, l21, l22) of the components' mean covariance (given a move) */
  mean: Float64Array;
  /** largest sqrt(l11^2 + l21^2 + l22^2) of a component: the scale of the widest step */
  widest: number;
}

export interface BatchSamples {
  batch: number;
  /** restSamples standardised (B-1)-batches */
  rest: Float64Array;
  /** batchSamples standardised B-batches */
  full: Float64Array;
  spec: ActiveSetLawSpec;
}

export function batchSamples(batch: number, spec: ActiveSetLawSpec): BatchSamples {
  return {
    batch,
    spec,
    rest: batch > 2 ? standardisedBatches(batch - 1, spec.restSamples, `bn-collapse/finite-step/${spec.presample}/rest/${batch}`) : new Float64Array(0),
    full: standardisedBatches(batch, spec.batchSamples, `bn-collapse/finite-step/${spec.presample}/batch/${batch}`),
  };
}

/** Raw components before merging: (w, q2, q1, q0, rank1 flag, tail node) */
const RAW = 6;

export function stepLaw(r: number, alpha: number, s: BatchSamples): StepLaw {
  const B = s.batch, a2 = alpha * alpha, edge = Math.sqrt(B - 1);
  if (r >= edge) return single(1, B, 0, B, B);
  if (r <= -edge) return alpha > 0 ? single(1, a2 * B, 0, a2 * B, B) : single(0, 0, 0, 0, B);
  const raw = rawComponents(r, s);
  // LeakyReLU: every sample keeps slope alpha: Q = (1 - alpha^2) Q_active + alpha^2 (B, 0, B)
  let reluMoving = 0;
  for (let k = 0; k < raw.count; k++) reluMoving += raw.data[RAW * k];
  if (alpha > 0) {
    for (let k = 0; k < raw.count; k++) {
      const o = RAW * k;
      raw.data[o + 1] = (1 - a2) * raw.data[o + 1] + a2 * B;
      raw.data[o + 2] = (1 - a2) * raw.data[o + 2];
      raw.data[o + 3] = (1 - a2) * raw.data[o + 3] + a2 * B;
      raw.data[o + 4] = 0;
    }
    if (reluMoving < 1) raw.push(1 - reluMoving, a2 * B, 0, a2 * B, 0, -1);
  }
  return merge(raw, s.spec.groups, B);
}

function single(w: number, q2: number, q1: number, q0: number, B: number): StepLaw {
  const data = new Float64Array(4);
  if (w === 0) return { data, count: 0, moving: 0, mean: new Float64Array(3), widest: 0 };
  const l = cholesky(q2, q1, q0);
  for (let k = 0; k < 3; k++) l[k] /= B;
  data.set([w, l[0], l[1], l[2]]);
  return { data, count: 1, moving: w, mean: l, widest: Math.sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]) };
}

class RawList {
  data = new Float64Array(RAW * 64);
  count = 0;
  push(w: number, q2: number, q1: number, q0: number, rank1: number, node: number): void {
    if (RAW * (this.count + 1) > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data.set([w, q2, q1, q0, rank1, node], RAW * this.count++);
  }
}

function rawComponents(r: number, s: BatchSamples): RawList {
  const B = s.batch, c = -r, edge = Math.sqrt(B - 1), out = new RawList();
  if (B === 2) {
    // xhat = +-1: for -1 < r < 1 only the +1 sample is active
    out.push(1, 1, 1, 1, 1, 0);
    return out;
  }
  const tail = sampleTail(c / edge, B);
  if (B * tail > 1) {
    const M = s.spec.batchSamples, full = s.full;
    for (let m = 0; m < M; m++) {
      let K = 0, q1 = 0, q2 = 0;
      for (let i = 0; i < B; i++) {
        const x = full[m * B + i];
        if (x > c) {
          K++;
          q1 += x;
          q2 += x * x;
        }
      }
      if (K > 0) out.push(1 / M, q2, q1, K, K === 1 ? 1 : 0, -1);
    }
    return out;
  }
  const rule = gaussLegendre01(s.spec.tailNodes), M = s.spec.restSamples, rest = s.rest, n = B - 1;
  for (let k = 0; k < rule.x.length; k++) {
    const x = edge * sampleTailQuantile(tail * rule.x[k], B);
    const spread = Math.sqrt((B * Math.max(0, 1 - (x * x) / (B - 1))) / (B - 1));
    let alone = 0;
    for (let m = 0; m < M; m++) {
      let K = 1, q1 = x, q2 = x * x;
      for (let i = 0; i < n; i++) {
        const xi = -x / n + spread * rest[m * n + i];
        if (xi > c) {
          K++;
          q1 += xi;
          q2 += xi * xi;
        }
      }
      const w = (B * tail * rule.w[k]) / (M * K);
      if (K === 1) alone += w;
      else out.push(w, q2, q1, K, 0, k);
    }
    if (alone > 0) out.push(alone, x * x, x, 1, 1, k);
  }
  return out;
}

/** Cholesky factor (l11, l21, l22) of [[q2, q1], [q1, q0]] / B^2 ... without the 1/B (applied by the caller). */
function cholesky(q2: number, q1: number, q0: number): Float64Array {
  const l11 = Math.sqrt(q2), l21 = l11 > 0 ? q1 / l11 : 0, rest = q0 - l21 * l21;
  return Float64Array.of(l11, l21, rest > 1e-12 * q0 ? Math.sqrt(rest) : 0);
}

function merge(raw: RawList, groups: number, B: number): StepLaw {
  const d = raw.data, n = raw.count;
  const out: number[] = [];
  let moving = 0, m2 = 0, m1 = 0, m0 = 0, widest = 0;
  const emit = (w: number, q2: number, q1: number, q0: number, rank1: boolean) => {
    const l = rank1 ? Float64Array.of(Math.sqrt(q2), q1 / Math.sqrt(q2), 0) : cholesky(q2, q1, q0);
    const l11 = l[0] / B, l21 = l[1] / B, l22 = l[2] / B;
    out.push(w, l11, l21, l22);
    moving += w;
    m2 += w * q2;
    m1 += w * q1;
    m0 += w * q0;
    widest = Math.max(widest, Math.sqrt(l11 * l11 + l21 * l21 + l22 * l22));
  };
  const wide: number[] = [], lines: number[] = [];
  let total = 0, lineTotal = 0;
  for (let k = 0; k < n; k++) {
    const o = RAW * k;
    if (d[o + 4] === 1) {
      lines.push(k);
      lineTotal += d[o];
    } else {
      wide.push(k);
      total += d[o];
    }
  }
  // lines (one active sample at x: Q = (1, x, x^2)) in groups of equal weight by x, each at its mean x
  lines.sort((i, j) => d[RAW * i + 2] - d[RAW * j + 2] || i - j);
  {
    let g = 0, w = 0, x = 0, cum = 0;
    for (const k of lines) {
      const o = RAW * k;
      w += d[o];
      x += d[o] * d[o + 2];
      cum += d[o];
      if (cum >= (((g + 1) * lineTotal) / groups) * (1 - 1e-12)) {
        emit(w, (x / w) * (x / w), x / w, 1, true);
        w = x = 0;
        g++;
      }
    }
    if (w > 0) emit(w, (x / w) * (x / w), x / w, 1, true);
  }
  wide.sort((i, j) => d[RAW * i + 1] + d[RAW * i + 3] - (d[RAW * j + 1] + d[RAW * j + 3]) || i - j);
  let g = 0, w = 0, q2 = 0, q1 = 0, q0 = 0, cum = 0;
  for (const k of wide) {
    const o = RAW * k, wk = d[o];
    w += wk;
    q2 += wk * d[o + 1];
    q1 += wk * d[o + 2];
    q0 += wk * d[o + 3];
    cum += wk;
    if (cum >= ((g + 1) * total) / groups * (1 - 1e-12)) {
      emit(w, q2 / w, q1 / w, q0 / w, false);
      w = q2 = q1 = q0 = 0;
      g++;
    }
  }
  if (w > 0) emit(w, q2 / w, q1 / w, q0 / w, false);
  const mean = moving > 0 ? cholesky(m2 / moving, m1 / moving, m0 / moving) : new Float64Array(3);
  for (let k = 0; k < 3; k++) mean[k] /= B;
  return { data: Float64Array.from(out), count: out.length / 4, moving, mean, widest };
}
