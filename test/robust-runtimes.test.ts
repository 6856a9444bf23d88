/**
 * Issue 18 item 13: Node and Deno write the same bytes for a sweep, Kaplan-Meier band included (its
 * log, exp and pow are on src/stats/det-math.ts; V8's Math.log/exp/pow differ in the last bit between
 * the two runtimes, and on 603ce65 this sweep's band differed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "./robust-cli.ts";

const fixture = join(root, "test", "runtime-sweep.fixture.ts");
const deno = join(root, "node_modules", ".bin", "deno");

for (const interval of ["wilson", "clopper-pearson"]) {
  test(`a sweep's JSON (${interval}) is the same bytes under Node and Deno`, { skip: !existsSync(deno) && "deno is not installed (npm ci installs it)" }, () => {
    const node = spawnSync(process.execPath, ["--import", "tsx", fixture, interval], { cwd: root, encoding: "utf8", timeout: 120_000 });
    const den = spawnSync(deno, ["run", "-A", "--quiet", fixture, interval], { cwd: root, encoding: "utf8", timeout: 120_000 });
    assert.equal(node.status, 0, node.stderr);
    assert.equal(den.status, 0, den.stderr);
    const cells = JSON.parse(node.stdout).cells;
    assert.ok(cells.some((c: { firstPassage: { km: { lo: number[] } } }) => c.firstPassage.km.lo.length > 50), "the band has points");
    assert.equal(den.stdout, node.stdout);
  });
}
