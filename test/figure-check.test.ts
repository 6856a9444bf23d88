/**
 * The figure check (src/render/figure-check.ts) finds each defect it names in a small spec made to
 * have it, and nothing in the same spec without it. The figures of `reproduce --quick` are checked
 * in test/reproduce.test.ts, on the run that test makes anyway.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import { checkFigure, DEFECT_KINDS, type DefectKind } from "../src/render/figure-check.ts";
import { probabilityLinesSpec } from "../src/plot/probability-vs-lr.ts";
import { EXPERIMENTS } from "../src/experiments/set.ts";
import { CONFIG, SCHEMA } from "../src/plot/theme.ts";
import { renderSvg } from "../src/render/svg.ts";

const base = (extra: Record<string, unknown>): TopLevelSpec => ({ $schema: SCHEMA, config: CONFIG, width: 360, height: 200, background: "white", ...extra }) as unknown as TopLevelSpec;
// explicit ticks: vega's own log ticks are one of the defects (their labels run together)
const logY = { type: "quantitative", scale: { type: "log", domain: [0.001, 1] }, axis: { values: [0.001, 0.01, 0.1, 1] } } as const;
const x = { field: "lr", type: "quantitative", scale: { type: "log", domain: [0.05, 0.5] }, axis: { values: [0.1, 0.2, 0.4] } } as const;
const series = (name: string, ps: number[]) => ps.map((p, i) => ({ s: name, lr: [0.1, 0.2, 0.4][i], p }));
const kinds = async (spec: TopLevelSpec): Promise<DefectKind[]> => [...new Set((await checkFigure(spec)).map((d) => d.kind))].sort();

const points = (values: object[], legend: object = {}) =>
  base({ data: { values }, mark: { type: "point", filled: true }, encoding: { x, y: { ...logY, field: "p" }, color: { field: "s", type: "nominal", legend } } });

const DEFECTIVE: Record<DefectKind, TopLevelSpec> = {
  "text-outside": base({ title: { text: "A title", subtitle: "x" }, data: { values: [{ a: 1 }] }, mark: "point", encoding: { x: { field: "a", type: "quantitative" } }, padding: 0, autosize: { type: "none" } }),
  "text-truncated": points([...series("a label far too long for the legend's limit", [0.1, 0.2, 0.3])], { labelLimit: 60 }),
  "text-overlap": base({ data: { values: series("SGD", [0.01, 0.02, 0.05]) }, mark: "point", encoding: { x: { field: "lr", type: "quantitative", scale: { type: "log", domain: [0.0045, 0.035], nice: false } }, y: { ...logY, field: "p" } } }),
  "text-over-data": base({
    layer: [
      { data: { values: [{ lr: 0.2, p: 0.1 }] }, mark: { type: "point", filled: true }, encoding: { x, y: { ...logY, field: "p" } } },
      { data: { values: [{ lr: 0.2, p: 0.1, t: "slope 2" }] }, mark: { type: "text" }, encoding: { x, y: { ...logY, field: "p" }, text: { field: "t" } } },
    ],
  }),
  "identical-series": points([...series("Adam", [0.05, 0.1, 0.3]), ...series("AdamW", [0.05, 0.1, 0.3]), ...series("SGD", [0.01, 0.02, 0.05])]),
  "markers-coincide": points([...series("B = 8", [0.005, 0.2, 0.5]), ...series("B = 16", [0.005, 0.1, 0.3])]),
  "symmetric-log-interval": base({
    data: { values: [{ lr: 0.2, p: 0.0039, lo: 0, hi: 0.0078 }, { lr: 0.4, p: 0.1, lo: 0.05, hi: 0.15 }] },
    layer: [
      { mark: "rule", encoding: { x, y: { ...logY, field: "lo" }, y2: { field: "hi" } } },
      { mark: "point", encoding: { x, y: { ...logY, field: "p" } } },
    ],
  }),
  "legend-invisible": base({
    data: { values: series("SGD", [0.01, 0.02, 0.05]) },
    mark: { type: "line" },
    encoding: { x, y: { ...logY, field: "p" }, color: { field: "s", type: "nominal", scale: { domain: ["SGD", "Adam"] } } },
  }),
};

const OVERLAPPING_TEXT = base({
    data: { values: [{ x: 1, t: "first label" }, { x: 1.05, t: "second label" }] },
    mark: { type: "text", fontSize: 12 },
    encoding: { x: { field: "x", type: "quantitative", scale: { domain: [0, 10] } }, text: { field: "t" } },
  });

test("text marks placed on each other are found too", async () => {
  assert.ok((await kinds(OVERLAPPING_TEXT)).includes("text-overlap"));
});

test("every defect kind has a spec that shows it", () => {
  assert.deepEqual(Object.keys(DEFECTIVE).sort(), Object.keys(DEFECT_KINDS).sort());
});

for (const [kind, spec] of Object.entries(DEFECTIVE) as [DefectKind, TopLevelSpec][]) {
  test(`the figure check finds ${kind}: ${DEFECT_KINDS[kind]}`, async () => {
    const found = await kinds(spec);
    assert.ok(found.includes(kind), `found ${found.join(", ") || "nothing"}`);
  });
}

test("a clean figure passes: separate series, legend sized to its text", async () => {
  assert.deepEqual(await kinds(points([...series("SGD", [0.01, 0.02, 0.05]), ...series("Adam", [0.1, 0.2, 0.4])])), []);
});

test("the P-vs-lr builder leaves nothing for the check: identical series named, zero markers dodged", async () => {
  const rows = (variant: string, collapsed: number[]) =>
    collapsed.map((k, i) => ({ variant, lr: [0.05, 0.1, 0.2][i], p: k / 500, lo: k === 0 ? 0 : (k / 500) * 0.6, hi: k === 0 ? 0.0074 : Math.min(1, (k / 500) * 1.5), trials: 500, collapsed: k }));
  const spec = probabilityLinesSpec([...rows("Adam", [0, 10, 60]), ...rows("AdamW", [0, 10, 60]), ...rows("SGD", [0, 0, 20])], "variant", null, { title: "t", subtitle: "T = 400 updates · B = 32" });
  const defects = await checkFigure(spec);
  assert.deepEqual(defects, []);
  const json = JSON.stringify(spec);
  assert.ok(json.includes("AdamW (identical to Adam)"), "the twin is named in the legend");
  assert.ok(json.includes("none collapsed: upper 95% bound"), "the zero marker has a legend entry");
});

// The figure set of `reproduce`, the rare-event figures (scripts/rare-figures.ts) and the digits comparison.
const RARE_FIGURES = ["rare-p-vs-lr", "rare-p-vs-tau", "rare-exponent", "rare-large-deviation", "rare-work-vs-p"];
test("every committed figure (the set, the rare-event figures, the digits comparison) passes the figure check", async () => {
  const specs = [
    ...EXPERIMENTS.map((e) => `figures/${e.id}.vl.json`),
    ...RARE_FIGURES.map((n) => `figures/${n}.vl.json`),
    ...readdirSync("reference/pytorch/figures").filter((f) => f.endsWith(".vl.json")).map((f) => `reference/pytorch/figures/${f}`),
  ];
  assert.ok(specs.length >= 25, `${specs.length} figures`);
  for (const f of specs) {
    const defects = await checkFigure(JSON.parse(readFileSync(f, "utf8")));
    assert.deepEqual(defects, [], `${f}: ${defects.map((d) => `${d.kind}: ${d.message}`).join("; ")}`);
  }
});

test("the notebooks' P-against-any-quantity builder passes the check and draws its legend", async () => {
  const { probabilityAgainstSpec } = await import("../src/plot/probability-against.ts");
  const spec = probabilityAgainstSpec(
    [0, 0.001, 0.01].flatMap((x, i) => [{ series: "sgd", x, p: 0.2 + 0.1 * i, lo: 0.15 + 0.1 * i, hi: 0.25 + 0.1 * i }, { series: "adamw", x, p: 0.1, lo: 0.07, hi: 0.14 }]),
    { title: "t", xTitle: "weight decay λ", xScale: "ordinal" },
  );
  assert.deepEqual(await checkFigure(spec), []);
  assert.match(await renderSvg(spec), /role-legend/);
});
