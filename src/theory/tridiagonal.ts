/**
 * Solves a tridiagonal system in place (Thomas algorithm, no pivoting: used only on diagonally dominant
 * implicit-diffusion matrices). Row k reads lower[k] x[k-1] + diag[k] x[k] + upper[k] x[k+1] = rhs[k]
 * for k = 0..n-1; lower[0] and upper[n-1] are ignored. The solution overwrites rhs; scratch has length n.
 */
export function solveTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
  n: number,
  scratch: Float64Array,
): void {
  let d = diag[0];
  rhs[0] /= d;
  for (let k = 1; k < n; k++) {
    scratch[k] = upper[k - 1] / d;
    d = diag[k] - lower[k] * scratch[k];
    rhs[k] = (rhs[k] - lower[k] * rhs[k - 1]) / d;
  }
  for (let k = n - 2; k >= 0; k--) rhs[k] -= scratch[k + 1] * rhs[k + 1];
}
