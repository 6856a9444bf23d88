import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { ConfigError } from "../model/errors.ts";
import { brief, digestOf, firstDifference, sha256 } from "./digest.ts";
import type { CellResult } from "./result.ts";

/**
 * Checkpoints of a sweep written with --out FILE: FILE.checkpoint.jsonl, a header line naming the
 * sweep, then one line per completed cell, appended and fsync'd as each cell completes:
 *   {"index":K,"check":SHA256(K and the cell JSON),"cell":{...}}
 * The check binds a cell to its index, and a reader also checks the cell's axes against the grid at
 * K, so an edited or swapped index is refused rather than put in the wrong row.
 * A kill can only tear the last line; reading drops a torn tail, so a rerun recomputes at most the
 * cells in flight. Cells are stored as their summaries, so the file and its reader stay small.
 */
export const checkpointPath = (out: string) => `${out}.checkpoint.jsonl`;

/** What a checkpoint belongs to: a rerun must match it exactly. */
export interface CheckpointIdentity {
  version: string;
  /** "i/n", or null for the whole grid */
  shard: string | null;
  config: Record<string, unknown>;
}

interface Header extends CheckpointIdentity {
  tool: "bn-collapse";
  kind: "sweep-checkpoint";
  digest: string;
}

const header = (id: CheckpointIdentity): Header => ({
  tool: "bn-collapse",
  kind: "sweep-checkpoint",
  version: id.version,
  shard: id.shard,
  config: id.config,
  digest: digestOf({ version: id.version, shard: id.shard, config: id.config }),
});

const cellCheck = (index: number, cell: unknown) => sha256(`${index}\n${JSON.stringify(cell)}`).slice(0, 32);

/** The axis values of grid cell k, or undefined for an index outside this run's cells. */
export type CellAxes = (index: number) => Readonly<Record<string, number>> | undefined;

/**
 * The cells already completed in the checkpoint at `path` (none if there is no file). Refuses a
 * checkpoint of another sweep, naming what differs, and a damaged one; truncates a torn last line.
 */
export function loadCheckpoint(path: string, id: CheckpointIdentity, axesAt: CellAxes): Map<number, CellResult> {
  const done = new Map<number, CellResult>();
  if (!existsSync(path)) return done;
  const bytes = readFileSync(path);
  const firstEnd = bytes.indexOf(0x0a);
  const head = firstEnd < 0 ? undefined : parseLine(bytes.subarray(0, firstEnd));
  const refuse = (why: string) => new ConfigError("--out", `checkpoint ${path} ${why}`);
  if (!isHeader(head)) throw refuse("is not a bn-collapse sweep checkpoint; move it away");
  const want = header(id);
  if (head.digest !== want.digest) throw refuse(`belongs to a different sweep: ${mismatch(head, want)}; rerun the original command to finish it, or delete the checkpoint to start afresh`);

  let validEnd = firstEnd + 1;
  let start = validEnd;
  let line = 1;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) break; // torn tail: the write of this line was cut
    line++;
    const rec = parseLine(bytes.subarray(start, end));
    if (!isRecord(rec) || rec.check !== cellCheck(rec.index, rec.cell)) throw refuse(`is damaged at line ${line}; delete it to start afresh`);
    const at = axesAt(rec.index);
    if (at === undefined) throw refuse(`line ${line} holds cell ${rec.index}, which is not a cell of this run; delete it to start afresh`);
    const cell = rec.cell as Record<string, unknown>;
    const wrong = Object.keys(at).find((a) => cell[a] !== at[a]);
    if (wrong !== undefined) throw refuse(`line ${line} says cell ${rec.index} but holds ${wrong} ${brief(cell[wrong])} where the grid has ${at[wrong]}; delete it to start afresh`);
    const seen = done.get(rec.index);
    if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(rec.cell)) throw refuse(`has two different results for cell ${rec.index}; delete it to start afresh`);
    done.set(rec.index, rec.cell as CellResult);
    validEnd = start = end + 1;
  }
  if (validEnd < bytes.length) {
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, validEnd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return done;
}

export interface CheckpointWriter {
  append(index: number, cell: CellResult): void;
  close(): void;
}

/** Appends completed cells; the file (with its header) is created with the first cell, atomically. */
export function checkpointWriter(path: string, id: CheckpointIdentity): CheckpointWriter {
  let fd: number | null = null;
  return {
    append(index, cell) {
      if (fd === null) {
        if (!existsSync(path)) createWithHeader(path, header(id));
        fd = openSync(path, "a");
      }
      writeAll(fd, `${JSON.stringify({ index, check: cellCheck(index, cell), cell })}\n`);
      fsyncSync(fd);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}

/** The lock of an --out FILE: FILE.lock, held by the one sweep that writes FILE and its checkpoint. */
export const lockPath = (out: string) => `${out}.lock`;

interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/**
 * Takes the lock at `path` (created exclusively, holding this process's pid and host); returns its
 * release. A lock of a process that no longer runs on this host is taken over; a live one, or one of
 * another host (which cannot be checked from here), is refused with a message naming it.
 */
export function takeLock(path: string, what: string): () => void {
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError("--out", `cannot create the lock ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      const owner = readOwner(path);
      if (owner !== null && owner.host === me.host && !isAlive(owner.pid)) {
        rmSync(path, { force: true }); // a killed run's lock
        continue;
      }
      const who = owner === null ? "another process" : `process ${owner.pid} on ${owner.host} (since ${owner.started})`;
      throw new ConfigError("--out", `${what} is being written by ${who}: lock ${path}; wait for it to finish, or delete the lock if that process is gone`);
    }
    try {
      writeAll(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    let held = true;
    const release = () => {
      if (held && readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
      held = false;
    };
    process.once("exit", release);
    return () => {
      release();
      process.removeListener("exit", release);
    };
  }
  throw new ConfigError("--out", `cannot take the lock ${path}`);
}

function readOwner(path: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    return Number.isSafeInteger(o.pid) && typeof o.host === "string" ? o : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function createWithHeader(path: string, h: Header): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeAll(fd, `${JSON.stringify(h)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function writeAll(fd: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}

function parseLine(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function isHeader(v: unknown): v is Header {
  const h = v as Header;
  return typeof v === "object" && v !== null && h.tool === "bn-collapse" && h.kind === "sweep-checkpoint" && typeof h.digest === "string";
}

function isRecord(v: unknown): v is { index: number; check: string; cell: unknown } {
  const r = v as { index: unknown; check: unknown; cell: unknown };
  return typeof v === "object" && v !== null && Number.isSafeInteger(r.index) && typeof r.check === "string" && typeof r.cell === "object" && r.cell !== null;
}

/** Names what differs between a checkpoint's header and this run, for a one-line refusal. */
function mismatch(found: Header, want: Header): string {
  if (found.version !== want.version) return `made by bn-collapse ${brief(found.version)}, this is ${want.version}`;
  if (found.shard !== want.shard) return `made for ${found.shard === null ? "the whole grid" : `--shard ${brief(found.shard)}`}, this run is ${want.shard === null ? "the whole grid" : `--shard ${want.shard}`}`;
  const config = typeof found.config === "object" && found.config !== null ? found.config : {};
  const field = firstDifference(config, want.config);
  if (field === null) return "its digest does not match its settings";
  return `config field "${field}" was ${brief(config[field])}, now ${brief(want.config[field])}`;
}
