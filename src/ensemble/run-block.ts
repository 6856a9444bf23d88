import { compileProblem, type Compiled } from "../engine/compiled.ts";
import { simulateCompiled } from "../engine/simulate.ts";
import { allocateOutcomes } from "../engine/trajectory.ts";
import { runAms } from "./ams-run.ts";
import type { BlockResult, BlockTask } from "./block.ts";

/**
 * Runs blocks, keeping the compiled unit of the last cell seen (blocks of a cell come together).
 * Used by worker threads and by the in-process runner alike.
 */
export function createBlockRunner(): (task: BlockTask) => BlockResult {
  let cachedCell = -1;
  let cachedKey = "";
  let unit: Compiled | null = null;
  return (task) => {
    const key = JSON.stringify(task.problem);
    if (unit === null || task.cell !== cachedCell || key !== cachedKey) {
      unit = compileProblem(task.problem);
      cachedCell = task.cell;
      cachedKey = key;
    }
    if (task.ams !== undefined) {
      const ams = Array.from({ length: task.count }, (_, j) => runAms(unit!, task.ams!, task.seed, task.streamKey, task.first + j));
      return { cell: task.cell, first: task.first, outcomes: allocateOutcomes(0), ams };
    }
    const outcomes = simulateCompiled(unit, {
      seed: task.seed,
      trials: task.count,
      firstTrial: task.first,
      streamKey: task.streamKey,
      stopAtCollapse: task.stopAtCollapse,
    });
    return { cell: task.cell, first: task.first, outcomes };
  };
}
