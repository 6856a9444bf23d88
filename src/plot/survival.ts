import type { TopLevelSpec } from "vega-lite";
import type { SurvivalCurve } from "./data.ts";
import { frame, OKABE_ITO, SYMBOL } from "./theme.ts";

/** Kaplan-Meier curves of the first-passage time as steps, with pointwise 95% bands. */
export function survivalSpec(curves: readonly SurvivalCurve[], options: { title: string; subtitle?: string | string[]; legendTitle?: string | null }): TopLevelSpec {
  const rows = curves.flatMap((c) => c.t.map((t, i) => ({ curve: c.label, order: curves.indexOf(c), t, survival: c.survival[i], lo: c.lo[i], hi: c.hi[i] })));
  const x = { field: "t", type: "quantitative", title: SYMBOL.step } as const;
  const y = { type: "quantitative", title: SYMBOL.survival, scale: { domain: [0, 1] } } as const;
  const color = { field: "curve", type: "nominal", title: options.legendTitle ?? null, sort: curves.map((c) => c.label), scale: { range: [...OKABE_ITO] }, legend: { orient: "bottom-left" } } as const;
  return {
    ...frame(options.title, options.subtitle),
    data: { values: rows },
    resolve: { legend: { color: "independent" } },
    layer: [
      { mark: { type: "area", opacity: 0.15, interpolate: "step-after" }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...color, legend: null } } },
      { mark: { type: "line", interpolate: "step-after" }, encoding: { x, y: { ...y, field: "survival" }, color } },
    ],
  } as unknown as TopLevelSpec;
}
