import { chiSquareSf } from "../stats/gamma.ts";
import { interval, t975, Z95 } from "./intervals.ts";

/** One point of a log-log fit: x > 0, an estimate y and the standard error of log y. */
export interface LogPoint {
  x: number;
  /** log of the estimate */
  logY: number;
  /** standard error of log y: by the delta method se(y) / y */
  seLog: number;
}

/**
 * The weighted least-squares line log y = a + slope log x, weights 1 / seLog^2.
 *
 * The SEs of the points are taken as known, so chi2 = sum of squared weighted residuals has dof =
 * points - 2 under a true power law. When chi2/dof > 1 the slope's SE is multiplied by
 * sqrt(chi2/dof) (`inflated`) and the interval uses Student's t with dof degrees of freedom, since
 * the scale is then estimated from the scatter; otherwise the SE is left as it is (never shrunk) and
 * the interval is normal. A power law that does not describe the points thus gives a wide interval
 * and a small `pValue`, not a precise wrong slope.
 */
export interface PowerLawFit {
  slope: number;
  se: number;
  ci95: [number, number];
  intercept: number;
  chi2: number;
  dof: number;
  /** chi2 / dof; null with dof = 0 (two points: the line goes through both) */
  chi2PerDof: number | null;
  /** P(chi2_dof >= chi2) under a power law with the stated SEs; null with dof = 0 */
  pValue: number | null;
  inflated: boolean;
  interval: "normal" | "student-t";
  points: number;
}

/** Fits the points; null when fewer than two distinct x remain. Points must be usable (see `usable`). */
export function fitPowerLaw(points: readonly LogPoint[]): PowerLawFit | null {
  const pts = points.filter(usable);
  if (new Set(pts.map((p) => p.x)).size < 2) return null;
  const xs = pts.map((p) => Math.log(p.x));
  const ws = pts.map((p) => 1 / (p.seLog * p.seLog));
  const sw = sum(ws);
  const mx = sum(ws.map((w, i) => w * xs[i])) / sw;
  const my = sum(ws.map((w, i) => w * pts[i].logY)) / sw;
  const sxx = sum(ws.map((w, i) => w * (xs[i] - mx) ** 2));
  const slope = sum(ws.map((w, i) => w * (xs[i] - mx) * (pts[i].logY - my))) / sxx;
  const chi2 = sum(ws.map((w, i) => w * (pts[i].logY - my - slope * (xs[i] - mx)) ** 2));
  return slopeFit(slope, sxx, chi2, pts.length - 2, pts.length, my - slope * mx);
}

/**
 * The fit's interval and goodness of fit from its weighted sums (sxx = sum w dx^2): the SE is
 * inflated by sqrt(chi2/dof) when that exceeds 1, and the interval is then Student's t.
 */
export function slopeFit(slope: number, sxx: number, chi2: number, dof: number, points: number, intercept: number): PowerLawFit {
  const inflated = dof > 0 && chi2 / dof > 1;
  const se = Math.sqrt((inflated ? chi2 / dof : 1) / sxx);
  return {
    slope,
    se,
    ci95: interval(slope, (inflated ? t975(dof) : Z95) * se),
    intercept,
    chi2,
    dof,
    chi2PerDof: dof > 0 ? chi2 / dof : null,
    pValue: dof > 0 ? chiSquareSf(chi2, dof) : null,
    inflated,
    interval: inflated ? "student-t" : "normal",
    points,
  };
}

export function usable(p: LogPoint): boolean {
  return p.x > 0 && Number.isFinite(p.x) && Number.isFinite(p.logY) && p.seLog > 0 && Number.isFinite(p.seLog);
}

/** The exponent between two neighbouring grid points, with a normal 95% interval (independent cells). */
export interface LocalExponent {
  from: number;
  to: number;
  slope: number;
  se: number;
  ci95: [number, number];
}

/** Local exponents between adjacent usable points in increasing x (an unusable point breaks no pair: it is skipped). */
export function localExponents(points: readonly LogPoint[]): LocalExponent[] {
  const pts = points.filter(usable).sort((a, b) => a.x - b.x);
  const out: LocalExponent[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    const dx = Math.log(b.x) - Math.log(a.x);
    if (!(dx > 0)) continue;
    const slope = (b.logY - a.logY) / dx;
    const se = Math.hypot(a.seLog, b.seLog) / dx;
    out.push({ from: a.x, to: b.x, slope, se, ci95: interval(slope, Z95 * se) });
  }
  return out;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
