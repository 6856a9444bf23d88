import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BlockResult, BlockTask } from "./block.ts";
import { createBlockRunner } from "./run-block.ts";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

type Reply = { ok: true; result: BlockResult } | { ok: false; error: string };

/** What a worker of the pool is doing for the run that holds it. */
interface Job {
  onReply: (reply: Reply) => void;
  onFailure: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  job: Job | null;
}

/**
 * Worker threads kept alive between runs. Starting a thread and compiling the engine in it takes
 * about half a second, which a sweep of a few seconds would otherwise pay every time; reproduce,
 * notebooks and the bench run many sweeps in one process. Idle workers are unref'd, so they never
 * keep the process alive, and at most one per core is kept.
 */
const idle: PooledWorker[] = [];
const all = new Set<PooledWorker>();

function startWorker(): PooledWorker {
  // compiled (dist/): the compiled worker on any runtime; sources: Deno runs TypeScript, Node goes through tsx
  const compiled = import.meta.url.endsWith(".js");
  const entry = new URL(compiled ? "./worker.js" : isDeno ? "./worker.ts" : "./worker-node.mjs", import.meta.url);
  const pw: PooledWorker = { worker: new Worker(entry), job: null };
  const fail = (error: Error) => {
    retire(pw);
    pw.job?.onFailure(error);
  };
  pw.worker.on("message", (reply: Reply) => pw.job?.onReply(reply));
  pw.worker.on("error", fail);
  pw.worker.on("exit", (code) => fail(new Error(`worker exited with code ${code}`)));
  all.add(pw);
  return pw;
}

function retire(pw: PooledWorker): void {
  all.delete(pw);
  const at = idle.indexOf(pw);
  if (at >= 0) idle.splice(at, 1);
}

function acquire(): PooledWorker {
  const pw = idle.pop() ?? startWorker();
  setRef(pw.worker, true);
  return pw;
}

/** Back to the pool, unless it already keeps a thread per core idle (a run asked for more). */
function release(pw: PooledWorker): void {
  pw.job = null;
  if (!all.has(pw)) return;
  if (idle.length >= defaultWorkerCount()) {
    all.delete(pw);
    void pw.worker.terminate();
    return;
  }
  setRef(pw.worker, false);
  idle.push(pw);
}

function setRef(worker: Worker, on: boolean): void {
  const w = worker as Worker & { ref?: () => void; unref?: () => void };
  if (on) w.ref?.();
  else w.unref?.();
}

/** Stops the idle workers of the pool (a later run starts new ones). */
export async function closeWorkerPool(): Promise<void> {
  const stopping = idle.splice(0, idle.length);
  for (const pw of stopping) all.delete(pw);
  await Promise.all(stopping.map((pw) => pw.worker.terminate()));
}

/** Workers currently in the pool, busy or idle (for tests and the bench). */
export function workerPoolSize(): number {
  return all.size;
}

/**
 * Runs block tasks on K worker threads (K = 1 runs them in this thread), handing each free worker
 * the next task in order and calling `onResult` as results arrive, in any order.
 * Results do not depend on K: a trajectory's random numbers are fixed by its key alone.
 * Threads come from a pool that outlives the call; concurrent runs each hold their own.
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
  const held = Array.from({ length: Math.min(workers, tasks.length) }, acquire);
  let next = 0;
  let failed: Error | null = null;
  await Promise.all(
    held.map(
      (pw) =>
        new Promise<void>((resolve) => {
          // after a failure nothing more is handed out; each worker is released once its task is back
          const finish = (error: Error | null) => {
            failed ??= error;
            release(pw);
            resolve();
          };
          const feed = () => {
            if (failed !== null || next >= tasks.length) return finish(null);
            pw.worker.postMessage(tasks[next++]);
          };
          pw.job = {
            onReply: (reply) => {
              if (!reply.ok) return finish(new Error(reply.error));
              try {
                if (failed === null) onResult(reply.result);
              } catch (e) {
                return finish(e instanceof Error ? e : new Error(String(e)));
              }
              feed();
            },
            onFailure: (error) => finish(error),
          };
          feed();
        }),
    ),
  );
  if (failed !== null) throw failed;
}
