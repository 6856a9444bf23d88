import type { TopLevelSpec } from "vega-lite";
import type { VariantPoint } from "./data.ts";
import { probabilityLinesSpec, type ProbabilityVsLrOptions } from "./probability-vs-lr.ts";

/**
 * A regime comparison (optimisers, batch sizes, weight decay, BN vs psBN, ...): P against lr, one
 * line per variant, variants in the order given.
 */
export function comparisonSpec(points: readonly VariantPoint[], options: ProbabilityVsLrOptions & { legendTitle?: string | null }): TopLevelSpec {
  return probabilityLinesSpec(points, "variant", options.legendTitle ?? null, options);
}
