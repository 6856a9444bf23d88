import type { TopLevelSpec } from "vega-lite";
import { frame, OKABE_ITO, REFERENCE_COLOR, WIDTH } from "./theme.ts";

/** The channels of one BN layer: its name and r = (beta + shift)/|gamma| of every channel. */
export interface LayerRatios {
  layer: string;
  r: readonly number[];
}

export interface RatioDistributionOptions {
  title: string;
  subtitle?: string;
  /** the dead cone's edge, -sqrt(B - 1) */
  cone: number;
  batch: number;
}

/**
 * The distribution of r per BN layer: a row per layer, a dot per channel (jittered within the row),
 * the dead region r <= -sqrt(B - 1) shaded and its edge drawn. Values beyond the axis (including
 * r = -inf at gamma = 0) sit on its ends as open triangles and are counted in the subtitle.
 */
export function ratioDistributionSpec(layers: readonly LayerRatios[], options: RatioDistributionOptions): TopLevelSpec {
  const finite = layers.flatMap((l) => l.r.filter(Number.isFinite));
  const span = Math.abs(options.cone);
  const lo = Math.min(options.cone - 1, Math.max(Math.min(...finite, options.cone), options.cone - 2 * span));
  const hi = Math.max(1, Math.min(Math.max(...finite, 1), 2 * span));
  const order = layers.map((l) => l.layer);
  let beyond = 0;
  const rows = layers.flatMap((l) =>
    l.r.flatMap((r, channel) => {
      if (Number.isNaN(r)) return [];
      const out = r < lo || r > hi;
      if (out) beyond++;
      return [{
        layer: l.layer,
        channel,
        r,
        shown: Math.min(hi, Math.max(lo, r)),
        state: r <= options.cone ? "in the dead cone" : "outside",
        beyond: out,
        // a low-discrepancy jitter: the same figure from the same file
        jitter: ((channel * 0.6180339887498949) % 1) - 0.5,
      }];
    }),
  );
  const x = { field: "shown", type: "quantitative", scale: { domain: [lo, hi], nice: false, zero: false }, title: "r = β/|γ| per channel" } as const;
  const y = { field: "layer", type: "nominal", sort: order, title: null, axis: { labelLimit: 200 } } as const;
  const yOffset = { field: "jitter", type: "quantitative", scale: { domain: [-0.9, 0.9] }, legend: null } as const;
  const color = {
    field: "state",
    type: "nominal",
    scale: { domain: ["outside", "in the dead cone"], range: [OKABE_ITO[0], OKABE_ITO[3]] },
    title: null,
    legend: { orient: "bottom" },
  } as const;
  const rowHeight = 26;
  const edge = `dead cone edge −√(B−1) = ${options.cone.toFixed(2)} (B = ${options.batch})`;
  const note = beyond ? `${beyond} channels beyond the axis, drawn at its ends (▽)` : undefined;
  return {
    ...frame(options.title, [options.subtitle, note].filter(Boolean).join("; ") || undefined),
    width: WIDTH,
    height: Math.max(120, rowHeight * layers.length),
    layer: [
      {
        data: { values: [{ lo, edge: options.cone }] },
        mark: { type: "rect", color: "#f3d9cc", opacity: 0.6 },
        encoding: { x: { field: "lo", type: "quantitative" }, x2: { field: "edge" } },
      },
      {
        data: { values: rows },
        transform: [{ filter: "!datum.beyond" }],
        mark: { type: "circle", size: 14, opacity: 0.55 },
        encoding: { x, y, yOffset, color, tooltip: [{ field: "layer" }, { field: "channel" }, { field: "r", format: ".4g" }] },
      },
      {
        data: { values: rows },
        transform: [{ filter: "datum.beyond" }],
        mark: { type: "point", shape: "triangle-down", filled: false, size: 30, strokeWidth: 1.2 },
        encoding: { x, y, yOffset, color, tooltip: [{ field: "layer" }, { field: "channel" }, { field: "r", format: ".4g" }] },
      },
      {
        data: { values: [{ edge: options.cone, label: edge }] },
        mark: { type: "rule", color: REFERENCE_COLOR, strokeDash: [5, 3], strokeWidth: 1.3 },
        encoding: { x: { field: "edge", type: "quantitative" } },
      },
      {
        data: { values: [{ edge: options.cone, label: edge }] },
        mark: { type: "text", align: "left", baseline: "bottom", dx: 4, dy: -2, color: REFERENCE_COLOR, fontSize: 10 },
        encoding: { x: { field: "edge", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
      },
    ],
    resolve: { scale: { color: "shared" } },
  } as unknown as TopLevelSpec;
}
