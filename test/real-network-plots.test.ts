/** The two spec builders of the real-network figures, on synthetic data: compile without warnings, render. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { measuredVsPredictedSpec, type MeasuredPredictedPoint } from "../src/plot/measured-vs-predicted.ts";
import { ratioDistributionSpec } from "../src/plot/ratio-distribution.ts";
import { compileSpec } from "../src/render/compile.ts";
import { renderSvg } from "../src/render/svg.ts";

test("ratioDistributionSpec: a row per layer, the cone edge, values beyond the axis at its ends", async () => {
  const r = Array.from({ length: 64 }, (_, k) => -8 + k * 0.15);
  const spec = ratioDistributionSpec(
    [{ layer: "layer1.0.bn1", r: [...r, -Infinity, Infinity, NaN, -1e6] }, { layer: "layer1.0.bn2", r: r.map((x) => x / 2) }],
    { title: "t", cone: -Math.sqrt(31), batch: 32 },
  );
  assert.deepEqual(compileSpec(spec).warnings, []);
  const json = JSON.stringify(spec);
  assert.match(json, /3 channels beyond the axis/, "±inf and -1e6 are counted, NaN is not drawn");
  assert.match(json, /dead cone edge −√\(B−1\) = -5\.57 \(B = 32\)/);
  assert.match(await renderSvg(spec), /^<svg/);
});

test("measuredVsPredictedSpec: panels per optimiser, zeros as bounds, flagged points", async () => {
  const points: MeasuredPredictedPoint[] = [];
  for (const panel of ["SGD", "Adam"]) {
    for (const [k, lr] of [0.01, 0.03, 0.1].entries()) {
      for (const group of ["no weight decay", "weight decay 0.0005"]) {
        const p = k === 0 ? 0 : 0.05 * k;
        points.push({ panel, lr, group, kind: "measured", p, lo: 0, hi: p + 0.02, flagged: panel === "SGD" && k === 2 });
        points.push({ panel, lr, group, kind: "predicted", p: p * 1.5, lo: p, hi: p * 2 + 0.01 });
      }
    }
  }
  const spec = measuredVsPredictedSpec(points, { title: "t", yTitle: "y", groupTitle: "", measuredLabel: "measured", predictedLabel: "predicted", flaggedLabel: "diverged" });
  assert.deepEqual(compileSpec(spec).warnings, []);
  assert.match(JSON.stringify(spec), /✚: diverged/);
  assert.match(await renderSvg(spec), /^<svg/);
});
