/**
 * Batch normalisation in training mode with PyTorch semantics (docs/model.md section 1):
 * biased batch variance, eps inside the square root. These work in place on typed arrays and
 * allocate nothing, so the step loop and the public API share them.
 */

/** Writes xhat_i = (h_i - mean) / sqrt(var + eps) for i < n and returns 1 / sqrt(var + eps). */
export function batchNormalise(h: Float64Array, n: number, eps: number, xhat: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += h[i];
  const mean = sum / n;
  const invStd = inverseStd(h, 0, n, mean, eps);
  for (let i = 0; i < n; i++) xhat[i] = (h[i] - mean) * invStd;
  return invStd;
}

/**
 * 1 / sqrt(var + eps) of the batch h[from .. from + n) with the given mean: the biased variance, one
 * pass of squared deviations. Every BN of the engine (the unit's batch, the fused exact-sum step, the
 * layer's units) takes its scale from here, so they agree to the last bit.
 */
export function inverseStd(h: Float64Array, from: number, n: number, mean: number, eps: number): number {
  let ss = 0;
  const end = from + n;
  for (let i = from; i < end; i++) {
    const d = h[i] - mean;
    ss += d * d;
  }
  return 1 / Math.sqrt(ss / n + eps);
}

/**
 * Gradient through the normalisation: given dL/dxhat, writes dL/dh.
 * d xhat_i / d h_j = invStd (delta_ij - 1/n - xhat_i xhat_j / n), exact with eps included.
 */
export function batchNormBackward(
  xhat: Float64Array,
  dxhat: Float64Array,
  n: number,
  invStd: number,
  dh: Float64Array,
): void {
  let sumD = 0;
  let sumDX = 0;
  for (let i = 0; i < n; i++) {
    sumD += dxhat[i];
    sumDX += dxhat[i] * xhat[i];
  }
  const meanD = sumD / n;
  const meanDX = sumDX / n;
  for (let i = 0; i < n; i++) dh[i] = invStd * (dxhat[i] - meanD - xhat[i] * meanDX);
}
