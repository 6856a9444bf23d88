import type { TopLevelSpec } from "vega-lite";
import { frame, OKABE_ITO, SYMBOL } from "./theme.ts";

/** A fraction (e.g. of units inside the dead region) at one step, with its 95% interval, for a named series. */
export interface FractionPoint {
  series: string;
  step: number;
  fraction: number;
  lo: number;
  hi: number;
}

/**
 * Fractions against the update, one line with its 95% band per series (in order of first
 * appearance); y from 0 to a round step above the largest upper bound (a panel to 1 for fractions
 * below 0.2 would leave four fifths of it empty).
 */
export function fractionOverTimeSpec(points: readonly FractionPoint[], options: { title: string; subtitle?: string | string[]; yTitle: string }): TopLevelSpec {
  const order = [...new Set(points.map((p) => p.series))];
  const x = { field: "step", type: "quantitative", title: SYMBOL.step } as const;
  const top = Math.min(1, Math.ceil((Math.max(0, ...points.map((p) => p.hi)) * 1.1) / 0.05) * 0.05 || 1);
  const y = { type: "quantitative", title: options.yTitle, scale: { domain: [0, Number(top.toFixed(2))], nice: false } } as const;
  const color = { field: "series", type: "nominal", title: null, sort: order, scale: { range: [...OKABE_ITO] }, legend: { orient: "top-right" } } as const;
  return {
    ...frame(options.title, options.subtitle),
    data: { values: points.map((p) => ({ ...p })) },
    resolve: { legend: { color: "independent" } },
    layer: [
      { mark: { type: "area", opacity: 0.15 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...color, legend: null } } },
      { mark: { type: "line" }, encoding: { x, y: { ...y, field: "fraction" }, color } },
    ],
  } as unknown as TopLevelSpec;
}
