/** Issue 18 item 6: a figure-cache entry is used only if its digest (of key and value) holds; else it is recomputed, with a note naming the file. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ResultCache } from "../src/experiments/cache.ts";
import { tempDir } from "./robust-cli.ts";

async function withStderr<T>(run: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const lines: string[] = [];
  const ew = process.stderr.write;
  process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { value: await run(), stderr: lines.join("") };
  } finally {
    process.stderr.write = ew;
  }
}

test("a truncated or edited cache entry is recomputed and named; an intact one is used", async (t) => {
  const dir = tempDir(t);
  const key = { experiment: "p-vs-lr", lr: [0.1, 0.2], trials: 100 };
  let computed = 0;
  const compute = async () => (computed++, { p: [0.01, 0.25], n: 100 });
  const first = await new ResultCache(dir).get("sweep", key, compute);
  assert.equal(first.cached, false);
  const [name] = readdirSync(dir);
  const file = join(dir, name);

  const again = await withStderr(() => new ResultCache(dir).get("sweep", key, compute));
  assert.deepEqual(again.value, { value: { p: [0.01, 0.25], n: 100 }, cached: true });
  assert.equal(again.stderr, "");
  assert.equal(computed, 1);

  const text = readFileSync(file, "utf8");
  const cases: [string, RegExp][] = [
    [text.slice(0, 30), /is not valid JSON/],
    [text.replace("0.25", "0.35"), /does not match its digest/],
    [JSON.stringify({ key, value: { p: [0.01, 0.35], n: 100 } }), /has no digest/],
  ];
  for (const [damaged, why] of cases) {
    writeFileSync(file, damaged);
    const r = await withStderr(() => new ResultCache(dir).get("sweep", key, compute));
    assert.equal(r.value.cached, false);
    assert.deepEqual(r.value.value, { p: [0.01, 0.25], n: 100 });
    assert.match(r.stderr, new RegExp(`cache entry ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `));
    assert.match(r.stderr, why);
    assert.equal(readFileSync(file, "utf8"), text, "the recomputed entry is rewritten");
  }
  assert.equal(computed, 4);
});
