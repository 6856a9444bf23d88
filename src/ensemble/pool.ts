import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BlockResult, BlockTask } from "./block.ts";
import { createBlockRunner } from "./run-block.ts";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

type Reply = { ok: true; result: BlockResult } | { ok: false; error: string };

/**
 * Runs block tasks on K worker threads (K = 1 runs them in this thread), handing each free worker
 * the next task in order and calling `onResult` as results arrive, in any order.
 * Results do not depend on K: a trajectory's random numbers are fixed by its key alone.
 */
export async function runBlocks(
  tasks: BlockTask[],
  workers: number,
  onResult: (r: BlockResult) => void,
): Promise<void> {
  if (workers <= 1 || tasks.length <= 1) {
    const run = createBlockRunner();
    for (const task of tasks) {
      onResult(run(task));
      await Promise.resolve(); // let timers (progress) and signals through between blocks
    }
    return;
  }
  const entry = new URL(isDeno ? "./worker.ts" : "./worker-node.mjs", import.meta.url);
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(entry));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= tasks.length) return resolve();
              worker.postMessage(tasks[next++]);
            };
            worker.on("message", (reply: Reply) => {
              if (!reply.ok) return reject(new Error(reply.error));
              onResult(reply.result);
              feed();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (next < tasks.length || code !== 0) reject(new Error(`worker exited with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
