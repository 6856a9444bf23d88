import type { TrajectoryOutcomes } from "../engine/trajectory.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { AmsRunResult, AmsSettings } from "./ams-run.ts";

/** A block of consecutive trajectories of one cell: the unit of work handed to a thread. */
export interface BlockTask {
  cell: number;
  problem: UnitProblem;
  seed: string | number;
  streamKey: string;
  first: number;
  count: number;
  stopAtCollapse: boolean;
  /** AMS: first .. first + count - 1 are then AMS runs of the cell, not trajectories */
  ams?: AmsSettings;
}

export interface BlockResult {
  cell: number;
  first: number;
  outcomes: TrajectoryOutcomes;
  /** AMS runs first .. first + count - 1 (outcomes is then empty) */
  ams?: AmsRunResult[];
}
