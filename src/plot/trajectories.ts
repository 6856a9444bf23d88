import type { TopLevelSpec } from "vega-lite";
import type { PathSeries } from "./data.ts";
import { frame, OKABE_ITO, REFERENCE_COLOR, SYMBOL } from "./theme.ts";

const FIRST_PASSAGE = "first met the criterion";
const END_OF_RUN = "end of the run (T)";

export interface TrajectoriesOptions {
  title: string;
  subtitle?: string | string[];
  batch: number;
  /** draw the criterion beta = -c|gamma| as a dashed line (the ratio:c criterion) */
  ratioCriterion?: number;
}

/**
 * Sample paths in the (gamma, beta) plane. Shaded: the dead cone beta <= -sqrt(B-1)|gamma|, where
 * every pre-activation of the batch is negative and the ReLU unit can never recover.
 */
export function trajectoriesSpec(paths: readonly PathSeries[], options: TrajectoriesOptions): TopLevelSpec {
  const rows = paths.flatMap((p) =>
    p.step.map((s, i) => ({ id: p.id, step: s, gamma: p.gamma[i], beta: p.beta[i], outcome: p.collapsedAt > 0 ? "collapsed by T" : "not collapsed by T" })),
  );
  const gs = rows.map((r) => r.gamma), bs = rows.map((r) => r.beta);
  const gMax = Math.max(...gs, 0) * 1.05 || 1, gMin = Math.min(...gs, 0);
  const gLo = gMin < 0 ? gMin * 1.05 : 0;
  const bMin = Math.min(...bs) - 0.05 * (Math.max(...bs) - Math.min(...bs) || 1), bMax = Math.max(...bs, 0) + 0.3;
  const k = Math.sqrt(options.batch - 1);
  const grid = Array.from({ length: 101 }, (_, i) => gLo + ((gMax - gLo) * i) / 100);
  const cone = grid.map((g) => ({ gamma: g, edge: Math.max(-k * Math.abs(g), bMin), floor: bMin }));
  const x = { field: "gamma", type: "quantitative", title: SYMBOL.gammaPath, scale: { domain: [gLo, gMax], nice: false } } as const;
  const y = { type: "quantitative", title: SYMBOL.beta, scale: { domain: [bMin, bMax], nice: false } } as const;
  const layers: unknown[] = [
    { data: { values: cone }, mark: { type: "area", color: "#999999", opacity: 0.25 }, encoding: { x, y: { ...y, field: "edge" }, y2: { field: "floor" } } },
    {
      data: { values: [{ gamma: gMax - 0.02 * (gMax - gLo), beta: bMin + 0.03 * (bMax - bMin), text: `shaded: dead cone β ≤ −√(B−1)|γ|, B = ${options.batch}` }] },
      mark: { type: "text", align: "right", baseline: "bottom", fontSize: 10, color: "#333333" },
      encoding: { x: { field: "gamma", type: "quantitative" }, y: { field: "beta", type: "quantitative" }, text: { field: "text" } },
    },
  ];
  if (options.ratioCriterion !== undefined) {
    const c = options.ratioCriterion;
    const line = grid.map((g) => ({ gamma: g, beta: -c * Math.abs(g) })).filter((r) => r.beta >= bMin);
    layers.push({
      data: { values: line.map((r) => ({ ...r, what: `criterion β = −${c}|γ|` })) },
      mark: { type: "line", color: REFERENCE_COLOR, strokeDash: [5, 4], strokeWidth: 1.2 },
      encoding: { x, y: { ...y, field: "beta" }, strokeDash: { field: "what", type: "nominal", title: null, scale: { range: [[5, 4]] }, legend: { orient: "right" } } },
    });
  }
  layers.push(
    {
      data: { values: rows },
      mark: { type: "line", strokeWidth: 1, opacity: 0.85 },
      encoding: {
        x,
        y: { ...y, field: "beta" },
        detail: { field: "id", type: "nominal" },
        order: { field: "step", type: "quantitative" },
        color: { field: "outcome", type: "nominal", title: null, sort: ["collapsed by T", "not collapsed by T"], scale: { range: [OKABE_ITO[3], OKABE_ITO[0]] }, legend: { orient: "right" } },
      },
    },
    {
      data: { values: rows.filter((r) => r.step === 0).slice(0, 1) },
      mark: { type: "point", shape: "circle", filled: true, color: "#000000", size: 40 },
      encoding: { x, y: { ...y, field: "beta" } },
    },
  );
  // where each collapsed path first met the criterion (the first recorded point at or after it), and
  // where every path ended: the paths run on to T after collapse, so their ends are not where they died
  const marks = [
    ...paths.flatMap((p) => {
      if (!(p.collapsedAt > 0)) return [];
      const k = p.step.findIndex((s) => s >= p.collapsedAt);
      return k < 0 ? [] : [{ gamma: p.gamma[k], beta: p.beta[k], marker: FIRST_PASSAGE }];
    }),
    ...paths.map((p) => ({ gamma: p.gamma[p.gamma.length - 1], beta: p.beta[p.beta.length - 1], marker: END_OF_RUN })),
  ].filter((m) => Number.isFinite(m.gamma) && Number.isFinite(m.beta));
  const kinds = [FIRST_PASSAGE, END_OF_RUN].filter((w) => marks.some((m) => m.marker === w));
  layers.push({
    data: { values: marks },
    mark: { type: "point", filled: false, strokeWidth: 1.3, size: 40, color: "#000000" },
    encoding: {
      x,
      y: { ...y, field: "beta" },
      // its own field: a legend of the same field as the criterion's would be merged with it, and drop it
      shape: { field: "marker", type: "nominal", title: null, sort: kinds, scale: { domain: kinds, range: kinds.map((k) => (k === FIRST_PASSAGE ? "cross" : "square")) }, legend: { orient: "right" } },
    },
  });
  return { ...frame(options.title, options.subtitle), layer: layers } as unknown as TopLevelSpec;
}
