import type { CellResult, SweepResult } from "../solution/result.ts";
import type { ProbabilityPoint, SurvivalCurve, VariantPoint } from "./data.ts";

/** Cells with an estimate: a cell whose every trajectory went non-finite has p = null. */
export function estimated(cells: readonly CellResult[]): (CellResult & { p: number })[] {
  return cells.filter((c): c is CellResult & { p: number } => c.p !== null);
}

/** The cells of a sweep as probability points (the sweep's steps apply to every cell). */
export function probabilityPoints(result: SweepResult): ProbabilityPoint[] {
  return estimated(result.cells).map((c) => ({
    lr: c.lr,
    gamma: c.gamma,
    batch: c.batch,
    steps: result.config.steps,
    p: c.p,
    lo: c.ci95[0],
    hi: c.ci95[1],
    trials: c.trials - c.nonFinite,
    collapsed: c.collapsed,
  }));
}

/** The cells of a sweep as one variant of a comparison. */
export function variantPoints(result: SweepResult, variant: string): VariantPoint[] {
  return estimated(result.cells).map((c) => ({ variant, lr: c.lr, p: c.p, lo: c.ci95[0], hi: c.ci95[1], trials: c.trials - c.nonFinite, collapsed: c.collapsed }));
}

/** A cell's Kaplan-Meier curve from S = 1 at t = 0, held flat from its last event to the horizon T. */
export function survivalCurve(cell: CellResult, label: string, horizon: number): SurvivalCurve {
  const km = cell.firstPassage.km;
  const c: SurvivalCurve = { label, t: [0], survival: [1], lo: [1], hi: [1] };
  km.t.forEach((t, i) => {
    if (t <= 0) return;
    c.t.push(t);
    c.survival.push(km.survival[i]);
    c.lo.push(km.lo[i]);
    c.hi.push(km.hi[i]);
  });
  const last = c.t.length - 1;
  if (c.t[last] < horizon) {
    c.t.push(horizon);
    c.survival.push(c.survival[last]);
    c.lo.push(c.lo[last]);
    c.hi.push(c.hi[last]);
  }
  return c;
}

/** tau = lr^2 sigma^2 T / (B gamma0^2), the combination the paper's law depends on. */
export function tauOf(lr: number, gamma: number, batch: number, steps: number, sigma: number): number {
  return (lr * lr * sigma * sigma * steps) / (batch * gamma * gamma);
}
