import type { EstimatorReport } from "./fit-sweep.ts";
import type { GoodnessOfFit } from "./exponent-fit.ts";
import type { ScalingAxis } from "./lines.ts";
import type { LineFit, PooledFit } from "./scaling.ts";
import { localRange } from "./local.ts";
import { VERDICT_KINDS, type VerdictKind } from "./verdict.ts";

/** The estimators' tags in docs/scaling-analysis.md. */
export const ESTIMATOR_TAG = { probability: "(a)", median: "(b)", drift: "(c)", boundary: "(d)" } as const;

/** One row of the summary table: an estimator along an axis, its headline fit and its lines' verdicts. */
export interface SummaryRow {
  estimator: string;
  id: EstimatorReport["info"]["id"];
  axis: ScalingAxis;
  /** "pooled over 6 lines" or "one line" */
  scope: string;
  exponent: number | null;
  ci95: [number | null, number | null] | null;
  expected: number;
  /** cells that entered the headline fit, of the cells on its lines */
  used: number;
  cells: number;
  gof: GoodnessOfFit | null;
  verdict: VerdictKind;
  /** the finite local exponents' range over the headline's lines */
  local: [number, number] | null;
  /** how many of the axis's lines got each verdict */
  lineVerdicts: Partial<Record<VerdictKind, number>>;
}

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

export function summaryRows(estimators: readonly EstimatorReport[]): SummaryRow[] {
  return estimators.flatMap((e) =>
    (["lr", "gamma"] as const).flatMap((axis) => {
      const h = headline(e, axis);
      if (!h) return [];
      const lines = e.lines.filter((l) => l.axis === axis);
      const lineVerdicts: Partial<Record<VerdictKind, number>> = {};
      for (const k of VERDICT_KINDS) {
        const n = lines.filter((l) => l.verdict === k).length;
        if (n > 0) lineVerdicts[k] = n;
      }
      const r = localRange(h.local);
      return [{
        estimator: `${ESTIMATOR_TAG[e.info.id]} ${e.info.label}`,
        id: e.info.id,
        axis,
        scope: "lines" in h && typeof h.lines === "number" ? `pooled over ${h.lines} lines` : "one line",
        exponent: h.fit?.slope ?? null,
        ci95: h.fit && (h.fit.slope !== null || h.fit.unbounded !== null) ? h.fit.ci95 : null,
        expected: h.expected,
        used: h.used,
        cells: h.cells,
        gof: h.fit?.gof ?? null,
        verdict: h.verdict,
        local: r ? [r.min, r.max] : null,
        lineVerdicts,
      }];
    }),
  );
}
