import type { TrajectoryOutcomes } from "../engine/trajectory.ts";
import type { UnitProblem } from "../model/problem.ts";

/** A block of consecutive trajectories of one cell: the unit of work handed to a thread. */
export interface BlockTask {
  cell: number;
  problem: UnitProblem;
  seed: string | number;
  streamKey: string;
  first: number;
  count: number;
  stopAtCollapse: boolean;
}

export interface BlockResult {
  cell: number;
  first: number;
  outcomes: TrajectoryOutcomes;
}
