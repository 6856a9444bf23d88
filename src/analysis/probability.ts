import type { CellResult } from "../solution/result.ts";
import { axesOf } from "./lines.ts";
import { excludedEstimate, type CellEstimate } from "./estimate.ts";

/**
 * (a) The collapse probability by T of each cell, as its count: k collapsed of n valid runs (runs that
 * went non-finite are in neither). Cells with k = 0 or k = n enter the binomial fit like any other.
 */
export function probabilityEstimate(cell: CellResult): CellEstimate {
  const at = axesOf(cell);
  const { p, se } = cell;
  const n = cell.trials - cell.nonFinite;
  if (p === null || se === null || n === 0) return excludedEstimate(at, "every trajectory went non-finite");
  return { at, value: p, se, seLog: p > 0 ? se / p : null, ci95: cell.ci95, counts: { k: cell.collapsed, n } };
}
