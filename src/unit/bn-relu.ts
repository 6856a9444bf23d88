import { activate, activationSlope } from "./activation.ts";
import { batchNormalise, batchNormBackward } from "./batchnorm.ts";

/** Parameters of one BN + activation unit for a single batch. */
export interface UnitParams {
  gamma: number;
  beta: number;
  /** LeakyReLU slope for y <= 0; 0 (default) is ReLU */
  alpha?: number;
  /** BN epsilon, default 1e-5 */
  eps?: number;
}

export interface BnReluForward {
  mean: number;
  /** biased batch variance */
  variance: number;
  /** 1 / sqrt(variance + eps) */
  invStd: number;
  xhat: Float64Array;
  /** y = gamma xhat + beta */
  y: Float64Array;
  /** z = f(y) */
  z: Float64Array;
}

export interface BnReluGradients {
  dgamma: number;
  dbeta: number;
  /** dL/dy_i */
  dy: Float64Array;
  /** dL/dh_i through the batch statistics */
  dh: Float64Array;
}

/** Forward pass of BN (training mode) + affine + (Leaky)ReLU over one batch h. */
export function bnReluForward(h: ArrayLike<number>, params: UnitParams): BnReluForward {
  const n = h.length;
  if (n < 2) throw new RangeError(`bnReluForward: a batch needs at least 2 values, got ${n}`);
  const eps = params.eps ?? 1e-5;
  const alpha = params.alpha ?? 0;
  const hh = Float64Array.from(h);
  const xhat = new Float64Array(n);
  const invStd = batchNormalise(hh, n, eps, xhat);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += hh[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (hh[i] - mean) ** 2;
  variance /= n;
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = params.gamma * xhat[i] + params.beta;
    z[i] = activate(y[i], alpha);
  }
  return { mean, variance, invStd, xhat, y, z };
}

/**
 * Backward pass given dL/dz_i for every sample (for the mean loss L = (1/B) sum l_i pass
 * dz_i = delta_i / B). Returns the gradients of gamma, beta and every h_i.
 */
export function bnReluBackward(forward: BnReluForward, dz: ArrayLike<number>, params: UnitParams): BnReluGradients {
  const n = forward.xhat.length;
  if (dz.length !== n) throw new RangeError(`bnReluBackward: dz has ${dz.length} values for a batch of ${n}`);
  const alpha = params.alpha ?? 0;
  const dy = new Float64Array(n);
  const dxhat = new Float64Array(n);
  let dgamma = 0, dbeta = 0;
  for (let i = 0; i < n; i++) {
    dy[i] = dz[i] * activationSlope(forward.y[i], alpha);
    dgamma += dy[i] * forward.xhat[i];
    dbeta += dy[i];
    dxhat[i] = dy[i] * params.gamma;
  }
  const dh = new Float64Array(n);
  batchNormBackward(forward.xhat, dxhat, n, forward.invStd, dh);
  return { dgamma, dbeta, dy, dh };
}

/** h_i = w . x_i for a batch x stored row-major (n x d). */
export function linearForward(w: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const d = w.length;
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 0; k < d; k++) acc += w[k] * x[i * d + k];
    h[i] = acc;
  }
  return h;
}

/** dL/dw = sum_i dL/dh_i x_i for the linear pre-layer. */
export function linearBackward(dh: ArrayLike<number>, x: ArrayLike<number>, d: number): Float64Array {
  const n = dh.length;
  const dw = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += dh[i] * x[i * d + k];
    dw[k] = acc;
  }
  return dw;
}
