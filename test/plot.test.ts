/** Every spec builder on synthetic data: compiles with vega-lite without warnings, renders to SVG and PNG. */
import { fractionOverTimeSpec } from "../src/plot/fraction-over-time.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import {
  comparisonSpec,
  driftSpec,
  exponentsSpec,
  heatmapSpec,
  probabilityVsLrSpec,
  probabilityVsTauSpec,
  survivalSpec,
  trajectoriesSpec,
  type DriftPoint,
  type ExponentEstimate,
  type PathSeries,
  type ProbabilityPoint,
} from "../src/plot/index.ts";
import { compileSpec } from "../src/render/compile.ts";
import { psbnRecoverySpec } from "../src/plot/psbn-recovery.ts";
import { renderSvg } from "../src/render/svg.ts";
import { svgToPng } from "../src/render/png.ts";
import { rowsToCsv } from "../src/render/csv.ts";

const lrs = [0.025, 0.05, 0.1, 0.2, 0.4];
const gammas = [0.5, 1, 2];
const wilsonish = (p: number, n: number): [number, number] => [Math.max(0, p - 2 * Math.sqrt((p * (1 - p) + 1 / n) / n)), Math.min(1, p + 2 * Math.sqrt((p * (1 - p) + 1 / n) / n))];
const points: ProbabilityPoint[] = gammas.flatMap((gamma) =>
  lrs.map((lr) => {
    const raw = Math.min(1, 3 * (lr / gamma) ** 2);
    const p = raw < 0.005 ? 0 : raw;
    const [lo, hi] = p === 0 ? [0, 0.004] : wilsonish(p, 1000);
    return { lr, gamma, batch: 32, steps: 1000, p, lo, hi, trials: 1000, collapsed: Math.round(p * 1000) };
  }),
);
const exponents: ExponentEstimate[] = [
  { estimator: "(a) P(T)", param: "lr", value: 1.2, lo: 0.9, hi: 1.5, expected: 2, verdict: "does not hold" },
  { estimator: "(b) median first passage", param: "lr", value: -1.8, lo: -2.6, hi: -1.0, expected: -2, verdict: "holds" },
  { estimator: "(c) sparsity drift", param: "lr", value: 2.01, lo: 1.99, hi: 2.03, expected: 2, verdict: "holds" },
  { estimator: "(d) one-step P near the boundary", param: "lr", value: null, lo: null, hi: null, expected: 2, verdict: "no verdict" },
  { estimator: "(a) P(T)", param: "gamma", value: -1.1, lo: -14, hi: 11, expected: -2, verdict: "inconclusive" },
  { estimator: "(e) bending", param: "gamma", value: -0.4, lo: -0.5, hi: -0.3, expected: -2, verdict: "not a power law", localLo: -9.3, localHi: -0.1 },
  { estimator: "(b) median first passage", param: "gamma", value: 1.9, lo: 1.2, hi: 2.6, expected: 2, verdict: "holds" },
  { estimator: "(c) sparsity drift", param: "gamma", value: -2.0, lo: -2.02, hi: -1.98, expected: -2, verdict: "holds" },
  { estimator: "(d) one-step P near the boundary", param: "gamma", value: -0.6, lo: -0.8, hi: -0.4, expected: -2, verdict: "does not hold" },
];
const drift: DriftPoint[] = [
  ...lrs.map((lr) => ({ axis: "lr" as const, lr, gamma: 1, drift: 0.01 * lr * lr, lo: 0.008 * lr * lr, hi: 0.012 * lr * lr, predicted: 0.011 * lr * lr })),
  ...gammas.map((gamma) => ({ axis: "gamma" as const, lr: 0.1, gamma, drift: 1e-4 / gamma ** 2, lo: 0.8e-4 / gamma ** 2, hi: 1.2e-4 / gamma ** 2 })),
  { axis: "gamma" as const, lr: 0.1, gamma: 4, drift: 1e-6, lo: -1e-6, hi: 3e-6 },
];
const paths: PathSeries[] = [0, 1, 2].map((id) => {
  const step = Array.from({ length: 50 }, (_, i) => i * 20);
  return { id, step, gamma: step.map((s) => 1 + 0.0005 * s * (id - 1)), beta: step.map((s) => -0.004 * s * (id + 1)), collapsedAt: id === 2 ? 700 : 0 };
});

const specs: Record<string, TopLevelSpec> = {
  "p-vs-lr": probabilityVsLrSpec(points, { title: "P vs lr", guide: { slope: 2, lr: 0.1, p: 0.1, label: "slope 2" } }),
  "p-vs-tau": probabilityVsTauSpec(
    points.map((p) => ({ ...p, series: `γ₀ = ${p.gamma}`, tau: (p.lr ** 2 * p.steps) / (p.batch * p.gamma ** 2) })),
    { title: "P vs tau", predicted: [0.01, 0.1, 1, 10].map((tau) => ({ tau, p: Math.min(1, 0.1 * tau) })), predictedLabel: "predictor" },
  ),
  "p-vs-tau-two-predictions": probabilityVsTauSpec(
    points.map((p) => ({ ...p, series: `γ₀ = ${p.gamma}`, tau: (p.lr ** 2 * p.steps) / (p.batch * p.gamma ** 2) })),
    {
      title: "P vs tau",
      // one curve partly below the default floor 1e-4 of what is drawn, one with a p = 0 point (not drawn on a log axis)
      predicted: [0.01, 0.1, 1, 10].flatMap((tau) => [
        { tau, p: 1e-5 * tau ** 2, curve: "predictor, B = 32" },
        { tau, p: tau < 0.05 ? 0 : Math.min(1, 0.2 * tau), curve: "predictor, B = 8" },
      ]),
    },
  ),
  "exponents-empty": exponentsSpec([], { title: "exponents", emptyNote: "nothing to fit" }),
  "p-vs-tau-no-prediction": probabilityVsTauSpec(points.map((p) => ({ ...p, series: "all", tau: p.lr / p.gamma })), { title: "P vs tau" }),
  exponents: exponentsSpec(exponents, { title: "exponents" }),
  survival: survivalSpec(
    [
      { label: "η = 0.1", t: [0, 100, 500, 1000], survival: [1, 0.9, 0.7, 0.6], lo: [1, 0.88, 0.67, 0.57], hi: [1, 0.92, 0.73, 0.63] },
      { label: "η = 0.2", t: [0, 50, 1000], survival: [1, 0.5, 0.2], lo: [1, 0.45, 0.17], hi: [1, 0.55, 0.23] },
    ],
    { title: "survival", legendTitle: "η" },
  ),
  heatmap: heatmapSpec(points, { title: "heat map", isoRatios: [0.05, 0.1, 0.2] }),
  drift: driftSpec(drift, { title: "drift" }),
  trajectories: trajectoriesSpec(paths, { title: "paths", batch: 32, ratioCriterion: 3 }),
  "fraction-over-time": fractionOverTimeSpec(
    ["BN", "psBN"].flatMap((series, j) => [0, 100, 200].map((step) => ({ series, step, fraction: 0.1 / (j + 1), lo: 0.05 / (j + 1), hi: 0.15 / (j + 1) }))),
    { title: "recovery", yTitle: "fraction" },
  ),
  "psbn-recovery": psbnRecoverySpec(
    ["BN", "psBN"].flatMap((series, j) => [0, 100, 200].map((step) => ({ series, step, fraction: 0.1 / (j + 1), lo: 0.05 / (j + 1), hi: 0.15 / (j + 1) }))),
    [0.001, 0.002, 0.004].flatMap((k) => ["α = 0.1", "α = 0.2"].map((group, j) => ({ group, lrLambda: k, measured: 3 / k / (j + 1), lo: 2.9 / k / (j + 1), hi: 3.1 / k / (j + 1), predicted: 3 / k / (j + 1), exit: 2.6 / k / (j + 1) }))),
    { title: "psBN", subtitle: ["left", "right"], deadTitle: "dead", timesTitle: "times" },
  ),
  comparison: comparisonSpec(
    points.filter((p) => p.gamma === 1).flatMap((p) => ["sgd", "adam"].map((variant) => ({ ...p, variant }))),
    { title: "comparison", legendTitle: "optimiser" },
  ),
};

for (const [name, spec] of Object.entries(specs)) {
  test(`${name}: compiles without warnings and renders to SVG and PNG`, async () => {
    const { warnings } = compileSpec(spec);
    assert.deepEqual(warnings, []);
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg/);
    assert.ok(svg.includes("</svg>"));
    const png = await svgToPng(svg);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    // the spec is plain JSON (it opens in the Vega editor as it is)
    assertPlainJson(spec, name);
  });
}

test("a spec that makes vega-lite warn is refused", async () => {
  const bad = { data: { values: [{ a: 1 }] }, mark: "point", encoding: { x: { field: "a", type: "quantitative" }, shape: { field: "a", type: "quantitative" } } } as unknown as TopLevelSpec;
  await assert.rejects(renderSvg(bad), /vega-lite warned/);
});

test("CSV quotes what needs quoting and takes the union of columns", () => {
  assert.equal(rowsToCsv([{ a: 1, b: "x,y" }, { a: 2, c: 'say "hi"' }]), 'a,b,c\n1,"x,y",\n2,,"say ""hi"""\n');
});

/** No undefined, NaN, infinities or functions anywhere: what JSON.stringify would silently change. */
function assertPlainJson(v: unknown, path: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") return assert.ok(Number.isFinite(v), `${path} is ${v}`);
  if (Array.isArray(v)) return v.forEach((x, i) => assertPlainJson(x, `${path}[${i}]`));
  assert.equal(typeof v, "object", `${path} is a ${typeof v}`);
  for (const [k, x] of Object.entries(v as object)) assertPlainJson(x, `${path}.${k}`);
}
