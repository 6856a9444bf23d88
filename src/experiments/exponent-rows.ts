import type { EstimatorReport, FitReport } from "../analysis/fit-sweep.ts";
import type { ScalingAxis } from "../analysis/lines.ts";
import { localRange } from "../analysis/local.ts";
import type { LineFit, PooledFit } from "../analysis/scaling.ts";
import { ESTIMATOR_TAG, headline } from "../analysis/summary.ts";
import { EXPONENT_LIMIT } from "../analysis/exponent-fit.ts";
import { exponentText as fitExponentText } from "../analysis/verdict.ts";
import type { ExponentEstimate } from "../plot/data.ts";

export { ESTIMATOR_TAG, headline };

export const estimatorName = (e: EstimatorReport) => `${ESTIMATOR_TAG[e.info.id]} ${e.info.label}`;

/**
 * One row per estimator and axis for the exponents figure: the headline fit's exponent and 95%
 * interval (an unbounded end drawn at +-EXPONENT_LIMIT, beyond the axis), its verdict, and where the
 * power law is rejected the range of the local exponents.
 */
export function exponentRows(fit: FitReport): ExponentEstimate[] {
  return (["lr", "gamma"] as const).flatMap((axis) =>
    fit.estimators.flatMap((e) => {
      const h = headline(e, axis);
      if (!h) return [];
      const f = h.fit;
      const finite = f !== null && f.slope !== null;
      const row: ExponentEstimate = {
        estimator: estimatorName(e),
        param: axis,
        value: finite ? f!.slope : null,
        lo: finite ? (f!.ci95[0] ?? -EXPONENT_LIMIT) : null,
        hi: finite ? (f!.ci95[1] ?? EXPONENT_LIMIT) : null,
        expected: h.expected,
        verdict: h.verdict,
      };
      const r = localRange(h.local);
      if (h.verdict === "not a power law" && r) {
        row.localLo = r.min;
        row.localHi = r.max;
      }
      return [row];
    }),
  );
}

/** "2.1 [1.8, 2.4]" or "no fit". */
export function exponentText(h: PooledFit | LineFit | null): string {
  return h?.fit ? fitExponentText(h.fit) : "no fit";
}

/** The sentence (with its verdict) of src/analysis for an estimator's headline fit along an axis. */
export function verdictText(e: EstimatorReport, axis: ScalingAxis): string | null {
  return headline(e, axis)?.sentence ?? null;
}
