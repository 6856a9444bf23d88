/**
 * ReLU and LeakyReLU as one family: slope 1 for y > 0, slope alpha for y <= 0 (alpha = 0 is ReLU).
 * The derivative at exactly 0 is the negative side's, as in PyTorch.
 */
export function activate(y: number, alpha: number): number {
  return y > 0 ? y : alpha === 0 ? 0 : alpha * y;
}

export function activationSlope(y: number, alpha: number): number {
  return y > 0 ? 1 : alpha;
}
