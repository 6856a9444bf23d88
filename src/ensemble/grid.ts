import { AXES, cellProblem, type Axis, type SweepSpec } from "../config/sweep-config.ts";
import type { UnitProblem } from "../model/problem.ts";

/** One point of a sweep's grid. */
export interface Cell {
  index: number;
  at: Record<Axis, number>;
  problem: UnitProblem;
  /** names this cell's random streams (with the seed and the trajectory index) */
  streamKey: string;
}

/**
 * Streams are keyed by the four coordinates lr, gamma, beta and batch, whichever of them are swept,
 * so a cell draws the same numbers in any grid that contains it. Weight decay and signal are left
 * out on purpose: cells that differ only there share their random numbers (paired comparisons).
 * With streams "common", every cell uses the same streams.
 */
export function cellStreamKey(at: Record<Axis, number>, streams: "per-cell" | "common"): string {
  if (streams === "common") return "common";
  return `lr=${at.lr};gamma=${at.gamma};beta=${at.beta};batch=${at.batch}`;
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
    cells.push({ index, at, problem: cellProblem(spec.template, at), streamKey: cellStreamKey(at, spec.config.streams) });
  }
  return cells;
}
