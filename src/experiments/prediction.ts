import { predictorScope } from "../theory/predictor-scope.ts";
import { cellProblem } from "../ensemble/problem.ts";
import { criterionTest } from "../engine/criteria.ts";
import { VERSION, type SweepResult } from "../solution/result.ts";
import type { PredictedPoint } from "../plot/data.ts";
import { predictCollapse } from "../theory/predictor.ts";
import { tau } from "../theory/scaling.ts";
import type { ResultCache } from "./cache.ts";
import { fmt } from "./caption.ts";
import type { Mode } from "./types.ts";

/** Prediction points per curve: the predictor costs 0.3-1.7 s each on a loaded 2-core machine. */
export const PREDICTED_POINTS: Record<Mode, number> = { quick: 5, full: 9 };

/** The deterministic predictor's P(tau) for one (B, r0, criterion, activation), over the tau its cells span. */
export interface PredictedCurve {
  label: string;
  batch: number;
  r0: number;
  /** collapse once r <= threshold (dead: -sqrt(B - 1)) */
  threshold: number;
  points: PredictedPoint[];
  /** the measured cells it applies to, at their tau */
  cells: { series: string; tau: number; p: number }[];
  cached: boolean;
}

/** `n` log-spaced points from a to b (a alone when they coincide). */
function logSpaced(a: number, b: number, n: number): number[] {
  if (!(b > a) || n < 2) return [a];
  return Array.from({ length: n }, (_, i) => Number((a * (b / a) ** (i / (n - 1))).toPrecision(6)));
}

/**
 * One predicted curve per distinct (B, r0, threshold, activation) among the sweeps' cells, at
 * PREDICTED_POINTS[mode] log-spaced tau over the range of those cells. Each curve is cached under its
 * inputs, so a re-run (or another figure) with the same inputs does not solve again. `seriesOf` names
 * the measured series a cell is plotted in.
 */
export async function predictedCurves(
  sweeps: readonly SweepResult[],
  seriesOf: (result: SweepResult, cell: SweepResult["cells"][number]) => string,
  mode: Mode,
  cache: ResultCache,
): Promise<{ curves: PredictedCurve[]; skipped: string[] }> {
  const groups = new Map<string, { batch: number; r0: number; threshold: number; alpha: number; cells: PredictedCurve["cells"] }>();
  const skipped = new Set<string>();
  for (const result of sweeps) {
    for (const c of result.cells) {
      const problem = cellProblem(result.template, c);
      const why = predictorScope(problem);
      if (why) {
        skipped.add(why);
        continue;
      }
      if (c.p === null || problem.loss.kind !== "noise") continue;
      const r0 = problem.beta0 / Math.abs(problem.gamma0);
      const threshold = criterionTest(problem.collapse, problem.batch).threshold;
      const alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
      const key = `${problem.batch};${r0};${threshold};${alpha}`;
      if (!groups.has(key)) groups.set(key, { batch: problem.batch, r0, threshold, alpha, cells: [] });
      const t = tau(c.lr, problem.loss.noise.sigma, problem.steps, problem.batch, problem.gamma0);
      groups.get(key)!.cells.push({ series: seriesOf(result, c), tau: t, p: c.p });
    }
  }
  const many = new Set([...groups.values()].map((g) => g.r0)).size > 1;
  const curves: PredictedCurve[] = [];
  for (const g of groups.values()) {
    const taus = g.cells.map((c) => c.tau);
    const grid = logSpaced(Math.min(...taus), Math.max(...taus), PREDICTED_POINTS[mode]);
    const inputs = { r0: g.r0, batch: g.batch, alpha: g.alpha, threshold: g.threshold, moments: "finite" as const };
    const got = await cache.get("predict", { version: VERSION, predictor: "kolmogorov-2d, default grid, continuous monitoring", ...inputs, taus: grid }, async () =>
      grid.map((t) => predictCollapse({ ...inputs, tau: t }).p),
    );
    const label = `predictor, B = ${g.batch}${many ? `, r₀ = ${fmt(g.r0)}` : ""}`;
    curves.push({ label, batch: g.batch, r0: g.r0, threshold: g.threshold, cells: g.cells, cached: got.cached, points: grid.map((t, i) => ({ tau: t, p: got.value[i], curve: label })) });
  }
  return { curves, skipped: [...skipped] };
}

/** The curve's P at tau, interpolated in log tau (and in log P where both ends are positive); null outside its range. */
export function predictedAt(curve: PredictedCurve, t: number): number | null {
  const pts = curve.points;
  if (pts.length === 1) return Math.abs(pts[0].tau - t) <= 1e-9 * t ? pts[0].p : null;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    if (t >= a.tau * (1 - 1e-9) && t <= b.tau * (1 + 1e-9)) {
      const f = Math.log(t / a.tau) / Math.log(b.tau / a.tau);
      const w = Math.min(1, Math.max(0, f));
      return a.p > 0 && b.p > 0 ? a.p * (b.p / a.p) ** w : a.p + w * (b.p - a.p);
    }
  }
  return null;
}
