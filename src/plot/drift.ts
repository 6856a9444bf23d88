import type { TopLevelSpec } from "vega-lite";
import type { DriftPoint } from "./data.ts";
import { logAxis, logExtent } from "./log-scale.ts";
import { CONFIG, frame, HEIGHT, OKABE_ITO, SYMBOL, WIDTH } from "./theme.ts";

/**
 * A per-step drift towards collapse (by default of the sparsity s = 1 - Phi(r), r = beta/|gamma|),
 * measured (points, 95% bars) and predicted (line, when the theory supplies it), against lr at fixed
 * gamma and against gamma at fixed lr.
 * Log axes: only positive measured drifts can be shown, so the builder drops the others and says
 * how many in the subtitle.
 */
export function driftSpec(points: readonly DriftPoint[], options: { title: string; subtitle?: string | string[]; predictedLabel?: string; yTitle?: string }): TopLevelSpec {
  const shown = points.filter((p) => p.drift > 0 && p.lo > 0);
  const dropped = points.length - shown.length;
  const note = dropped > 0 ? `${dropped} point(s) whose 95% interval reaches 0 or below are not shown (log axis)` : undefined;
  // a 95% bar shorter than the marker's diameter is hidden under it: say so rather than leave "bars" unseen
  const ys0 = logExtent(shown.flatMap((p) => [p.lo, p.hi, p.predicted ?? NaN]), 1.3);
  const barPx = (p: DriftPoint) => (HEIGHT * Math.log10(p.hi / p.lo)) / Math.log10(ys0[1] / ys0[0]);
  const hidden = shown.filter((p) => barPx(p) < 7).length;
  const barNote = hidden === 0 ? undefined : hidden === shown.length ? "every 95% bar is shorter than its marker" : `${hidden} of ${shown.length} 95% bars are shorter than their markers`;
  const subtitle = [...[options.subtitle ?? []].flat(), ...(note ? [note] : []), ...(barNote ? [barNote] : [])];
  const { width: _w, height: _h, ...top } = frame(options.title, subtitle.length ? subtitle : undefined);
  const ys = logExtent(shown.flatMap((p) => [p.lo, p.hi, p.predicted ?? NaN]), 1.3);
  const panel = (axis: "lr" | "gamma", fixed: string) => {
    const rows = shown.filter((p) => p.axis === axis);
    const predicted = points.filter((p) => p.axis === axis && p.predicted !== undefined && p.predicted > 0);
    const xs = logExtent(points.filter((p) => p.axis === axis).map((p) => p[axis]), 1.15);
    const x = { field: axis, type: "quantitative", scale: { type: "log", domain: xs, nice: false }, axis: logAxis(xs, Math.round(WIDTH * 0.8), "x"), title: axis === "lr" ? `${SYMBOL.lr}  (${fixed})` : `${SYMBOL.gamma}  (${fixed})` } as const;
    const y = { type: "quantitative", scale: { type: "log", domain: ys, nice: false }, title: options.yTitle ?? SYMBOL.drift, axis: logAxis(ys, HEIGHT, "y") } as const;
    const layers: unknown[] = [
      { data: { values: rows }, mark: { type: "rule", color: OKABE_ITO[0] }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" } } },
      { data: { values: rows }, mark: { type: "point", filled: true, color: OKABE_ITO[0] }, encoding: { x, y: { ...y, field: "drift" }, tooltip: [{ field: "lr" }, { field: "gamma" }, { field: "drift" }, { field: "lo" }, { field: "hi" }] } },
    ];
    if (predicted.length > 1) {
      layers.push({
        data: { values: predicted.map((p) => ({ ...p, what: options.predictedLabel ?? "analytic" })) },
        mark: { type: "line", color: "#000000", strokeWidth: 1.3 },
        encoding: { x, y: { ...y, field: "predicted" }, strokeDash: { field: "what", type: "nominal", title: null, legend: { orient: "top-left" } } },
      });
    }
    return { width: Math.round(WIDTH * 0.8), height: HEIGHT, layer: layers };
  };
  const fixedGamma = uniqueLabel(points.filter((p) => p.axis === "lr").map((p) => p.gamma), "γ₀");
  const fixedLr = uniqueLabel(points.filter((p) => p.axis === "gamma").map((p) => p.lr), "η");
  return { ...top, config: { ...CONFIG, concat: { spacing: 24 } }, hconcat: [panel("lr", fixedGamma), panel("gamma", fixedLr)] } as unknown as TopLevelSpec;
}

function uniqueLabel(values: number[], symbol: string): string {
  const u = [...new Set(values)];
  return u.length === 1 ? `${symbol} = ${u[0]}` : `${symbol} varies`;
}
