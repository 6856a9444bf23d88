import { accessSync, closeSync, constants, existsSync, lstatSync, openSync, realpathSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../model/errors.ts";
import { writeChunks, writeInternalFile } from "./output.ts";

/**
 * Writes a file of the tool's own (a figure, a cache entry, an index) so that readers never see it
 * half-written, creating its folder if needed. A user's --out goes through checkOutPath first.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  writeInternalFile(path, text);
}

/**
 * A command's result: to stdout, or to the file `out`, written atomically and checked. Every command
 * that writes a result goes through here; a large result is given as pieces (resultsChunks).
 */
export function writeOutput(text: string | Iterable<string>, out: string | null): void {
  writeChunks(typeof text === "string" ? [text] : text, out);
}

/**
 * Refuses an --out that cannot or must not be written, before any work is done. The rule, the same
 * for every command: --out names a regular file (new or to be replaced) in a folder that exists; a
 * missing folder is not created, a directory, a symlink or a device (/dev/full, a FIFO) is not a
 * target, and neither is a file the command reads (`inputs`: a config, a shard, a checkpoint).
 */
export function checkOutPath(out: string, inputs: readonly string[] = [], flag = "--out"): void {
  if (out.endsWith("/")) throw new ConfigError(flag, `${out} names a folder; give a file name`);
  const target = resolve(out);
  let st: ReturnType<typeof lstatSync> | null = null;
  try {
    st = lstatSync(target);
  } catch {
    st = null;
  }
  if (st !== null) {
    if (st.isSymbolicLink()) throw new ConfigError(flag, `${out} is a symbolic link; give the file it points to, or another name`);
    if (st.isDirectory()) throw new ConfigError(flag, `${out} is a directory`);
    if (!st.isFile()) throw new ConfigError(flag, `${out} is not a regular file (a device, FIFO or socket); results are written to regular files only`);
  }
  const folder = dirname(target);
  if (!existsSync(folder)) throw new ConfigError(flag, `the folder ${dirname(out)} does not exist (it is not created; make it first)`);
  if (!statSync(folder).isDirectory()) throw new ConfigError(flag, `${dirname(out)} is not a directory`);
  try {
    accessSync(folder, constants.W_OK);
    if (st !== null) accessSync(target, constants.W_OK);
  } catch {
    throw new ConfigError(flag, `cannot write ${out} (no permission)`);
  }
  // permission bits do not tell everything (root, read-only mounts, /proc): create a file there
  const probe = join(folder, `.${basename(target)}.${process.pid}.probe`);
  try {
    closeSync(openSync(probe, "wx"));
    rmSync(probe, { force: true });
  } catch (e) {
    throw new ConfigError(flag, `cannot write ${out}: a file cannot be created in ${dirname(out)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  for (const input of inputs) {
    if (sameFile(target, input)) throw new ConfigError(flag, `${out} is also an input of this command (${input}); it would be overwritten`);
  }
}

/** Whether two paths name one file (through links and relative paths). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a), sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    try {
      return realpathSync(dirname(resolve(a))) + "/" + resolve(a).split("/").pop() === realpathSync(dirname(resolve(b))) + "/" + resolve(b).split("/").pop();
    } catch {
      return false;
    }
  }
}
