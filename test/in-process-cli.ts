import { loadCommand, main } from "../src/cli/main.ts";

/** Runs the CLI in this process (a spawned CLI takes seconds to load), capturing its output. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await loadCommand(args[0]); // before capturing: loading yields to the event loop, where the test runner reports
  let stdout = "", stderr = "";
  const out = process.stdout.write, err = process.stderr.write;
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
