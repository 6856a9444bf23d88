import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../model/errors.ts";

/**
 * Writes a file so that readers never see it half-written: the text goes to a temporary name in the
 * same folder, then a rename (atomic on one file system) puts it in place.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path) || ".", { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A command's result: to stdout, or to the file `out`, written atomically. Every command that writes
 * a result goes through here, so how output is written (checked, streamed) is decided in one place.
 */
export function writeOutput(text: string, out: string | null): void {
  if (out === null) process.stdout.write(text);
  else writeFileAtomic(out, text);
}

/** Refuses an --out that cannot be written, before any work is done. */
export function checkOutPath(out: string): void {
  let at = resolve(out);
  if (existsSync(at) && statSync(at).isDirectory()) throw new ConfigError("--out", `${out} is a directory`);
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (existsSync(at) && !statSync(at).isDirectory() && at !== resolve(out)) throw new ConfigError("--out", `${at} is not a directory`);
  try {
    accessSync(existsSync(resolve(out)) ? resolve(out) : at, constants.W_OK);
  } catch {
    throw new ConfigError("--out", `cannot write ${out} (no permission)`);
  }
}
