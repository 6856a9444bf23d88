/** What a plan for a scheduler is made from: the sweep, cut into shards, and how each task is started. */
export interface PlanInput {
  /** the run's name: its folder, and the name of its jobs */
  name: string;
  /** the resolved config, every default filled in, as the tasks read it (JSON text ending in a newline) */
  configJson: string;
  gridCells: number;
  tasks: number;
  cpusPerTask: number;
  /** how a task starts bn-collapse, e.g. "npx bn-collapse" */
  launcher: string;
  /** the plan command that made this, for the header */
  madeBy: string;
}

/** "64 cells in 16 shards of 4", "100 cells in 16 shards of 6 or 7", with the empty shards named. */
export function shardSizes(gridCells: number, tasks: number): string {
  const small = Math.floor(gridCells / tasks);
  const big = Math.ceil(gridCells / tasks);
  const sizes = small === big ? `${small}` : `${small} or ${big}`;
  const empty = tasks > gridCells ? `; ${tasks - gridCells} of them empty, as there are more tasks than cells` : "";
  return `${gridCells} cells in ${tasks} shards of ${sizes} cells${empty}`;
}

/** A run name that is a folder name, a Slurm job name and a Kubernetes object name alike. */
export const RUN_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;
