import { slopeFit, usable, type LogPoint, type PowerLawFit } from "./regression.ts";

/**
 * One exponent shared by several lines, each with its own intercept (weighted least squares of
 * log y on log x within lines): the pooled answer to "what is the exponent on this grid". The SE
 * is handled as in `fitPowerLaw` (inflated by sqrt(chi2/dof) when that exceeds 1, then a t
 * interval); dof = points - lines - 1. Lines with fewer than two distinct x carry no slope
 * information and are dropped. `intercept` is NaN (there is one per line).
 */
export function fitCommonSlope(lines: readonly (readonly LogPoint[])[]): PowerLawFit | null {
  let sxx = 0, sxy = 0, n = 0, k = 0;
  const centred: { dx: number; dy: number; w: number }[] = [];
  for (const line of lines) {
    const pts = line.filter(usable);
    if (new Set(pts.map((p) => p.x)).size < 2) continue;
    const ws = pts.map((p) => 1 / p.seLog ** 2);
    const sw = ws.reduce((a, b) => a + b, 0);
    const mx = pts.reduce((a, p, i) => a + ws[i] * Math.log(p.x), 0) / sw;
    const my = pts.reduce((a, p, i) => a + ws[i] * p.logY, 0) / sw;
    pts.forEach((p, i) => {
      const dx = Math.log(p.x) - mx, dy = p.logY - my;
      sxx += ws[i] * dx * dx;
      sxy += ws[i] * dx * dy;
      centred.push({ dx, dy, w: ws[i] });
    });
    n += pts.length;
    k++;
  }
  if (k === 0) return null;
  const slope = sxy / sxx;
  const chi2 = centred.reduce((a, c) => a + c.w * (c.dy - slope * c.dx) ** 2, 0);
  return slopeFit(slope, sxx, chi2, n - k - 1, n, NaN);
}
