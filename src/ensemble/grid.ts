import type { UnitProblem } from "../model/problem.ts";
import { cellProblem, GRID_ORDER, type Axis, type SweepProblem } from "./problem.ts";
import { cellStreams } from "../rng/keys.ts";

/** One point of a sweep's grid. */
export interface Cell {
  index: number;
  at: Record<Axis, number>;
  problem: UnitProblem;
  /** names this cell's random streams (with the seed and the trajectory index): src/rng/keys.ts */
  streamKey: string;
}

export function countCells(sweep: Pick<SweepProblem, "axes">): number {
  return GRID_ORDER.reduce((n, a) => n * sweep.axes[a].length, 1);
}

/** The cells in grid order: batch outermost, then gamma, beta, weightDecay, signal; lr varies fastest. */
export function enumerateCells(sweep: SweepProblem): Cell[] {
  const lists = GRID_ORDER.map((a) => sweep.axes[a]);
  const total = countCells(sweep);
  const cells: Cell[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const at = {} as Record<Axis, number>;
    for (let k = GRID_ORDER.length - 1; k >= 0; k--) {
      const list = lists[k];
      at[GRID_ORDER[k]] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    cells.push({ index, at, problem: cellProblem(sweep.template, at), streamKey: cellStreams(at, sweep.streams) });
  }
  return cells;
}
