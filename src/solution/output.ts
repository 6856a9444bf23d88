import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "../model/errors.ts";

/**
 * Where a command's bytes go, checked: every write is completed or throws. A short write (a full
 * disk), a closed pipe (`| head`) or a device that refuses bytes is an error naming the target, never
 * a silent exit 0, and never an asynchronous stack trace from a stream's 'error' event.
 */
export interface TextSink {
  write(text: string): void;
  /** flushes what is buffered and completes the target (a file is fsync'd and renamed into place) */
  end(): void;
  /** abandons the output: a temporary file is removed */
  abort(): void;
}

/** Bytes gathered before one write: output is written as it is produced, never as one string. */
export const FLUSH_BYTES = 1 << 20;

const errnoText = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EPIPE: "the reader closed the pipe",
    EBADF: "it is closed",
    EIO: "an input/output error",
    EDQUOT: "the disk quota is exceeded",
    EFBIG: "the file is too large",
  };
  return err?.code ? `${err.code}${why[err.code] ? ` (${why[err.code]})` : ""}` : String((e as Error)?.message ?? e);
};

type WriteFn = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

/**
 * Writes all of `bytes` to `fd`, retrying partial writes and a non-blocking descriptor's EAGAIN; a
 * write that takes nothing, or fails, throws. `write` is writeSync (a test injects a short writer).
 */
export function writeAllBytes(fd: number, bytes: Uint8Array, what: string, write: WriteFn = writeSync): void {
  let off = 0;
  let stalls = 0;
  while (off < bytes.length) {
    let n: number;
    try {
      n = write(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN" && stalls++ < 600_000) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      throw new Error(`cannot write ${what}: ${errnoText(e)}; the output is incomplete`);
    }
    if (n <= 0) throw new Error(`cannot write ${what}: the device took ${off} of ${bytes.length} bytes; the output is incomplete`);
    off += n;
  }
}

const encoder = new TextEncoder();

/** A sink that gathers text and hands it to `flush` in pieces of about FLUSH_BYTES characters. */
function buffered(flush: (text: string) => void, flushAt: number): Pick<TextSink, "write"> & { drain(): void } {
  let parts: string[] = [];
  let size = 0;
  const drain = () => {
    if (size === 0) return;
    const text = parts.join("");
    parts = [];
    size = 0;
    flush(text);
  };
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size >= flushAt) drain();
    },
    drain,
  };
}

/**
 * Whether stdout was closed when the process started (`>&-`). Node then opens /dev/null read-write on
 * descriptor 1, so bytes would vanish with exit 0; a shell's `> /dev/null` opens it write-only. Read
 * from /proc on Linux; elsewhere (no /proc) nothing can be told and this says false.
 */
export function stdoutWasClosed(): boolean {
  try {
    if (readlinkSync("/proc/self/fd/1") !== "/dev/null") return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync("/proc/self/fdinfo/1", "utf8"));
    return flags !== null && (parseInt(flags[1], 8) & 3) === 2;
  } catch {
    return false;
  }
}

/** Refuses to start work whose result would go to a closed stdout. */
export function checkStdoutOpen(): void {
  if (stdoutWasClosed()) throw new ConfigError("stdout", "is closed (>&-): the result would be lost; give --out FILE or redirect stdout");
}

/**
 * The process's stdout. Tests that run the CLI in-process replace process.stdout.write; their
 * capture is honoured. Otherwise bytes go to file descriptor 1 with writeSync, so a failure is
 * thrown here, where the command can report it, and not later from the stream.
 */
export function stdoutSink(flushAt = FLUSH_BYTES): TextSink {
  const captured = Object.hasOwn(process.stdout, "write");
  if (!captured) checkStdoutOpen();
  const b = buffered((text) => {
    if (captured) process.stdout.write(text);
    else writeAllBytes(1, encoder.encode(text), "stdout");
  }, flushAt);
  return { write: b.write, end: b.drain, abort: () => undefined };
}

/**
 * A file written so that readers never see it half-written: the text goes to a temporary name in the
 * same folder, is fsync'd, then a rename (atomic on one file system) puts it in place. A failed write
 * removes the temporary file and leaves whatever was at `path` untouched.
 */
export function atomicFileSink(path: string, flushAt = FLUSH_BYTES): TextSink {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, "wx");
  let open = true;
  const b = buffered((text) => writeAllBytes(fd, encoder.encode(text), path), flushAt);
  const abort = () => {
    if (open) closeSync(fd);
    open = false;
    rmSync(tmp, { force: true });
  };
  return {
    write(text) {
      try {
        b.write(text);
      } catch (e) {
        abort();
        throw e;
      }
    },
    end() {
      try {
        b.drain();
        fsyncSync(fd);
        closeSync(fd);
        open = false;
        renameSync(tmp, path);
      } catch (e) {
        abort();
        throw e;
      }
    },
    abort,
  };
}

/** Writes text pieces (a generator of a large result's text) to stdout or to the file `out`. */
export function writeChunks(chunks: Iterable<string>, out: string | null, sink: TextSink = out === null ? stdoutSink() : atomicFileSink(out)): void {
  try {
    for (const c of chunks) sink.write(c);
  } catch (e) {
    sink.abort();
    throw e;
  }
  sink.end();
}

/** A small text (help, a report) to stdout, checked like a result. */
export function writeStdout(text: string): void {
  writeChunks([text], null);
}

/** An internal file (a cache entry, a figure) in a folder that is created if missing. */
export function writeInternalFile(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path) || ".", { recursive: true });
  if (typeof data === "string") return writeChunks([data], path);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, "wx");
  try {
    writeAllBytes(fd, data, path);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
