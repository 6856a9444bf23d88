import type { TopLevelSpec } from "vega-lite";
import type { PredictedPoint } from "./data.ts";
import { logExtent } from "./log-scale.ts";
import { probabilityFloor, toLogRow, ZERO_NOTE } from "./probability-rows.ts";
import { frame, OKABE_ITO, SYMBOL } from "./theme.ts";

/** A measured P at one setting, placed at its tau; `series` names the family it belongs to. */
export interface TauPoint {
  series: string;
  tau: number;
  lr: number;
  gamma: number;
  batch: number;
  steps: number;
  p: number;
  lo: number;
  hi: number;
}

export interface ProbabilityVsTauOptions {
  title: string;
  subtitle?: string;
  /** the deterministic prediction P(tau), drawn as a black line when given */
  predicted?: readonly PredictedPoint[];
  predictedLabel?: string;
}

/**
 * The data-collapse test: if P depends on (lr, gamma, B, T) only through tau, every series falls on
 * one curve. Points with 95% bars, a colour per series.
 */
export function probabilityVsTauSpec(points: readonly TauPoint[], options: ProbabilityVsTauOptions): TopLevelSpec {
  const predicted = options.predicted ?? [];
  const floor = probabilityFloor(points);
  const rows = points.map((pt) => ({ ...pt, ...toLogRow(pt, floor) }));
  const [xMin, xMax] = logExtent([...points.map((pt) => pt.tau), ...predicted.map((q) => q.tau)], 1.2);
  const x = { field: "tau", type: "quantitative", scale: { type: "log", domain: [xMin, xMax], nice: false }, title: SYMBOL.tau } as const;
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1] }, title: SYMBOL.p } as const;
  const color = { field: "series", type: "nominal", title: null, scale: { range: [...OKABE_ITO] }, legend: { labelLimit: 400 } } as const;
  const layers: unknown[] = [
    { transform: [{ filter: "datum.shown !== null" }], mark: { type: "rule", opacity: 0.6 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color } },
    {
      transform: [{ filter: "datum.shown !== null" }],
      mark: { type: "point", filled: true, opacity: 0.9 },
      encoding: { x, y: { ...y, field: "shown" }, color, tooltip: [{ field: "series" }, { field: "lr" }, { field: "gamma" }, { field: "tau" }, { field: "p" }] },
    },
    {
      transform: [{ filter: "datum.bound !== null" }],
      mark: { type: "point", shape: "triangle-down", filled: false, strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: "bound" }, color },
    },
  ];
  const shownPredicted = predicted.filter((q) => q.p >= floor && q.p <= 1 && q.tau > 0);
  if (shownPredicted.length > 1) {
    layers.push({
      data: { values: shownPredicted.map((q) => ({ ...q, what: options.predictedLabel ?? "prediction" })) },
      mark: { type: "line", color: "#000000", strokeWidth: 1.5 },
      encoding: { x: { field: "tau", type: "quantitative" }, y: { field: "p", type: "quantitative" }, strokeDash: { field: "what", type: "nominal", title: null, legend: { orient: "top-left" } } },
    });
  }
  return { ...frame(options.title, options.subtitle ?? ZERO_NOTE), data: { values: rows }, layer: layers } as unknown as TopLevelSpec;
}
