import type { TopLevelSpec } from "vega-lite";
import { floor125, logAxis, logExtent } from "./log-scale.ts";
import { dodgeOffsets } from "./probability-rows.ts";
import { frame, HEIGHT, OKABE_ITO, REFERENCE_COLOR, SYMBOL, WIDTH } from "./theme.ts";

/**
 * The rare-event figures (docs/rare-events.md): AMS estimates with their 95% intervals on log axes,
 * local exponents, the large-deviation plot, and the work of AMS against brute force.
 */

/** One AMS estimate of a line: x is lr, lr / gamma0 or tau; se the SE of the mean of the runs, t its 0.975 quantile. */
export interface RareRow {
  series: string;
  x: number;
  p: number;
  /** the runs' symmetric t interval p ± t·se, as the estimator reports it */
  lo: number;
  hi: number;
  se: number;
  t: number;
}

/** The interval drawn on a log axis: the t interval taken on log p (delta method), p·exp(±t·se/p). */
export interface LogInterval {
  logLo: number;
  logHi: number;
}

/**
 * The 95% interval of an AMS mean on a log axis. The runs' interval p ± t·se is symmetric in p and
 * its lower end can reach 0; on log p the delta method gives SE(log p) = se / p, so the interval
 * p·exp(±t·se/p) has the same width to first order, is symmetric in log p, and stays above 0.
 */
export function logInterval(r: { p: number; se: number; t: number }): LogInterval {
  const h = r.p > 0 ? (r.t * r.se) / r.p : Infinity;
  return { logLo: r.p * Math.exp(-h), logHi: Math.min(1, r.p * Math.exp(h)) };
}

/** Says on a figure which interval it draws. */
export const LOG_INTERVAL_NOTE = "bars: 95% interval p·exp(±t·SE/p), the runs' t interval taken on log P (delta method)";
export const DODGE_NOTE = "markers that would coincide are spread sideways";

function seriesColor(rows: readonly { series: string }[], title: string | null) {
  const order = [...new Set(rows.map((r) => r.series))];
  return { field: "series", type: "nominal", title, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
}

/** Sideways offsets (as new x values) for markers of different series that would sit on each other; `px` maps x and y to pixels. */
function dodged<T extends { series: string }>(rows: readonly T[], px: (r: T) => [number, number], shift: (r: T, dx: number) => number): { xMark: number[]; any: boolean } {
  const order = [...new Set(rows.map((r) => r.series))];
  const offsets = dodgeOffsets(rows.map((r) => { const [x, y] = px(r); return { x, y, order: order.indexOf(r.series) }; }));
  return { xMark: rows.map((r, i) => shift(r, offsets[i])), any: offsets.some((o) => o !== 0) };
}

const logPx = ([a, b]: readonly [number, number], n: number) => (v: number) => (n * Math.log10(v / a)) / Math.log10(b / a);
const linPx = ([a, b]: readonly [number, number], n: number) => (v: number) => (n * (v - a)) / (b - a);

/** P against x on log-log axes: a line per series, each point with its 95% interval (logInterval) as a rule. */
export function rareProbabilitySpec(rows: readonly (RareRow & LogInterval)[], xTitle: string, title: string, subtitle: readonly string[]): TopLevelSpec {
  const floor = floor125(rows.flatMap((r) => [r.p, r.logLo]).map((v) => v / 1.2));
  const [x0, x1] = logExtent(rows.map((r) => r.x), 1.1);
  const px = logPx([x0, x1], WIDTH), py = logPx([floor, 1], HEIGHT);
  const d = dodged(rows, (r) => [px(r.x), py(r.p)], (r, dx) => r.x * 10 ** ((dx * Math.log10(x1 / x0)) / WIDTH));
  // the figure's data carry the interval it draws; the runs' symmetric lo/hi stay in the CSV
  const data = rows.map((r, i) => ({ series: r.series, x: r.x, p: r.p, se: r.se, logLo: r.logLo, logHi: r.logHi, xMark: d.xMark[i] }));
  const x = { field: "x", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: xTitle, axis: logAxis([x0, x1], WIDTH, "x") } as const;
  const xMark = { ...x, field: "xMark" };
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1], nice: false }, title: SYMBOL.p, axis: logAxis([floor, 1], HEIGHT, "y") } as const;
  const color = seriesColor(rows, null);
  const quiet = { ...color, legend: null };
  return {
    ...frame(title, [...subtitle, ...(d.any ? [DODGE_NOTE] : [])]),
    data: { values: data },
    layer: [
      { mark: { type: "line", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "p" }, color: quiet } },
      { mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x: xMark, y: { ...y, field: "logLo" }, y2: { field: "logHi" }, color: quiet } },
      { mark: { type: "point", filled: true, size: 30 }, encoding: { x: xMark, y: { ...y, field: "p" }, color, tooltip: [{ field: "series" }, { field: "x" }, { field: "p" }, { field: "se" }, { field: "logLo" }, { field: "logHi" }] } },
    ],
    resolve: { legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
}

export interface ExponentRow {
  series: string;
  x: number;
  slope: number;
  lo: number;
  hi: number;
}

const PAPER_LAW = "slope 2: P ∝ η² (the paper's law)";

/** The local exponent d log P / d log x against x (log axis), with its 95% interval and the paper's 2 dashed (named in the legend, not over the data). */
export function rareExponentSpec(rows: readonly ExponentRow[], xTitle: string, title: string, subtitle: readonly string[]): TopLevelSpec {
  const [x0, x1] = logExtent(rows.map((r) => r.x), 1.1);
  const yMax = Math.max(2, ...rows.map((r) => r.hi));
  const y1 = Math.ceil(yMax / 10) * 10;
  const px = logPx([x0, x1], WIDTH), py = linPx([0, y1], HEIGHT);
  const d = dodged(rows, (r) => [px(r.x), py(r.slope)], (r, dx) => r.x * 10 ** ((dx * Math.log10(x1 / x0)) / WIDTH));
  const data = rows.map((r, i) => ({ ...r, xMark: d.xMark[i] }));
  const x = { field: "x", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: xTitle, axis: logAxis([x0, x1], WIDTH, "x") } as const;
  const xMark = { ...x, field: "xMark" };
  const y = { type: "quantitative", title: "local exponent d log P / d log η", scale: { domain: [0, y1], nice: false } } as const;
  const color = seriesColor(rows, null);
  const quiet = { ...color, legend: null };
  return {
    ...frame(title, [...subtitle, ...(d.any ? [DODGE_NOTE] : [])]),
    layer: [
      {
        data: { values: [{ two: 2, what: PAPER_LAW }] },
        mark: { type: "rule", color: REFERENCE_COLOR, strokeWidth: 1.2 },
        encoding: { y: { field: "two", type: "quantitative" }, strokeDash: { field: "what", type: "nominal", title: null, scale: { domain: [PAPER_LAW], range: [[5, 4]] }, legend: { symbolStrokeColor: REFERENCE_COLOR } } },
      },
      { data: { values: data }, mark: { type: "line", strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: "slope" }, color: quiet } },
      { data: { values: data }, mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x: xMark, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: quiet } },
      { data: { values: data }, mark: { type: "point", filled: true, size: 30 }, encoding: { x: xMark, y: { ...y, field: "slope" }, color } },
    ],
    resolve: { legend: { color: "independent" } },
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
export function rareRateSpec(rows: readonly RateRow[], fit: { rate: number; intercept: number; from: number; to: number; label: string }, title: string, subtitle: readonly string[]): TopLevelSpec {
  const pad = (a: number, b: number): [number, number] => [a - 0.04 * (b - a), b + 0.04 * (b - a)];
  const xd = pad(Math.min(...rows.map((r) => r.invTau)), Math.max(...rows.map((r) => r.invTau)));
  const yd = pad(Math.min(...rows.map((r) => r.lo)), Math.max(...rows.map((r) => r.hi)));
  const px = linPx(xd, WIDTH), py = linPx(yd, HEIGHT);
  const d = dodged(rows, (r) => [px(r.invTau), py(r.minusLogP)], (r, dx) => r.invTau + (dx * (xd[1] - xd[0])) / WIDTH);
  const data = rows.map((r, i) => ({ ...r, xMark: d.xMark[i] }));
  const x = { field: "invTau", type: "quantitative", title: "1 / τ", scale: { domain: xd, nice: false } } as const;
  const xMark = { ...x, field: "xMark" };
  const y = { type: "quantitative", title: "−ln P(collapse by T)", scale: { domain: yd, nice: false } } as const;
  const color = seriesColor(rows, null);
  const quiet = { ...color, legend: null };
  const line = [fit.from, fit.to].map((u) => ({ invTau: u, minusLogP: -fit.intercept + fit.rate * u }));
  return {
    ...frame(title, [...subtitle, ...(d.any ? [DODGE_NOTE] : [])]),
    layer: [
      // the fit's label is a legend entry: placed in the plot it would cover data
      {
        data: { values: line.map((l) => ({ ...l, what: fit.label })) },
        mark: { type: "line", color: REFERENCE_COLOR, strokeWidth: 1.2 },
        encoding: { x, y: { ...y, field: "minusLogP" }, strokeDash: { field: "what", type: "nominal", title: null, scale: { domain: [fit.label], range: [[5, 4]] }, legend: { symbolStrokeColor: REFERENCE_COLOR } } },
      },
      { data: { values: data }, mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x: xMark, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: quiet } },
      { data: { values: data }, mark: { type: "point", filled: true, size: 26 }, encoding: { x: xMark, y: { ...y, field: "minusLogP" }, color } },
    ],
    resolve: { legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
}

export interface WorkRow {
  method: string;
  p: number;
  work: number;
  /** brute force's work extrapolated from its variance, not run */
  extrapolated: boolean;
}

const EXTRAPOLATED = "brute force extrapolated from its variance, not run";

/** Work (updates) to a 10% relative SE against P, log-log: brute force against AMS per score. */
export function rareWorkSpec(rows: readonly WorkRow[], title: string, subtitle: readonly string[]): TopLevelSpec {
  const [x0, x1] = logExtent(rows.map((r) => r.p), 2);
  const [y0, y1] = logExtent(rows.map((r) => r.work), 3);
  const x = { field: "p", type: "quantitative", scale: { type: "log", domain: [x0, x1], nice: false }, title: "P(collapse by T)", axis: logAxis([x0, x1], WIDTH, "x") } as const;
  const y = { field: "work", type: "quantitative", scale: { type: "log", domain: [y0, y1], nice: false }, title: "updates to a 10% relative SE", axis: logAxis([y0, y1], HEIGHT, "y") } as const;
  const order = [...new Set(rows.map((r) => r.method))];
  const color = { field: "method", type: "nominal", title: null, sort: order, scale: { domain: order, range: [...OKABE_ITO] } } as const;
  const quiet = { ...color, legend: null };
  const tooltip = [{ field: "method" }, { field: "p" }, { field: "work" }, { field: "extrapolated" }];
  const layers: unknown[] = [
    { mark: { type: "line", strokeWidth: 1.4 }, encoding: { x, y, color: quiet } },
    { transform: [{ filter: "!datum.extrapolated" }], mark: { type: "point", size: 40 }, encoding: { x, y, color, tooltip } },
  ];
  if (rows.some((r) => r.extrapolated)) {
    layers.push({
      transform: [{ filter: "datum.extrapolated" }],
      mark: { type: "point", size: 50, filled: false, strokeWidth: 1.5 },
      encoding: { x, y, color: quiet, tooltip, shape: { datum: EXTRAPOLATED, type: "nominal", title: null, scale: { domain: [EXTRAPOLATED], range: ["triangle-up"] }, legend: { symbolFillColor: "transparent", symbolStrokeColor: REFERENCE_COLOR, symbolStrokeWidth: 1.5 } } },
    });
  }
  return {
    ...frame(title, [...subtitle]),
    data: { values: rows },
    layer: layers,
    resolve: { legend: { color: "independent" } },
  } as unknown as TopLevelSpec;
}
