import type { CellResult } from "../solution/result.ts";
import { axesOf } from "./lines.ts";
import { excludedEstimate, type CellEstimate } from "./estimate.ts";
import { Z95 } from "../stats/special.ts";

/**
 * (b) The Kaplan-Meier median first-passage time, with the 95% interval where the curve's pointwise
 * band crosses 1/2 (Brookmeyer-Crowley by band inversion): lower end the first t with lo(t) <= 1/2,
 * upper end the first t with hi(t) <= 1/2. Times are whole steps, so each end is widened by half a
 * step; the band is the sweep's thinned curve (<= 200 points), which can make the ends coarser
 * than one step. The SE of log median is the log-width of that interval over 2 x 1.96.
 */
export function medianEstimate(cell: CellResult): CellEstimate {
  const at = axesOf(cell);
  const median = cell.firstPassage.median;
  if (median === null) return excludedEstimate(at, "fewer than half collapsed by T");
  const { t, lo, hi } = cell.firstPassage.km;
  const lower = firstAtOrBelowHalf(t, lo);
  const upper = firstAtOrBelowHalf(t, hi);
  if (lower === null || upper === null) return excludedEstimate(at, "the median's interval reaches beyond T", median);
  const a = Math.max(0.5, Math.min(lower, median) - 0.5);
  const b = Math.max(upper, median) + 0.5;
  const seLog = Math.log(b / a) / (2 * Z95);
  return { at, value: median, se: seLog * median, seLog, ci95: [a, b] };
}

function firstAtOrBelowHalf(t: readonly number[], band: readonly number[]): number | null {
  for (let i = 0; i < t.length; i++) if (band[i] <= 0.5 * (1 + 1e-12)) return t[i];
  return null;
}
