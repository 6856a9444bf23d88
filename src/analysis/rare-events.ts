import { betaQuantile } from "../stats/special.ts";

/**
 * Readers of AMS estimates along a line of cells (docs/rare-events.md): the local exponent
 * d log P / d log x between neighbouring cells, and the large-deviation rate I of log P ~ c - I / tau.
 * Each estimate's uncertainty enters through its relative SE: var(log p) ~ (se / p)^2 (the delta
 * method, fine while se / p is well below 1; cells with p = 0 or se / p >= 0.5 are left out).
 */
export interface RarePoint {
  x: number;
  p: number;
  se: number;
}

export interface LocalExponent {
  /** the geometric midpoint of the pair */
  x: number;
  slope: number;
  se: number;
  ci95: [number, number];
}

const usable = (pt: RarePoint) => pt.p > 0 && pt.se / pt.p < 0.5;

/** d log P / d log x between each pair of neighbouring usable points (sorted by x), with a normal 95% interval. */
export function localExponents(points: readonly RarePoint[]): LocalExponent[] {
  const pts = points.filter(usable).slice().sort((a, b) => a.x - b.x);
  const out: LocalExponent[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    const dx = Math.log(b.x) - Math.log(a.x);
    const slope = (Math.log(b.p) - Math.log(a.p)) / dx;
    const se = Math.sqrt((a.se / a.p) ** 2 + (b.se / b.p) ** 2) / dx;
    out.push({ x: Math.sqrt(a.x * b.x), slope, se, ci95: [slope - 1.96 * se, slope + 1.96 * se] });
  }
  return out;
}

export interface RateFit {
  /** I of log P = c - I / tau, with its SE and a t interval (n - 2 degrees of freedom) */
  rate: number;
  se: number;
  ci95: [number, number];
  intercept: number;
  /** the points fitted, and chi-square / dof of the weighted fit (above ~2: the form does not fit them) */
  n: number;
  chi2PerDof: number;
}

/**
 * Weighted least squares of log p on 1 / tau (weights (p / se)^2) over the usable points with
 * tau <= tauMax: the rate I and its interval, the SE scaled up by sqrt(chi2 / dof) where that
 * exceeds 1. Null with fewer than 3 points.
 */
export function largeDeviationRate(points: readonly RarePoint[], tauMax: number): RateFit | null {
  const pts = points.filter((pt) => usable(pt) && pt.x <= tauMax);
  const n = pts.length;
  if (n < 3) return null;
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const pt of pts) {
    const w = (pt.p / pt.se) ** 2, u = 1 / pt.x, y = Math.log(pt.p);
    sw += w;
    sx += w * u;
    sy += w * y;
    sxx += w * u * u;
    sxy += w * u * y;
  }
  const det = sw * sxx - sx * sx;
  const slope = (sw * sxy - sx * sy) / det, intercept = (sy - slope * sx) / sw;
  let chi2 = 0;
  for (const pt of pts) chi2 += ((Math.log(pt.p) - intercept - slope / pt.x) * (pt.p / pt.se)) ** 2;
  const chi2PerDof = chi2 / (n - 2);
  const se = Math.sqrt(sw / det) * Math.sqrt(Math.max(1, chi2PerDof));
  const x = betaQuantile(0.05, (n - 2) / 2, 0.5), t = Math.sqrt(((n - 2) * (1 - x)) / x);
  return { rate: -slope, se, ci95: [-slope - t * se, -slope + t * se], intercept, n, chi2PerDof };
}
