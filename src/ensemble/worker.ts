import { parentPort } from "node:worker_threads";
import type { BlockTask } from "./block.ts";
import { createBlockRunner } from "./run-block.ts";

/** Worker thread: runs each block it is sent and posts the outcomes back. */
const run = createBlockRunner();
const port = parentPort;
if (port === null) throw new Error("worker.ts must run in a worker thread");
port.on("message", (task: BlockTask) => {
  try {
    const result = run(task);
    // copied, not transferred: transferring detaches the buffers, and once any ArrayBuffer has been
    // detached V8 checks for it on every typed-array access in this thread (~15% on the step loops)
    port.postMessage({ ok: true, result });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
