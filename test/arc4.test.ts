// src/rng/arc4.ts against the seedrandom package: the same four int32s for every key, so that seeding
// through the rewrite leaves every trajectory's random numbers as the package would make them.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { writeArc4Int32s } from "../src/rng/arc4.ts";
import { trajectoryKey } from "../src/rng/keys.ts";
import { seedState } from "../src/rng/streams.ts";

function fromPackage(key: string): number[] {
  const arc4 = seedrandom(key);
  return [arc4.int32(), arc4.int32(), arc4.int32(), arc4.int32()];
}

function fromRewrite(key: string): number[] {
  const out = new Int32Array(4);
  writeArc4Int32s(key, out);
  return Array.from(out);
}

test("arc4 rewrite: the package's int32s on edge-case keys (empty, 256 and more code units, non-ASCII)", () => {
  const keys = ["", "a", "\u0000", "\uffff\u0000", "x".repeat(255), "x".repeat(256), "x".repeat(257), "é中😀".repeat(200)];
  for (const key of keys) assert.deepEqual(fromRewrite(key), fromPackage(key), JSON.stringify(key.slice(0, 20)));
});

test("arc4 rewrite: the package's int32s on trajectory keys and on arbitrary strings", () => {
  for (let i = 0; i < 500; i++) {
    const key = trajectoryKey(i % 3 === 0 ? `s${i}` : i, `lr=${i / 7};gamma=${1 / (i + 1)};beta=0;batch=32`, i * 97);
    assert.deepEqual(fromRewrite(key), fromPackage(key), key);
  }
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 700 }), (key) => {
      assert.deepEqual(fromRewrite(key), fromPackage(key));
    }),
    { seed: 7, numRuns: 1000 },
  );
});

test("seedState: the package's first four int32s (the all-zero state excepted)", () => {
  const key = trajectoryKey(1, "lr=0.2;gamma=1;beta=0;batch=32", 0);
  assert.deepEqual(Array.from(seedState(key)), fromPackage(key));
});
