/**
 * src/stats/det-math.ts and det-special.ts: the theory's elementary and special functions, built from
 * +, -, *, / and sqrt so that Node and Deno give the same bits (test/predictor-finite-step.test.ts checks
 * the bits; this checks the values against Math and src/stats on 2e4 arguments each).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as D from "../src/stats/det-math.ts";
import * as DS from "../src/theory/det-special.ts";
import * as S from "../src/stats/special.ts";
import { mulberry32 } from "./mulberry32.ts";

function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, Math.abs(b));
  const e = (v.getUint32(0) >>> 20) - 1023;
  return Math.abs(a - b) / 2 ** (e - 52);
}

test("elementary functions within a few ulps of Math", () => {
  const u = mulberry32(7);
  const cases: Array<[string, (x: number) => number, (x: number) => number, (u: number) => number, number]> = [
    ["exp", D.exp, Math.exp, (v) => (v - 0.5) * 1400, 2],
    ["expm1", D.expm1, Math.expm1, (v) => (v - 0.5) * 2, 5],
    ["log", D.log, Math.log, (v) => Math.exp((v - 0.5) * 1400), 3],
    ["log1p", D.log1p, Math.log1p, (v) => (v - 0.3) * 3, 4],
    ["sin", D.sin, Math.sin, (v) => (v - 0.5) * 40, 3],
    ["cos", D.cos, Math.cos, (v) => (v - 0.5) * 40, 3],
    ["atan", D.atan, Math.atan, (v) => Math.tan((v - 0.5) * 3.1), 5],
    ["asinh", D.asinh, Math.asinh, (v) => Math.sinh((v - 0.5) * 40), 4],
    ["sinh", D.sinh, Math.sinh, (v) => (v - 0.5) * 40, 3],
  ];
  for (const [name, f, g, gen, bound] of cases) {
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = gen(u());
      worst = Math.max(worst, ulps(f(x), g(x)));
    }
    assert.ok(worst <= bound, `${name}: ${worst} ulps`);
  }
  assert.equal(D.atan2(1, -1), (3 * Math.PI) / 4);
  assert.equal(D.atan2(-0.5, 0), -Math.PI / 2);
  assert.ok(Math.abs(D.pow(2.5, 7.3) - Math.pow(2.5, 7.3)) < 1e-13 * Math.pow(2.5, 7.3));
});

test("normal distribution, quantile and incomplete beta agree with src/stats to 1e-13 (relative, tails included)", () => {
  for (let i = 0; i <= 2000; i++) {
    const x = -38 + (76 * i) / 2000, want = S.normalCdf(x);
    assert.ok(Math.abs(DS.normalCdf(x) - want) <= 1e-14 * want, `Phi(${x})`);
  }
  for (let i = 1; i < 600; i++) {
    const p = 10 ** (-30 * (i / 600)), want = S.normalQuantile(p);
    assert.ok(Math.abs(DS.normalQuantile(p) - want) <= 1e-14 * Math.abs(want), `Phi^-1(${p})`);
  }
  for (const B of [3, 5, 8, 32, 129]) {
    for (let i = 1; i < 200; i++) {
      const x = i / 200, a = 0.5 * (B - 2);
      const [lower, upper] = DS.incompleteBetaPair(x, a, 0.5);
      assert.ok(Math.abs(lower - S.regularizedIncompleteBeta(x, a, 0.5)) <= 1e-13 * lower + 1e-300, `I_${x}(${a}, 1/2)`);
      const up = S.regularizedIncompleteBeta(1 - x, 0.5, a);
      assert.ok(Math.abs(upper - up) <= 1e-13 * up + 1e-300, `1 - I_${x}(${a}, 1/2)`);
    }
  }
});
