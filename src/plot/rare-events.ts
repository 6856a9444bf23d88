import type { TopLevelSpec } from "vega-lite";
import { logExtent, logTicks13 } from "./log-scale.ts";
import { frame, OKABE_ITO, REFERENCE_COLOR, SYMBOL } from "./theme.ts";

/**
 * The rare-event figures (docs/rare-events.md): AMS estimates with their 95% intervals on log axes,
 * local exponents, the large-deviation plot, and the work of AMS against brute force.
 */

/** One AMS estimate of a line: x is lr, lr / gamma0 or tau. */
export interface RareRow {
  series: string;
  x: number;
  p: number;
  lo: number;
  hi: number;
}

function seriesColor(rows: readonly { series: string }[], title: string) {
  const order = [...new Set(rows.map((r) => r.series))];
  return { field: "series", type: "nominal", title, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
}

/** P against x on log-log axes: a line per series, each point with its 95% interval as a rule. */
export function rareProbabilitySpec(rows: readonly RareRow[], xTitle: string, title: string, subtitle: string): TopLevelSpec {
  // an interval that reaches 0 is drawn down to the axis floor
  const floor = 10 ** Math.floor(Math.log10(Math.min(...rows.filter((r) => r.p > 0).map((r) => r.p))) - 0.5);
  const data = rows.map((r) => ({ ...r, loShown: Math.max(r.lo, floor) }));
  const [x0, x1] = logExtent(rows.map((r) => r.x), 1.1);
  const x = { field: "x", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: xTitle, axis: { values: logTicks13([x0, x1]) } } as const;
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1] }, title: SYMBOL.p, axis: { format: ".0e" } } as const;
  const color = seriesColor(rows, "");
  const quiet = color;
  return {
    ...frame(title, subtitle),
    data: { values: data },
    layer: [
      { mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "loShown" }, y2: { field: "hi" }, color: quiet } },
      { mark: { type: "line", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "p" }, color: quiet } },
      { mark: { type: "point", filled: true, size: 30 }, encoding: { x, y: { ...y, field: "p" }, color, tooltip: [{ field: "series" }, { field: "x" }, { field: "p" }, { field: "lo" }, { field: "hi" }] } },
    ],
  } as unknown as TopLevelSpec;
}

export interface ExponentRow {
  series: string;
  x: number;
  slope: number;
  lo: number;
  hi: number;
}

/** The local exponent d log P / d log x against x (log axis), with its 95% interval and the paper's 2 dashed. */
export function rareExponentSpec(rows: readonly ExponentRow[], xTitle: string, title: string, subtitle: string): TopLevelSpec {
  const [x0, x1] = logExtent(rows.map((r) => r.x), 1.1);
  const x = { field: "x", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: xTitle, axis: { values: logTicks13([x0, x1]) } } as const;
  const y = { type: "quantitative", title: "local exponent d log P / d log η", scale: { zero: true } } as const;
  const color = seriesColor(rows, "");
  const quiet = color;
  return {
    ...frame(title, subtitle),
    layer: [
      { data: { values: [{ two: 2, label: "P ∝ η² (the paper's law)" }] }, mark: { type: "rule", strokeDash: [5, 4], color: REFERENCE_COLOR }, encoding: { y: { field: "two", type: "quantitative" } } },
      {
        data: { values: [{ two: 2, label: "slope 2: P ∝ η² (the paper's law)", x: x1 }] },
        mark: { type: "text", align: "right", dy: -7, color: REFERENCE_COLOR, fontSize: 11 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "two", type: "quantitative" }, text: { field: "label" } },
      },
      { data: { values: rows }, mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: quiet } },
      { data: { values: rows }, mark: { type: "line", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "slope" }, color: quiet } },
      { data: { values: rows }, mark: { type: "point", filled: true, size: 30 }, encoding: { x, y: { ...y, field: "slope" }, color } },
    ],
  } as unknown as TopLevelSpec;
}

export interface RateRow {
  series: string;
  invTau: number;
  minusLogP: number;
  lo: number;
  hi: number;
}

/** -ln P against 1 / tau: a large-deviation form ln P ~ c - I / tau is a straight line of slope I; the fit dashed. */
export function rareRateSpec(rows: readonly RateRow[], fit: { rate: number; intercept: number; from: number; to: number; label: string }, title: string, subtitle: string): TopLevelSpec {
  const x = { field: "invTau", type: "quantitative", title: "1 / τ", scale: { zero: false } } as const;
  const y = { type: "quantitative", title: "−ln P(collapse by T)", scale: { zero: false } } as const;
  const color = seriesColor(rows, "");
  const quiet = color;
  const line = [fit.from, fit.to].map((u) => ({ invTau: u, minusLogP: -fit.intercept + fit.rate * u }));
  return {
    ...frame(title, subtitle),
    layer: [
      { data: { values: line }, mark: { type: "line", strokeDash: [5, 4], color: REFERENCE_COLOR, strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "minusLogP" } } },
      {
        data: { values: [{ ...line[0], label: fit.label }] },
        mark: { type: "text", align: "left", dx: 20, dy: 4, color: REFERENCE_COLOR, fontSize: 11 },
        encoding: { x, y: { ...y, field: "minusLogP" }, text: { field: "label" } },
      },
      { data: { values: rows }, mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: quiet } },
      { data: { values: rows }, mark: { type: "point", filled: true, size: 26 }, encoding: { x, y: { ...y, field: "minusLogP" }, color } },
    ],
  } as unknown as TopLevelSpec;
}

export interface WorkRow {
  method: string;
  p: number;
  work: number;
  /** brute force's work extrapolated from its variance, not run */
  extrapolated: boolean;
}

/** Work (updates) to a 10% relative SE against P, log-log: brute force against AMS per score. */
export function rareWorkSpec(rows: readonly WorkRow[], title: string, subtitle: string): TopLevelSpec {
  const [x0, x1] = logExtent(rows.map((r) => r.p), 2);
  const [y0, y1] = logExtent(rows.map((r) => r.work), 3);
  const x = { field: "p", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: "P(collapse by T)", axis: { format: ".0e" } } as const;
  const y = { field: "work", type: "quantitative", scale: { type: "log", domain: [y0, y1], nice: false }, title: "updates to a 10% relative SE", axis: { format: ".0e" } } as const;
  const order = [...new Set(rows.map((r) => r.method))];
  const color = { field: "method", type: "nominal", title: "", sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
  return {
    ...frame(title, subtitle),
    data: { values: rows },
    layer: [
      { mark: { type: "line", strokeWidth: 1.4 }, encoding: { x, y, color } },
      { mark: { type: "point", size: 40 }, encoding: { x, y, color, shape: { field: "extrapolated", type: "nominal", title: "brute force", scale: { domain: [false, true], range: ["circle", "triangle-up"] }, legend: { labelExpr: "datum.label === 'true' ? 'extrapolated' : 'run'" } }, tooltip: [{ field: "method" }, { field: "p" }, { field: "work" }] } },
    ],
  } as unknown as TopLevelSpec;
}
