import { GRID_ORDER, type Axis } from "../ensemble/problem.ts";

export type ScalingAxis = "lr" | "gamma";

/** The grid coordinates of a cell (or anything carrying them). */
export function axesOf(cell: Record<Axis, number>): Record<Axis, number> {
  return Object.fromEntries(GRID_ORDER.map((a) => [a, cell[a]])) as Record<Axis, number>;
}

/** Cells that share every coordinate but `axis`: one line of the grid along that axis. */
export interface Line<T> {
  axis: ScalingAxis;
  /** the other coordinates, fixed along the line */
  fixed: Record<Axis, number>;
  /** the line's items in increasing value of the axis */
  items: T[];
}

/** Every line along `axis` with at least two distinct values of it, in the order of first appearance. */
export function linesAlong<T extends { at: Record<Axis, number> }>(items: readonly T[], axis: ScalingAxis): Line<T>[] {
  const groups = new Map<string, Line<T>>();
  for (const item of items) {
    const key = GRID_ORDER.filter((a) => a !== axis).map((a) => `${a}=${item.at[a]}`).join(";");
    let line = groups.get(key);
    if (!line) groups.set(key, (line = { axis, fixed: item.at, items: [] }));
    line.items.push(item);
  }
  return [...groups.values()]
    .filter((l) => new Set(l.items.map((i) => i.at[axis])).size >= 2)
    .map((l) => ({ ...l, items: [...l.items].sort((a, b) => a.at[axis] - b.at[axis]) }));
}

/** Distinct values of each axis among the cells, ascending. */
export function axisValues(cells: readonly Record<Axis, number>[]): Record<Axis, number[]> {
  return Object.fromEntries(GRID_ORDER.map((a) => [a, [...new Set(cells.map((c) => c[a]))].sort((x, y) => x - y)])) as Record<Axis, number[]>;
}
