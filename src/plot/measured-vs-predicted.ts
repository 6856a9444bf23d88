import type { TopLevelSpec } from "vega-lite";
import { logAxis, logExtent } from "./log-scale.ts";
import { dodgeOffsets, probabilityFloor, toLogRow } from "./probability-rows.ts";
import { CONFIG, OKABE_ITO, SCHEMA, SYMBOL } from "./theme.ts";

/** One value against lr: in a panel, a colour group, and measured or predicted. */
export interface MeasuredPredictedPoint {
  panel: string;
  lr: number;
  /** the colour, e.g. the weight decay */
  group: string;
  kind: "measured" | "predicted";
  p: number;
  lo: number;
  hi: number;
  /** a measured point that is not comparable (e.g. the network diverged): drawn as a cross */
  flagged?: boolean;
}

export interface MeasuredPredictedOptions {
  title: string;
  subtitle?: string;
  yTitle: string;
  groupTitle: string;
  measuredLabel: string;
  predictedLabel: string;
  flaggedLabel?: string;
}

/**
 * Measured (solid, filled dots, interval bars) against predicted (dashed, open dots, band) on log-log
 * axes, a panel per `panel` value with its own lr range. Zeros sit at the axis floor as open down
 * triangles at the upper end of their interval, as in the probability figures.
 */
export function measuredVsPredictedSpec(points: readonly MeasuredPredictedPoint[], options: MeasuredPredictedOptions): TopLevelSpec {
  const panels = [...new Set(points.map((p) => p.panel))];
  const groups = [...new Set(points.map((p) => p.group))];
  const floor = probabilityFloor(points);
  const kindLabel = (k: MeasuredPredictedPoint["kind"]) => (k === "measured" ? options.measuredLabel : options.predictedLabel);
  const base = points.map((pt) => ({ ...pt, kindLabel: kindLabel(pt.kind), flagged: !!pt.flagged, ...toLogRow(pt, floor) }));
  // markers (and the measured bars) that would sit on each other in a panel are spread sideways
  const PANEL_PX = 210;
  const lrMark = new Map<number, number>();
  for (const name of panels) {
    const idx = base.map((r, i) => [r, i] as const).filter(([r]) => r.panel === name);
    const [xMin, xMax] = logExtent(idx.map(([r]) => r.lr), 1.3);
    const px = PANEL_PX / Math.log10(xMax / xMin), py = PANEL_PX / Math.log10(1 / floor);
    const off = dodgeOffsets(idx.map(([r]) => ({ x: px * Math.log10(r.lr / xMin), y: py * Math.log10((r.shown ?? r.bound ?? floor) / floor), order: groups.indexOf(r.group) * 2 + (r.kind === "measured" ? 0 : 1) })));
    idx.forEach(([r, i], k) => lrMark.set(i, r.lr * 10 ** (off[k] / px)));
  }
  const rows = base.map((r, i) => ({ ...r, lrMark: lrMark.get(i) ?? r.lr }));
  const dodged = rows.some((r) => r.lrMark !== r.lr);
  const y = { type: "quantitative", scale: { type: "log", domain: [floor, 1], nice: false }, title: options.yTitle, axis: logAxis([floor, 1], 210, "y") } as const;
  const color = { field: "group", type: "nominal", title: options.groupTitle, sort: groups, scale: { domain: groups, range: [...OKABE_ITO] } } as const;
  const dash = {
    field: "kindLabel",
    type: "nominal",
    title: null,
    scale: { domain: [options.measuredLabel, options.predictedLabel], range: [[1, 0], [5, 3]] },
  } as const;
  // every layer carries the same colour channel (legend included): vega-lite merges them into one legend
  const quiet = color;
  const panel = (name: string, index: number) => {
    const yAxis = index === 0 ? y : { ...y, title: null };
    const [xMin, xMax] = logExtent(points.filter((p) => p.panel === name).map((p) => p.lr), 1.3);
    const x = { field: "lr", type: "quantitative", scale: { type: "log", domain: [xMin, xMax], nice: false }, title: SYMBOL.lr, axis: logAxis([xMin, xMax], PANEL_PX, "x") } as const;
    const xm = { ...x, field: "lrMark" };
    const mine = `datum.panel === ${JSON.stringify(name)}`;
    const shown = `${mine} && datum.shown !== null`;
    const tooltip = [{ field: "kindLabel" }, { field: "group" }, { field: "lr" }, { field: "p", format: ".3g" }, { field: "lo", format: ".3g" }, { field: "hi", format: ".3g" }];
    const y2 = yAxis;
    return {
      title: name,
      width: 210,
      height: 210,
      layer: [
        { transform: [{ filter: `${mine} && datum.kind === 'predicted'` }], mark: { type: "area", opacity: 0.14 }, encoding: { x, y: { ...y2, field: "low" }, y2: { field: "high" }, color: quiet } },
        { transform: [{ filter: shown }], mark: { type: "line" }, encoding: { x, y: { ...y2, field: "shown" }, color, strokeDash: dash, detail: { field: "kindLabel" } } },
        { transform: [{ filter: `${mine} && datum.kind === 'measured'` }], mark: { type: "rule", strokeWidth: 1.2 }, encoding: { x: xm, y: { ...y2, field: "low" }, y2: { field: "high" }, color: quiet } },
        {
          transform: [{ filter: `${shown} && datum.kind === 'measured' && !datum.flagged` }],
          mark: { type: "point", filled: true, size: 40 },
          encoding: { x: xm, y: { ...y2, field: "shown" }, color: quiet, tooltip },
        },
        {
          transform: [{ filter: `${shown} && datum.kind === 'measured' && datum.flagged` }],
          mark: { type: "point", shape: "cross", filled: true, size: 70 },
          encoding: { x: xm, y: { ...y2, field: "shown" }, color: quiet, tooltip },
        },
        {
          transform: [{ filter: `${shown} && datum.kind === 'predicted'` }],
          mark: { type: "point", filled: false, size: 36, strokeWidth: 1.4 },
          encoding: { x: xm, y: { ...y2, field: "shown" }, color: quiet, tooltip },
        },
        {
          transform: [{ filter: `${mine} && datum.bound !== null` }],
          mark: { type: "point", shape: "triangle-down", filled: false, strokeWidth: 1.4 },
          encoding: { x: xm, y: { ...y2, field: "bound" }, color: quiet, tooltip },
        },
      ],
    };
  };
  const notes = [options.subtitle, options.flaggedLabel && points.some((p) => p.flagged) ? `✚: ${options.flaggedLabel}` : null, "▽: none, at the upper end of the 95% interval", dodged ? "markers that would coincide are spread sideways" : null];
  return {
    $schema: SCHEMA,
    title: { text: options.title, subtitle: notes.filter(Boolean) as string[] },
    background: "white",
    config: CONFIG,
    data: { values: rows },
    hconcat: panels.map((name, k) => panel(name, k)),
    resolve: { scale: { color: "shared", strokeDash: "shared" }, legend: { color: "shared", strokeDash: "shared" } },
  } as unknown as TopLevelSpec;
}
