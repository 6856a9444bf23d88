/** A binomial count k of n at a covariate u. */
export interface BinomialPoint {
  u: number;
  k: number;
  n: number;
}

export interface LogisticPolyFit {
  degree: number;
  /** coefficients of logit p in powers of the standardised covariate (u - centre) / scale */
  coefficients: number[];
  centre: number;
  scale: number;
  /** fitted probability at each point, in input order */
  fitted: number[];
  /** Pearson chi-square sum (k - n p)^2 / (n p (1 - p)) over the points */
  pearson: number;
  /** the binomial deviance 2 sum [k log(k / n p) + (n - k) log((n - k) / n (1 - p))] */
  deviance: number;
  converged: boolean;
}

/**
 * Maximum-likelihood binomial regression of logit p on a polynomial of degree `degree` in u, by
 * iteratively reweighted least squares (weights n p (1 - p)). Cells with k = 0 or k = n enter like
 * any other (no empirical logit is taken). The covariate is standardised for conditioning; the
 * linear predictor is clamped to |eta| <= 30 so that separated data cannot diverge.
 */
export function fitLogisticPolynomial(points: readonly BinomialPoint[], degree: number): LogisticPolyFit {
  const m = degree + 1;
  const us = points.map((p) => p.u);
  const centre = us.reduce((a, b) => a + b, 0) / us.length;
  const scale = Math.sqrt(us.reduce((a, u) => a + (u - centre) ** 2, 0) / us.length) || 1;
  const rows = us.map((u) => powers((u - centre) / scale, m));
  const pooled = points.reduce((a, p) => a + p.k, 0) / points.reduce((a, p) => a + p.n, 0);
  let beta = new Array<number>(m).fill(0);
  beta[0] = logit(Math.min(1 - 1e-6, Math.max(1e-6, pooled)));
  let converged = false;
  const devianceAt = (b: readonly number[]) => points.reduce((a, pt, i) => a + binomialDeviance(pt.k, pt.n, expit(clamp(dot(rows[i], b)))), 0);
  for (let iter = 0; iter < 100 && !converged; iter++) {
    const xtwx = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const xtwz = new Array<number>(m).fill(0);
    points.forEach((pt, i) => {
      const eta = clamp(dot(rows[i], beta));
      const p = expit(eta);
      const w = Math.max(pt.n * p * (1 - p), 1e-12);
      const z = eta + (pt.k - pt.n * p) / w;
      for (let a = 0; a < m; a++) {
        xtwz[a] += w * rows[i][a] * z;
        for (let b = 0; b < m; b++) xtwx[a][b] += w * rows[i][a] * rows[i][b];
      }
    });
    let next = solve(xtwx, xtwz);
    // step halving: IRLS can overshoot where cells separate; never accept a step that raises the deviance
    const current = devianceAt(beta);
    for (let h = 0; h < 40 && !(devianceAt(next) <= current * (1 + 1e-12) + 1e-12); h++) next = next.map((v, a) => (v + beta[a]) / 2);
    converged = next.every((v, a) => Math.abs(v - beta[a]) <= 1e-10 * (1 + Math.abs(v)));
    beta = next;
  }
  const fitted = rows.map((r) => expit(clamp(dot(r, beta))));
  const pearson = points.reduce((a, pt, i) => {
    const v = pt.n * fitted[i] * (1 - fitted[i]);
    return a + (v > 0 ? (pt.k - pt.n * fitted[i]) ** 2 / v : 0);
  }, 0);
  const deviance = points.reduce((a, pt, i) => a + binomialDeviance(pt.k, pt.n, fitted[i]), 0);
  return { degree, coefficients: beta, centre, scale, fitted, pearson, deviance, converged };
}

/** One cell's binomial deviance at fitted probability p (0 log 0 = 0). */
export function binomialDeviance(k: number, n: number, p: number): number {
  const term = (x: number, e: number) => (x === 0 ? 0 : x * Math.log(x / e));
  return Math.max(0, 2 * (term(k, n * p) + term(n - k, n * (1 - p))));
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number) => Math.max(-30, Math.min(30, x));
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

function powers(x: number, m: number): number[] {
  const out = [1];
  for (let j = 1; j < m; j++) out.push(out[j - 1] * x);
  return out;
}

/** Gaussian elimination with partial pivoting for the small normal equations. */
function solve(a: number[][], b: number[]): number[] {
  const m = b.length;
  const A = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    const d = A[c][c] || 1e-300;
    for (let r = c + 1; r < m; r++) {
      const f = A[r][c] / d;
      for (let k = c; k <= m; k++) A[r][k] -= f * A[c][k];
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = A[r][m];
    for (let k = r + 1; k < m; k++) s -= A[r][k] * x[k];
    x[r] = s / (A[r][r] || 1e-300);
  }
  return x;
}
