import type { TopLevelSpec } from "vega-lite";
import type { PredictedPoint, ProbabilityPoint } from "./data.ts";
import { floor125, logAxis, logExtent } from "./log-scale.ts";
import { boundMarkerLayers, dodgeOffsets, identicalSeries, probabilityFloor, toLogRow } from "./probability-rows.ts";
import { frame, HEIGHT, OKABE_ITO, SYMBOL, WIDTH } from "./theme.ts";

/** A measured P at one setting, placed at its tau; `series` names the family it belongs to. */
export type TauPoint = Pick<ProbabilityPoint, "lr" | "gamma" | "batch" | "steps" | "p" | "lo" | "hi"> & {
  series: string;
  tau: number;
};

export interface ProbabilityVsTauOptions {
  title: string;
  subtitle?: string | string[];
  /**
   * Predictions that belong to one measured series each (`curve` = the series' name), drawn as thin lines
   * in that series' colour. Values below `predictedFloor` are left out.
   */
  seriesPredicted?: readonly PredictedPoint[];
  /**
   * Deterministic predictions P(tau), drawn as black lines (one per `curve`, told apart by the dash).
   * Predicted values below `predictedFloor` are left out, and the y axis reaches down to the
   * smallest value kept.
   */
  predicted?: readonly PredictedPoint[];
  /** the legend entry of a prediction without its own `curve` name */
  predictedLabel?: string;
  predictedFloor?: number;
}

const DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]];

/**
 * The data-collapse test: if P depends on (lr, gamma, B, T) only through tau, every series falls on
 * one curve. Points with 95% bars, a colour per series; a series' own prediction as a line in its colour.
 */
export function probabilityVsTauSpec(points: readonly TauPoint[], options: ProbabilityVsTauOptions): TopLevelSpec {
  const keep = (q: PredictedPoint) => q.tau > 0 && q.p >= (options.predictedFloor ?? 1e-4) && q.p <= 1;
  const predicted = (options.predicted ?? []).filter(keep);
  const perSeries = (options.seriesPredicted ?? []).filter(keep).map((q) => ({ tau: q.tau, p: q.p, series: q.curve ?? "" }));
  const floor = Math.min(probabilityFloor(points), floor125([...predicted, ...perSeries].map((q) => q.p)));
  const [xMin, xMax] = logExtent([...points.map((pt) => pt.tau), ...predicted.map((q) => q.tau), ...perSeries.map((q) => q.tau)], 1.2);
  const raw = [...new Set(points.map((pt) => pt.series))];
  const twins = identicalSeries(points.map((pt) => ({ ...pt, lr: pt.tau })), (pt) => pt.series, raw);
  const label = (s: string) => (twins.has(s) ? `${s} (identical to ${twins.get(s)})` : s);
  const pxX = WIDTH / Math.log10(xMax / xMin), pxY = HEIGHT / Math.log10(1 / floor);
  const logRows = points.map((pt) => ({ pt, r: toLogRow(pt, floor) }));
  const offsets = dodgeOffsets(logRows.map(({ pt, r }) => ({ x: pxX * Math.log10(pt.tau / xMin), y: pxY * Math.log10((r.shown ?? r.bound ?? floor) / floor), order: raw.indexOf(pt.series) })));
  const rows = logRows.map(({ pt, r }, i) => ({ ...pt, ...r, series: label(pt.series), tauMark: pt.tau * 10 ** (offsets[i] / pxX) }));
  const order = raw.map(label);
  const x = { field: "tau", type: "quantitative", scale: { type: "log", domain: [xMin, xMax], nice: false }, axis: logAxis([xMin, xMax], WIDTH, "x"), title: SYMBOL.tau } as const;
  const xMark = { ...x, field: "tauMark" };
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1], nice: false }, title: SYMBOL.p, axis: logAxis([floor, 1], HEIGHT, "y") } as const;
  const color = { field: "series", type: "nominal", title: null, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
  const quiet = { ...color, legend: null };
  const layers: unknown[] = [];
  if (perSeries.length > 1) {
    layers.push({
      data: { values: perSeries.map((q) => ({ ...q, series: label(q.series) })) },
      mark: { type: "line", strokeWidth: 1.3, opacity: 0.85, clip: true },
      encoding: { x: { field: "tau", type: "quantitative" }, y: { field: "p", type: "quantitative" }, color: quiet, detail: { field: "series" } },
    });
  }
  layers.push(
    { transform: [{ filter: "datum.shown !== null" }], mark: { type: "rule", opacity: 0.6 }, encoding: { x: xMark, y: { ...y, field: "low" }, y2: { field: "high" }, color: quiet } },
    {
      transform: [{ filter: "datum.shown !== null" }],
      mark: { type: "point", filled: true, opacity: 0.9 },
      encoding: { x: xMark, y: { ...y, field: "shown" }, color, tooltip: [{ field: "series" }, { field: "lr" }, { field: "gamma" }, { field: "tau" }, { field: "p" }] },
    },
  );
  layers.push(...boundMarkerLayers(rows, xMark, y, quiet));
  const lines = predicted.map((q) => ({ ...q, what: q.curve ?? options.predictedLabel ?? "prediction" }));
  const curves = [...new Set(lines.map((q) => q.what))];
  if (lines.length > 1) {
    layers.push({
      data: { values: lines },
      mark: { type: "line", color: "#000000", strokeWidth: 1.4, clip: true },
      encoding: {
        x: { field: "tau", type: "quantitative" },
        y: { field: "p", type: "quantitative" },
        strokeDash: { field: "what", type: "nominal", title: null, sort: curves, scale: { domain: curves, range: DASHES.slice(0, curves.length) }, legend: { orient: "top-left", symbolStrokeWidth: 1.4, labelLimit: 400 } },
      },
    });
  }
  const dodged = offsets.some((o) => o !== 0);
  const subtitle = [...[options.subtitle ?? []].flat(), ...(dodged ? ["markers that would coincide are spread sideways"] : [])];
  return { ...frame(options.title, subtitle.length ? subtitle : undefined), data: { values: rows }, layer: layers, resolve: { legend: { color: "independent" } } } as unknown as TopLevelSpec;
}
