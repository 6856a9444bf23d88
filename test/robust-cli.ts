/** Test helper (not a test file): the CLI as a child process, and temporary folders removed after the test. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const bin = join(root, "bin", "bn-collapse.mjs");

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; timeout?: number } = {}): Outcome {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, encoding: "utf8", timeout: opts.timeout ?? 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI run by sh with a redirection or pipe after it (`> /dev/full`, `>&-`, `| head -c 100`). */
export function cliShell(args: string[], tail: string, cwd = root): Outcome & { pipestatus: string } {
  const cmd = `${quote(process.execPath)} ${quote(bin)} ${args.map(quote).join(" ")} ${tail}`;
  const r: SpawnSyncReturns<string> = spawnSync("bash", ["-c", `${cmd}; echo "rc=\${PIPESTATUS[0]}" >&2`], { cwd, encoding: "utf8", timeout: 120_000 });
  const m = /rc=(\d+)\n?$/.exec(r.stderr);
  return { code: m ? Number(m[1]) : null, stdout: r.stdout, stderr: r.stderr.replace(/rc=\d+\n?$/, ""), pipestatus: m?.[1] ?? "" };
}

/** A fresh folder, removed when the test ends. */
export function tempDir(t: TestContext, prefix = "bnc-robust-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One line on stderr, no stack trace. */
export const oneLine = (stderr: string) => stderr.trim().split("\n").length === 1 && !/\n\s+at /.test(stderr);
