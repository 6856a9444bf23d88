import type { TopLevelSpec } from "vega-lite";
import { frame, OKABE_ITO } from "./theme.ts";

/** A measured probability at one value of any swept quantity (weight decay, batch size, ...), with its 95% interval. */
export interface AgainstPoint {
  series: string;
  x: number;
  p: number;
  lo: number;
  hi: number;
}

export interface ProbabilityAgainstOptions {
  title: string;
  subtitle?: string | string[];
  xTitle: string;
  /** "log2" for doublings (batch sizes), "ordinal" for a few values that include 0 (weight decay), else linear */
  xScale?: "log2" | "ordinal" | "linear";
  yTitle?: string;
}

/**
 * P against a quantity other than lr, one line per series with its interval bars, on a linear y axis
 * (so an interval is drawn as it is, whatever its shape). Series in order of first appearance.
 */
export function probabilityAgainstSpec(points: readonly AgainstPoint[], options: ProbabilityAgainstOptions): TopLevelSpec {
  const order = [...new Set(points.map((p) => p.series))];
  const scale = options.xScale ?? "linear";
  const x =
    scale === "ordinal"
      ? ({ field: "x", type: "ordinal", title: options.xTitle, axis: { labelAngle: 0 } } as const)
      : ({ field: "x", type: "quantitative", title: options.xTitle, scale: scale === "log2" ? { type: "log", base: 2, nice: false } : { zero: false }, axis: scale === "log2" ? { values: [...new Set(points.map((p) => p.x))].sort((a, b) => a - b) } : {} } as const);
  const y = { type: "quantitative", title: options.yTitle ?? "P(collapse by T)", scale: { domain: [0, Math.min(1, Math.max(...points.map((p) => p.hi)) * 1.1 || 1)] } } as const;
  const color = { field: "series", type: "nominal", title: null, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
  return {
    ...frame(options.title, options.subtitle),
    data: { values: points.map((p) => ({ ...p })) },
    // one colour legend, from the points layer (the others share its scale and draw none)
    resolve: { legend: { color: "independent" } },
    layer: [
      { mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...color, legend: null } } },
      { mark: { type: "line" }, encoding: { x, y: { ...y, field: "p" }, color: { ...color, legend: null } } },
      { mark: { type: "point", filled: true, opacity: 0.9 }, encoding: { x, y: { ...y, field: "p" }, color, tooltip: [{ field: "series" }, { field: "x" }, { field: "p" }, { field: "lo" }, { field: "hi" }] } },
    ],
  } as unknown as TopLevelSpec;
}
