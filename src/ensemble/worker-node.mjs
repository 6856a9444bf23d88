// Node entry of a worker thread: registers tsx so the TypeScript worker loads, whatever way the
// parent process was started (tsx CLI, node --import tsx, or the bn-collapse bin). Deno loads
// worker.ts directly.
import { register } from "tsx/esm/api";
register();
await import("./worker.ts");
