import type { TopLevelSpec } from "vega-lite";
import type { ProbabilityPoint } from "./data.ts";
import { frame, SEQUENTIAL_SCHEME, SYMBOL } from "./theme.ts";

/** Cell edges on a log axis: geometric midpoints, the outer ones half a step beyond the ends. */
export function logEdges(values: readonly number[]): Map<number, [number, number]> {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const edges = new Map<number, [number, number]>();
  if (v.length === 1) {
    edges.set(v[0], [v[0] / 1.5, v[0] * 1.5]);
    return edges;
  }
  const mid = v.slice(1).map((b, i) => Math.sqrt(v[i] * b));
  v.forEach((x, i) => {
    const lo = i > 0 ? mid[i - 1] : (x * x) / mid[0];
    const hi = i < v.length - 1 ? mid[i] : (x * x) / mid[i - 1];
    edges.set(x, [lo, hi]);
  });
  return edges;
}

/**
 * P over the (lr, gamma) grid as coloured cells with the value printed in each, and iso-lines of
 * lr/gamma: if P depends on lr and gamma only through lr/gamma (the paper's lr^2/gamma^2), the
 * colour is constant along them.
 */
export function heatmapSpec(points: readonly ProbabilityPoint[], options: { title: string; subtitle?: string | string[]; isoRatios: readonly number[] }): TopLevelSpec {
  const lrEdges = logEdges(points.map((p) => p.lr));
  const gEdges = logEdges(points.map((p) => p.gamma));
  const rows = points.map((pt) => {
    const [lr0, lr1] = lrEdges.get(pt.lr)!;
    const [g0, g1] = gEdges.get(pt.gamma)!;
    return { ...pt, lr0, lr1, g0, g1, label: formatP(pt.p) };
  });
  const xDom = [Math.min(...rows.map((r) => r.lr0)), Math.max(...rows.map((r) => r.lr1))];
  const yDom = [Math.min(...rows.map((r) => r.g0)), Math.max(...rows.map((r) => r.g1))];
  const xs = { type: "log", domain: xDom, nice: false } as const;
  const ys = { type: "log", domain: yDom, nice: false } as const;
  const iso = options.isoRatios.flatMap((c) => isoLine(c, xDom as [number, number], yDom as [number, number]));
  // each line's label sits just outside the plot where the line leaves it: above, or to the right
  const labels = options.isoRatios.flatMap((c) => {
    const pts = iso.filter((r) => r.ratio === c);
    if (!pts.length) return [];
    const end = pts[pts.length - 1];
    return [{ ...end, text: `η/γ₀ = ${c}`, side: end.gamma >= yDom[1] * 0.999 ? "top" : "right" }];
  });
  const lrTicks = [...new Set(points.map((p) => p.lr))].sort((a, b) => a - b);
  const gTicks = [...new Set(points.map((p) => p.gamma))].sort((a, b) => a - b);
  return {
    ...frame(options.title, options.subtitle),
    layer: [
      {
        data: { values: rows },
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          x: { field: "lr0", type: "quantitative", scale: xs, title: SYMBOL.lr, axis: { values: lrTicks, grid: false } },
          x2: { field: "lr1" },
          y: { field: "g0", type: "quantitative", scale: ys, title: SYMBOL.gamma, axis: { values: gTicks, grid: false } },
          y2: { field: "g1" },
          color: { field: "p", type: "quantitative", title: "P", scale: { scheme: SEQUENTIAL_SCHEME, domain: [0, 1] }, legend: { offset: 64 } },
          tooltip: [{ field: "lr" }, { field: "gamma" }, { field: "p" }, { field: "lo" }, { field: "hi" }],
        },
      },
      {
        data: { values: rows },
        transform: [{ calculate: "sqrt(datum.lr0 * datum.lr1)", as: "xc" }, { calculate: "sqrt(datum.g0 * datum.g1)", as: "yc" }],
        mark: { type: "text", fontSize: 9 },
        encoding: {
          x: { field: "xc", type: "quantitative" },
          y: { field: "yc", type: "quantitative" },
          text: { field: "label" },
          color: { condition: { test: "datum.p > 0.55", value: "black" }, value: "white" },
        },
      },
      {
        data: { values: iso },
        mark: { type: "line", color: "white", opacity: 0.6, strokeDash: [4, 3], strokeWidth: 1.1, clip: true },
        encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "gamma", type: "quantitative" }, detail: { field: "ratio", type: "nominal" } },
      },
      {
        data: { values: labels },
        transform: [{ filter: "datum.side === 'top'" }],
        mark: { type: "text", color: "#333333", fontSize: 9, align: "center", baseline: "bottom", dy: -3 },
        encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "gamma", type: "quantitative" }, text: { field: "text" } },
      },
      {
        data: { values: labels },
        transform: [{ filter: "datum.side === 'right'" }],
        mark: { type: "text", color: "#333333", fontSize: 9, align: "left", baseline: "middle", dx: 3 },
        encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "gamma", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** The line lr = c * gamma clipped to the plotted rectangle. */
function isoLine(c: number, [x0, x1]: [number, number], [y0, y1]: [number, number]): { lr: number; gamma: number; ratio: number }[] {
  const g0 = Math.max(y0, x0 / c), g1 = Math.min(y1, x1 / c);
  if (!(g1 > g0)) return [];
  return [{ lr: c * g0, gamma: g0, ratio: c }, { lr: c * g1, gamma: g1, ratio: c }];
}

function formatP(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p === 0) return "0";
  return p < 0.01 ? p.toExponential(0) : p.toFixed(2);
}
