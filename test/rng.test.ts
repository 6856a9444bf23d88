/** The random streams: the fused sampler equals the one-at-a-time sampler, and the law is N(0, 1). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fillNormal, normal } from "../src/rng/normal.ts";
import { seedState } from "../src/rng/streams.ts";
import { normalCdf } from "../src/stats/special.ts";

test("fillNormal gives the same numbers and leaves the same state as repeated normal()", () => {
  for (const key of ["a", "b", "bn-collapse/1/lr=0.2;gamma=1;beta=0;batch=32/17"]) {
    const s1 = seedState(key), s2 = seedState(key);
    const out = new Float64Array(200_003); // enough draws to pass through many wedge and tail cases
    fillNormal(s1, out, out.length);
    for (let i = 0; i < out.length; i++) assert.equal(out[i], normal(s2), `draw ${i}`);
    assert.deepEqual(Array.from(s1), Array.from(s2));
  }
});

test("normal variates: mean, variance and tail frequencies within 4 standard errors", () => {
  const n = 2_000_000;
  const out = new Float64Array(n);
  fillNormal(seedState("moments"), out, n);
  let m1 = 0, m2 = 0, beyondR = 0, below = 0;
  for (let i = 0; i < n; i++) {
    const z = out[i];
    m1 += z;
    m2 += z * z;
    if (Math.abs(z) > 3.6541528853610088) beyondR++; // the ziggurat's tail algorithm
    if (z < -1) below++;
  }
  m1 /= n;
  m2 /= n;
  // SE of the mean is 1/sqrt(n); of the second moment sqrt(2/n)
  assert.ok(Math.abs(m1) < 4 / Math.sqrt(n), `mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < 4 * Math.sqrt(2 / n), `second moment ${m2}`);
  for (const [count, p] of [[beyondR, 2 * normalCdf(-3.6541528853610088)], [below, normalCdf(-1)]] as const) {
    const se = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(count / n - p) < 4 * se, `frequency ${count / n} vs ${p} (se ${se})`);
  }
});
