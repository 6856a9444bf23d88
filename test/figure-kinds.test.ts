/**
 * Each figure kind declares the measurements it is drawn from (src/experiments/types.ts,
 * MeasurementsOf) and has one builder (src/experiments/build.ts, FIGURE_BUILDERS). The checks that
 * matter here run in `npm run typecheck`: the @ts-expect-error lines below fail the type check if the
 * mistake they make stops being a compile error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIGURE_BUILDERS } from "../src/experiments/build.ts";
import { EXPERIMENTS } from "../src/experiments/set.ts";
import type { Experiment } from "../src/experiments/types.ts";

import type { DriftMeasurement, SweepMeasurement } from "../src/experiments/types.ts";

const sweep: SweepMeasurement = { kind: "sweep", label: "s", config: {}, quick: {} };
const drift: DriftMeasurement = { kind: "drift", label: "d", config: {}, quick: {}, lr: [0.1], gamma: [1], atGamma: 1, atLr: 0.1, trials: 10 };

export const declared: Experiment[] = [
  { id: "ok", title: "t", claim: "", figure: "drift", measurements: [drift] },
  // @ts-expect-error a drift figure needs a drift measurement, not a sweep
  { id: "wrong-kind", title: "t", claim: "", figure: "drift", measurements: [sweep] },
  // @ts-expect-error a P-vs-lr figure needs its sweep
  { id: "missing", title: "t", claim: "", figure: "probability-vs-lr", measurements: [] },
];

test("every figure kind of the set has a builder, and the set's ids are unique", () => {
  for (const e of EXPERIMENTS) assert.equal(typeof FIGURE_BUILDERS[e.figure], "function", e.id);
  assert.equal(new Set(EXPERIMENTS.map((e) => e.id)).size, EXPERIMENTS.length);
});
