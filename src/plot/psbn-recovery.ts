import type { TopLevelSpec } from "vega-lite";
import type { FractionPoint } from "./fraction-over-time.ts";
import { logExtent } from "./log-scale.ts";
import { CONFIG, OKABE_ITO, SCHEMA, SYMBOL } from "./theme.ts";

/** One cell of the recovery grid: the measured median first firing (with its 95% interval) and the two derived times. */
export interface RecoveryTimePoint {
  /** the colour group, e.g. "α = 0.1, B = 8" */
  group: string;
  lrLambda: number;
  measured: number;
  lo: number;
  hi: number;
  /** the median of the derived law of the first firing */
  predicted: number;
  /** the first update outside the dead cone, t_exit */
  exit: number;
}

export interface PsbnRecoveryOptions {
  title: string;
  subtitle: string[];
  deadTitle: string;
  timesTitle: string;
}

/**
 * Two panels: left, the fraction of units in their dead cone against the update for each norm (line
 * and Wilson band); right, the recovery time against lr x lambda on log-log axes, a colour per group:
 * measured median first firing (dots, 95% bars), the derived law's median (solid line) and the cone
 * exit t_exit (dashed line).
 */
export function psbnRecoverySpec(dead: readonly FractionPoint[], times: readonly RecoveryTimePoint[], options: PsbnRecoveryOptions): TopLevelSpec {
  const norms = [...new Set(dead.map((p) => p.series))];
  const groups = [...new Set(times.map((p) => p.group))];
  const x = { field: "step", type: "quantitative", title: SYMBOL.step } as const;
  const yFrac = { type: "quantitative", title: "fraction of units in the dead cone", scale: { domain: [0, 1] } } as const;
  const normColor = { field: "series", type: "nominal", title: "norm", sort: norms, scale: { domain: norms, range: [...OKABE_ITO] }, legend: { orient: "right", symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2 } } as const;
  // every layer carries the same colour channel, legend included: vega-lite merges them into one legend
  const left = {
    title: options.deadTitle,
    width: 300,
    height: 240,
    data: { values: dead.map((p) => ({ ...p })) },
    layer: [
      { mark: { type: "area", opacity: 0.15 }, encoding: { x, y: { ...yFrac, field: "lo" }, y2: { field: "hi" }, color: normColor } },
      { mark: { type: "line" }, encoding: { x, y: { ...yFrac, field: "fraction" }, color: normColor } },
    ],
  };
  const rows = times.flatMap((p) => [
    { ...p, curve: "median of the derived law", t: p.predicted },
    { ...p, curve: "cone exit t_exit (formula)", t: p.exit },
  ]);
  const [xMin, xMax] = logExtent(times.map((p) => p.lrLambda), 1.3);
  const [yMin, yMax] = logExtent(times.flatMap((p) => [p.lo, p.hi, p.exit]), 1.3);
  const ticks = [...new Set(times.map((p) => p.lrLambda))].sort((a, b) => a - b);
  const lx = { field: "lrLambda", type: "quantitative", title: "η λ (learning rate × weight decay)", scale: { type: "log", domain: [xMin, xMax], nice: false }, axis: { values: ticks, format: "~g" } } as const;
  const ly = { type: "quantitative", title: "updates to recovery", scale: { type: "log", domain: [yMin, yMax], nice: false }, axis: { format: "~s" } } as const;
  const groupColor = { field: "group", type: "nominal", title: null, sort: groups, scale: { domain: groups, range: [...OKABE_ITO.slice(3), ...OKABE_ITO.slice(0, 3)] }, legend: { orient: "top-right" } } as const;
  const dash = { field: "curve", type: "nominal", title: null, scale: { domain: ["median of the derived law", "cone exit t_exit (formula)"], range: [[1, 0], [5, 3]] }, legend: { orient: "bottom-left" } } as const;
  const tooltip = [{ field: "group" }, { field: "lrLambda" }, { field: "measured" }, { field: "lo" }, { field: "hi" }, { field: "predicted" }, { field: "exit" }];
  const right = {
    title: options.timesTitle,
    width: 300,
    height: 240,
    data: { values: rows },
    layer: [
      { mark: { type: "line", strokeWidth: 1.4 }, encoding: { x: lx, y: { ...ly, field: "t" }, color: groupColor, strokeDash: dash, detail: { field: "curve" } } },
      { transform: [{ filter: "datum.curve === 'cone exit t_exit (formula)'" }], mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x: lx, y: { ...ly, field: "lo" }, y2: { field: "hi" }, color: groupColor } },
      { transform: [{ filter: "datum.curve === 'cone exit t_exit (formula)'" }], mark: { type: "point", filled: true, size: 36 }, encoding: { x: lx, y: { ...ly, field: "measured" }, color: groupColor, tooltip } },
    ],
  };
  return {
    $schema: SCHEMA,
    title: { text: options.title, subtitle: options.subtitle },
    background: "white",
    config: CONFIG,
    hconcat: [left, right],
    resolve: { scale: { color: "independent", strokeDash: "independent" }, legend: { color: "independent", strokeDash: "independent" } },
  } as unknown as TopLevelSpec;
}
