import { parentPort } from "node:worker_threads";
import { outcomeBuffers, type BlockTask } from "./block.ts";
import { createBlockRunner } from "./run-block.ts";

/** Worker thread: runs each block it is sent and posts the outcomes back (buffers transferred). */
const run = createBlockRunner();
const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");
port.on("message", (task: BlockTask) => {
  try {
    const result = run(task);
    port.postMessage({ ok: true, result }, outcomeBuffers(result.outcomes));
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
