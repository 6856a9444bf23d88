/** The same sources under Deno 2: the CLI gives byte-identical results to Node's, workers included. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const deno = join(root, "node_modules", ".bin", "deno");
const args = ["sweep", "--lr", "0.1,0.3", "--gamma", "0.5,1", "--batch", "8", "--steps", "150", "--trials", "200", "--seed", "5", "--workers", "2", "--quiet"];

test("deno (from npm) is installed and is version 2", () => {
  assert.ok(existsSync(deno), "npm ci must install deno");
  const v = spawnSync(deno, ["--version"], { encoding: "utf8" });
  assert.match(v.stdout, /^deno 2\./);
});

test("sweep under Deno equals sweep under Node, byte for byte", () => {
  const underDeno = spawnSync(deno, ["run", "-A", "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8" });
  assert.equal(underDeno.status, 0, underDeno.stderr);
  const underNode = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8" });
  assert.equal(underNode.status, 0, underNode.stderr);
  // Every first-passage time, count and p must agree exactly. Node 20's and Deno's V8 differ in the last
  // bit of Math.exp/log/pow, so bands computed with them (Kaplan-Meier, Clopper-Pearson) are compared to
  // 1e-12 relative; see docs/conventions.md.
  const a = JSON.parse(underDeno.stdout), b = JSON.parse(underNode.stdout);
  assertClose(a, b, "$");
  assert.ok(b.cells.some((c: { collapsed: number }) => c.collapsed > 0));
});

function assertClose(a: unknown, b: unknown, path: string): void {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isInteger(a) && Number.isInteger(b)) assert.equal(a, b, path);
    else assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)), `${path}: ${a} vs ${b}`);
  } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const k of Object.keys(a)) assertClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else assert.equal(a, b, path);
}

test("bad input under Deno: one line naming the flag, exit 2", () => {
  const r = spawnSync(deno, ["run", "-A", "src/cli/main.ts", "sweep", "--batch", "1"], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--batch/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
});
