// moved to src/solution/load.ts (the reader of a result file lives with its writer); kept for imports
export { parseSweepResult } from "../solution/load.ts";
