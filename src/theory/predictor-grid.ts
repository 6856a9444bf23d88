import { asinh } from "../stats/det-math.ts";

/**
 * The x = asinh(r) grid of the predictors: from the barrier x_c = asinh(-c) to x_R = asinh(rMax), uniform,
 * with the starting point x0 = asinh(r0) placed exactly on a node (so no interpolation is needed).
 */
export interface XGrid {
  x: Float64Array;
  dx: number;
  /** index of the node at r0 */
  start: number;
}

export function makeXGrid(barrier: number, r0: number, rMax: number, cells: number): XGrid {
  const xc = asinh(barrier), x0 = asinh(r0), xR = asinh(rMax);
  const target = (xR - xc) / cells;
  const start = Math.max(1, Math.round((x0 - xc) / target));
  const dx = (x0 - xc) / start;
  const n = start + Math.max(2, Math.ceil((xR - x0) / dx)) + 1;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = xc + i * dx;
  return { x, dx, start };
}
