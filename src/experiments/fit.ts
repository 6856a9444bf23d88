import { betaQuantile } from "../stats/special.ts";

/** One point of a log-log fit: x > 0, a binomial count k of n. */
export interface CountPoint {
  x: number;
  k: number;
  n: number;
}

export interface SlopeFit {
  slope: number;
  lo: number;
  hi: number;
  /** points used */
  points: number;
}

/** Two-sided 95% quantile of Student's t with `dof` degrees of freedom, through the beta quantile. */
export function t975(dof: number): number {
  const x = betaQuantile(0.05, dof / 2, 0.5);
  return Math.sqrt((dof * (1 - x)) / x);
}

/**
 * The slope of log P against log x by weighted least squares, with weights n p/(1-p) (the inverse
 * delta-method variance of log p). The standard error is inflated by sqrt(chi²/dof) when the points
 * scatter more than binomially around the line (a law that does not hold shows up as a wide
 * interval, not a precise wrong slope); the interval uses Student's t with n-2 dof. Needs 3 points.
 * A local stand-in until src/analysis supplies its estimators.
 */
export function logLogSlope(data: readonly CountPoint[]): SlopeFit | null {
  const pts = data.filter((d) => d.x > 0 && d.k > 0 && d.k < d.n);
  if (pts.length < 3) return null;
  const xs = pts.map((d) => Math.log(d.x));
  const ys = pts.map((d) => Math.log(d.k / d.n));
  const ws = pts.map((d) => d.k / (1 - d.k / d.n));
  const sw = ws.reduce((a, b) => a + b, 0);
  const mx = ws.reduce((a, w, i) => a + w * xs[i], 0) / sw;
  const my = ws.reduce((a, w, i) => a + w * ys[i], 0) / sw;
  const sxx = ws.reduce((a, w, i) => a + w * (xs[i] - mx) ** 2, 0);
  const sxy = ws.reduce((a, w, i) => a + w * (xs[i] - mx) * (ys[i] - my), 0);
  const slope = sxy / sxx;
  const chi2 = ws.reduce((a, w, i) => a + w * (ys[i] - my - slope * (xs[i] - mx)) ** 2, 0);
  const dof = pts.length - 2;
  const se = Math.sqrt(Math.max(1, chi2 / dof) / sxx);
  const half = t975(dof) * se;
  return { slope, lo: slope - half, hi: slope + half, points: pts.length };
}

/**
 * Where p first rises through `level`, interpolating log x linearly in p between the two points
 * that bracket it; null if it never does. Points are taken in increasing x.
 */
export function crossing(points: readonly { x: number; p: number }[], level: number): number | null {
  const s = [...points].sort((a, b) => a.x - b.x);
  for (let i = 1; i < s.length; i++) {
    const a = s[i - 1], b = s[i];
    if (a.p < level && b.p >= level) {
      const f = (level - a.p) / (b.p - a.p);
      return Math.exp(Math.log(a.x) + f * (Math.log(b.x) - Math.log(a.x)));
    }
  }
  return null;
}

/** Slope of log y against log x by least squares with weights 1/sd(log y)²; normal 95% interval. */
export function logLogSlopeWithErrors(points: readonly { x: number; y: number; sdLog: number }[]): SlopeFit | null {
  const pts = points.filter((p) => p.x > 0 && p.y > 0 && p.sdLog > 0);
  if (pts.length < 3) return null;
  const xs = pts.map((p) => Math.log(p.x)), ys = pts.map((p) => Math.log(p.y)), ws = pts.map((p) => 1 / p.sdLog ** 2);
  const sw = ws.reduce((a, b) => a + b, 0);
  const mx = ws.reduce((a, w, i) => a + w * xs[i], 0) / sw;
  const my = ws.reduce((a, w, i) => a + w * ys[i], 0) / sw;
  const sxx = ws.reduce((a, w, i) => a + w * (xs[i] - mx) ** 2, 0);
  const slope = ws.reduce((a, w, i) => a + w * (xs[i] - mx) * (ys[i] - my), 0) / sxx;
  const chi2 = ws.reduce((a, w, i) => a + w * (ys[i] - my - slope * (xs[i] - mx)) ** 2, 0);
  const dof = pts.length - 2;
  const half = t975(dof) * Math.sqrt(Math.max(1, chi2 / dof) / sxx);
  return { slope, lo: slope - half, hi: slope + half, points: pts.length };
}
