import type { TopLevelSpec } from "vega-lite";
import type { ProbabilityPoint } from "./data.ts";
import { logAxis, logExtent } from "./log-scale.ts";
import { boundMarkerLayers, dodgeOffsets, identicalSeries, probabilityFloor, toLogRow } from "./probability-rows.ts";
import { frame, HEIGHT, OKABE_ITO, REFERENCE_COLOR, SYMBOL, WIDTH } from "./theme.ts";

export interface SlopeGuide {
  slope: number;
  /** the guide passes through this point */
  lr: number;
  p: number;
  label: string;
}

export interface ProbabilityVsLrOptions {
  title: string;
  subtitle?: string | string[];
  /** a dashed line P ∝ lr^slope, e.g. the paper's slope 2 */
  guide?: SlopeGuide;
  /** the y axis's title (default P(collapse by T)): say what the event is where "collapse" would mislead */
  yTitle?: string;
}

/** P(collapse) against lr on log-log axes, a line and a Wilson band per gamma. */
export function probabilityVsLrSpec(points: readonly ProbabilityPoint[], options: ProbabilityVsLrOptions): TopLevelSpec {
  return probabilityLinesSpec(points, "gamma", "γ₀", options);
}

/** A probability with its interval at one lr, in the series named by one of its fields. */
export type LrRow = { lr: number; p: number; lo: number; hi: number };

/**
 * P against lr on log-log axes, one line with its band per value of `series` (in order of first
 * appearance). Nothing is hidden: where nothing collapsed, an open triangle at the interval's upper
 * end (a legend entry says so); markers that would sit on each other are dodged sideways; a series
 * whose numbers equal an earlier one's is drawn on top, dashed, as "X (identical to Y)"; an interval
 * whose lower end is 0 gets an arrow at the floor. Ticks: logAxis, so labels never touch.
 */
export function probabilityLinesSpec<T extends LrRow>(
  points: readonly T[],
  series: keyof T & string,
  legendTitle: string | null,
  options: ProbabilityVsLrOptions,
): TopLevelSpec {
  const name = (pt: T) => String(pt[series]);
  const raw = [...new Set(points.map(name))];
  const twins = identicalSeries(points, name, raw);
  const label = (s: string) => (twins.has(s) ? `${s} (identical to ${twins.get(s)})` : s);
  const order = raw.map(label);
  const floor = probabilityFloor(points);
  const [xMin, xMax] = logExtent(points.map((pt) => pt.lr), 1.1);
  const pxX = WIDTH / Math.log10(xMax / xMin), pxY = HEIGHT / Math.log10(1 / floor);
  const logRows = points.map((pt) => ({ pt, r: toLogRow(pt, floor) }));
  const offsets = dodgeOffsets(logRows.map(({ pt, r }) => ({ x: pxX * Math.log10(pt.lr / xMin), y: pxY * Math.log10((r.shown ?? r.bound ?? floor) / floor), order: raw.indexOf(name(pt)) })));
  const rows = logRows.map(({ pt, r }, i) => ({
    ...pt,
    ...r,
    [series]: label(name(pt)),
    identical: twins.has(name(pt)),
    lrMark: pt.lr * 10 ** (offsets[i] / pxX),
  }));
  const dodged = offsets.some((o) => o !== 0);
  const x = { field: "lr", type: "quantitative", scale: { type: "log", domain: [xMin, xMax], nice: false }, title: SYMBOL.lr, axis: logAxis([xMin, xMax], WIDTH, "x") } as const;
  const xMark = { ...x, field: "lrMark" };
  const color = { field: series, type: "nominal", title: legendTitle, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1], nice: false }, title: options.yTitle ?? SYMBOL.p, axis: logAxis([floor, 1], HEIGHT, "y") } as const;
  // one colour legend, from the points layer; the other layers share its scale but draw none
  const quiet = { ...color, legend: null };

  const layers: unknown[] = [
    { mark: { type: "area", opacity: 0.16 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color: quiet } },
    { transform: [{ filter: "datum.shown !== null && !datum.identical" }], mark: { type: "line" }, encoding: { x, y: { ...y, field: "shown" }, color: quiet } },
    // identical series last, dashed, so the one they repeat shows between the dashes
    { transform: [{ filter: "datum.shown !== null && datum.identical" }], mark: { type: "line", strokeDash: [5, 4] }, encoding: { x, y: { ...y, field: "shown" }, color: quiet } },
    {
      transform: [{ filter: "datum.shown !== null" }],
      mark: { type: "point", filled: true, opacity: 0.9 },
      encoding: { x: xMark, y: { ...y, field: "shown" }, color, tooltip: [{ field: series }, { field: "lr" }, { field: "p" }, { field: "lo" }, { field: "hi" }] },
    },
  ];
  layers.push(...boundMarkerLayers(rows, xMark, y, quiet));
  if (options.guide) layers.push(...guideLayers(options.guide, xMin, xMax, floor));
  const subtitle = [...[options.subtitle ?? []].flat(), ...(dodged ? ["markers that would coincide are spread sideways"] : [])];
  return {
    ...frame(options.title, subtitle.length ? subtitle : undefined),
    data: { values: rows },
    layer: layers,
    resolve: { legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
}

/** The dashed guide line, clipped to the plot; its label is a legend entry (a label in the plot would cover data). */
function guideLayers(g: SlopeGuide, xMin: number, xMax: number, floor: number): unknown[] {
  const at = (lr: number) => g.p * (lr / g.lr) ** g.slope;
  const n = 24;
  const line = Array.from({ length: n + 1 }, (_, i) => {
    const lr = xMin * (xMax / xMin) ** (i / n);
    return { lr, guide: at(lr), what: g.label };
  }).filter((r) => r.guide >= floor && r.guide <= 1);
  if (line.length < 2) return [];
  return [
    {
      data: { values: line },
      mark: { type: "line", color: REFERENCE_COLOR, strokeWidth: 1.2 },
      encoding: {
        x: { field: "lr", type: "quantitative" },
        y: { field: "guide", type: "quantitative" },
        strokeDash: { field: "what", type: "nominal", title: null, scale: { domain: [g.label], range: [[5, 4]] }, legend: { symbolStrokeColor: REFERENCE_COLOR } },
      },
    },
  ];
}
