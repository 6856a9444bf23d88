import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Wall time of `bn-collapse reproduce --quick`, run fresh into a temporary directory. */
export interface ReproduceTiming {
  available: boolean;
  note: string;
  seconds: number | null;
  exitCode: number | null;
}

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

/** The command line that runs the CLI in a new process of this runtime. */
function cliCommand(): { command: string; prefix: string[] } {
  const main = import.meta.url.endsWith(".js") ? "../cli/main.js" : "../cli/main.ts"; // compiled (dist/) or sources
  if (isDeno) return { command: process.execPath, prefix: ["run", "-A", fileURLToPath(new URL(main, import.meta.url))] };
  return { command: process.execPath, prefix: [fileURLToPath(new URL("../../bin/bn-collapse.mjs", import.meta.url))] };
}

export function timeReproduceQuick(timeoutSeconds = 900): ReproduceTiming {
  const { command, prefix } = cliCommand();
  const help = spawnSync(command, [...prefix, "reproduce", "--help"], { encoding: "utf8" });
  if (help.status !== 0) {
    return { available: false, note: "no `reproduce` command in this build: skipped", seconds: null, exitCode: help.status };
  }
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-reproduce-"));
  try {
    const args = [...prefix, "reproduce", "--quick", "--fresh", "--quiet", "--out", dir];
    const t0 = performance.now();
    const run = spawnSync(command, args, { encoding: "utf8", timeout: timeoutSeconds * 1000, maxBuffer: 1 << 24 });
    const seconds = (performance.now() - t0) / 1000;
    if (run.status !== 0) {
      const why = run.error ? String(run.error) : (run.stderr || "").trim().split("\n").pop();
      return { available: true, note: `reproduce --quick failed (exit ${run.status}): ${why}`, seconds: null, exitCode: run.status };
    }
    return { available: true, note: "reproduce --quick --fresh into a temporary directory, all cores, process start-up included", seconds, exitCode: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
