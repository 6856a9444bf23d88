import type { TopLevelSpec } from "vega-lite";
import type { ProbabilityPoint } from "./data.ts";
import { logExtent } from "./log-scale.ts";
import { probabilityFloor, toLogRow, ZERO_NOTE } from "./probability-rows.ts";
import { frame, OKABE_ITO, REFERENCE_COLOR, SYMBOL } from "./theme.ts";

export interface SlopeGuide {
  slope: number;
  /** the guide passes through this point */
  lr: number;
  p: number;
  label: string;
}

export interface ProbabilityVsLrOptions {
  title: string;
  subtitle?: string;
  /** a dashed line P ∝ lr^slope, e.g. the paper's slope 2 */
  guide?: SlopeGuide;
}

/** P(collapse) against lr on log-log axes, a line and a Wilson band per gamma. */
export function probabilityVsLrSpec(points: readonly ProbabilityPoint[], options: ProbabilityVsLrOptions): TopLevelSpec {
  return probabilityLinesSpec(points, "gamma", "γ₀", options);
}

/** A probability with its interval at one lr, in the series named by one of its fields. */
export type LrRow = { lr: number; p: number; lo: number; hi: number };

/**
 * P against lr on log-log axes, one line with its band per value of `series` (in order of first
 * appearance); where nothing collapsed, an open triangle at the interval's upper end.
 */
export function probabilityLinesSpec<T extends LrRow>(
  points: readonly T[],
  series: keyof T & string,
  legendTitle: string | null,
  options: ProbabilityVsLrOptions,
): TopLevelSpec {
  const order = [...new Set(points.map((pt) => pt[series]))];
  const floor = probabilityFloor(points);
  const rows = points.map((pt) => ({ ...pt, ...toLogRow(pt, floor) }));
  const [xMin, xMax] = logExtent(points.map((pt) => pt.lr), 1.1);
  const x = { field: "lr", type: "quantitative", scale: { type: "log", domain: [xMin, xMax], nice: false }, title: SYMBOL.lr } as const;
  const color = { field: series, type: "nominal", title: legendTitle, sort: order, scale: { range: [...OKABE_ITO] } } as const;
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1] }, title: SYMBOL.p } as const;
  // one legend, from the points layer; the other layers share its scale but draw none
  const quiet = { ...color, legend: null };

  const layers: unknown[] = [
    { mark: { type: "area", opacity: 0.16 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color: quiet } },
    { transform: [{ filter: "datum.shown !== null" }], mark: { type: "line" }, encoding: { x, y: { ...y, field: "shown" }, color: quiet } },
    {
      transform: [{ filter: "datum.shown !== null" }],
      mark: { type: "point", filled: true },
      encoding: { x, y: { ...y, field: "shown" }, color, tooltip: [{ field: series }, { field: "lr" }, { field: "p" }, { field: "lo" }, { field: "hi" }] },
    },
    {
      transform: [{ filter: "datum.bound !== null" }],
      mark: { type: "point", shape: "triangle-down", filled: false, strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: "bound" }, color: quiet },
    },
  ];
  if (options.guide) layers.push(...guideLayers(options.guide, xMin, xMax, floor));
  return {
    ...frame(options.title, options.subtitle ?? ZERO_NOTE),
    data: { values: rows },
    layer: layers,
    resolve: { legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
}

/** The dashed guide line, clipped to the plot, with its label at the upper end. */
function guideLayers(g: SlopeGuide, xMin: number, xMax: number, floor: number): unknown[] {
  const at = (lr: number) => g.p * (lr / g.lr) ** g.slope;
  const n = 24;
  const line = Array.from({ length: n + 1 }, (_, i) => {
    const lr = xMin * (xMax / xMin) ** (i / n);
    return { lr, guide: at(lr) };
  }).filter((r) => r.guide >= floor && r.guide <= 1);
  if (line.length < 2) return [];
  const end = line[line.length - 1];
  return [
    {
      data: { values: line },
      mark: { type: "line", strokeDash: [5, 4], color: REFERENCE_COLOR, strokeWidth: 1.2 },
      encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "guide", type: "quantitative" } },
    },
    {
      data: { values: [{ ...end, text: g.label }] },
      mark: { type: "text", align: "right", dx: -6, dy: -6, color: REFERENCE_COLOR, fontSize: 11 },
      encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "guide", type: "quantitative" }, text: { field: "text" } },
    },
  ];
}
