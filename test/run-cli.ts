/** Test helper (not a test file): runs the CLI in this process with stdout and stderr captured. */
import { loadCommand, main } from "../src/cli/main.ts";

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** wall time of the call, in ms */
  ms: number;
}

/** A throw out of main() is reported as code -1 with "THREW: stack" on stderr, never rethrown. */
export async function runCliInProcess(argv: string[]): Promise<CliOutcome> {
  // the command's code first: loading it yields to the event loop, where the test runner writes its reports
  await loadCommand(argv[0]).catch(() => undefined);
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write, ew = process.stderr.write;
  const sink = (into: string[]) =>
    ((chunk: string | Uint8Array) => (into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString()), true)) as typeof process.stdout.write;
  process.stdout.write = sink(out);
  process.stderr.write = sink(err);
  let code: number;
  const t0 = performance.now();
  try {
    code = await main(argv);
  } catch (e) {
    code = -1;
    err.push(`THREW: ${(e as Error)?.stack ?? String(e)}`);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { code, stdout: out.join(""), stderr: err.join(""), ms: performance.now() - t0 };
}
