import type { EstimatorReport, FitReport } from "../analysis/fit-sweep.ts";
import type { LineFit, PooledFit } from "../analysis/scaling.ts";
import type { ScalingAxis } from "../analysis/lines.ts";
import type { ExponentEstimate } from "../plot/data.ts";
import { fmt } from "./caption.ts";

/** The estimators' tags in docs/scaling-analysis.md. */
export const ESTIMATOR_TAG = { probability: "(a)", median: "(b)", drift: "(c)", boundary: "(d)" } as const;

export const estimatorName = (e: EstimatorReport) => `${ESTIMATOR_TAG[e.info.id]} ${e.info.label}`;

/**
 * The headline fit of an estimator along an axis: the pooled fit over every line of the grid (one
 * exponent, an intercept per line), or the single line's fit when the grid has only one line.
 */
export function headline(e: EstimatorReport, axis: ScalingAxis): PooledFit | LineFit | null {
  const pooled = e.pooled[axis];
  if (pooled) return pooled;
  const lines = e.lines.filter((l) => l.axis === axis);
  return lines.length === 1 ? lines[0] : null;
}

/** One row per estimator and axis for the exponents figure. */
export function exponentRows(fit: FitReport): ExponentEstimate[] {
  return (["lr", "gamma"] as const).flatMap((axis) =>
    fit.estimators.flatMap((e) => {
      const h = headline(e, axis);
      if (!h) return [];
      const f = h.fit;
      return [{ estimator: estimatorName(e), param: axis, value: f?.slope ?? null, lo: f?.ci95[0] ?? null, hi: f?.ci95[1] ?? null, expected: h.expected, verdict: h.verdict }];
    }),
  );
}

/** "2.1 [1.8, 2.4]" or "no fit". */
export function exponentText(h: PooledFit | LineFit | null): string {
  return h?.fit ? `${fmt(h.fit.slope)} [${fmt(h.fit.ci95[0])}, ${fmt(h.fit.ci95[1])}]` : "no fit";
}

/** The sentence (with its verdict) of src/analysis for an estimator's headline fit along an axis. */
export function verdictText(e: EstimatorReport, axis: ScalingAxis): string | null {
  return headline(e, axis)?.sentence ?? null;
}
