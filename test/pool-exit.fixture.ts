// Run by test/pool.test.ts: a sweep on 2 workers, then nothing. The process must exit by itself.
import { resolveSweep } from "../src/ensemble/problem.ts";
import { workerPoolSize } from "../src/ensemble/pool.ts";
import { runSweep } from "../src/ensemble/sweep.ts";

await runSweep(resolveSweep({ lr: [0.2], gamma: [1], batch: [8], steps: 50, trials: 100, seed: 1 }), { workers: 2 });
console.log(`pool ${workerPoolSize()}`);
