import { AXES, cellProblem, type Axis, type SweepSpec } from "../config/sweep-config.ts";
import type { UnitProblem } from "../model/problem.ts";
import { cellStreams } from "../rng/keys.ts";

/** One point of a sweep's grid. */
export interface Cell {
  index: number;
  at: Record<Axis, number>;
  problem: UnitProblem;
  /** names this cell's random streams (with the seed and the trajectory index): src/rng/keys.ts */
  streamKey: string;
}

export function countCells(spec: SweepSpec): number {
  return AXES.reduce((n, a) => n * spec.config[a].length, 1);
}

/** The cells in a fixed order: batch, gamma, beta, weightDecay, signal, lr (lr varies fastest). */
export function enumerateCells(spec: SweepSpec): Cell[] {
  const lists = AXES.map((a) => spec.config[a]);
  const total = countCells(spec);
  const cells: Cell[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const at = {} as Record<Axis, number>;
    for (let k = AXES.length - 1; k >= 0; k--) {
      const list = lists[k];
      at[AXES[k]] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    cells.push({ index, at, problem: cellProblem(spec.template, at), streamKey: cellStreams(at, spec.config.streams) });
  }
  return cells;
}
