// Test fixture (not a test file): prints a sweep's JSON, for comparing the bytes Node and Deno write.
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { stringifyResults } from "../src/solution/json.ts";

const interval = process.argv.includes("clopper-pearson") ? "clopper-pearson" : "wilson";
const spec = resolveSweep({ lr: "0.2,0.3,0.4", gamma: "0.7,1", batch: 4, steps: 400, trials: 400, collapse: "ratio:1.5", seed: 7, interval });
const result = await runSweep(spec, { workers: 1 });
process.stdout.write(stringifyResults(result));
