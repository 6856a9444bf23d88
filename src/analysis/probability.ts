import type { CellResult } from "../ensemble/sweep.ts";
import { axesOf } from "./lines.ts";
import { excludedEstimate, type CellEstimate } from "./estimate.ts";

/** (a) The collapse probability by T of each cell; var(log p) = (1 - p) / (n p) by the delta method. */
export function probabilityEstimate(cell: CellResult): CellEstimate {
  const at = axesOf(cell);
  const { p, se } = cell;
  if (p === null || se === null) return excludedEstimate(at, "every trajectory went non-finite");
  if (p === 0) return excludedEstimate(at, "p = 0", 0);
  if (p === 1) return excludedEstimate(at, "p = 1", 1);
  return { at, value: p, se, seLog: se / p, ci95: cell.ci95 };
}
