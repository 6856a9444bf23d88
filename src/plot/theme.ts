/**
 * One look for every figure: size, font, palette, symbols. The font is DejaVu Sans because the PNG
 * rasteriser loads exactly that file from the `dejavu-fonts-ttf` package (it has the Greek letters),
 * so the SVG and the PNG use the same face on any machine.
 */
import type { Config, TopLevelSpec } from "vega-lite";

export const FONT = "DejaVu Sans";
export const WIDTH = 360;
export const HEIGHT = 260;

/**
 * Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
 * deficiencies. Yellow last (it is faint on white), black before it. Heat maps use viridis.
 */
export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"] as const;
export const SEQUENTIAL_SCHEME = "viridis";
export const REFERENCE_COLOR = "#555555";

/** Axis titles, with units where there are any (the model is dimensionless; time is in updates). */
export const SYMBOL = {
  lr: "learning rate η",
  gamma: "BN scale γ₀",
  beta: "BN shift β",
  gammaPath: "BN scale γ",
  tau: "τ = η²σ²T / (B γ₀²)",
  p: "P(collapse by T)",
  survival: "fraction not yet collapsed S(t)",
  step: "update t (steps)",
  batch: "batch size B",
  exponent: "fitted exponent",
  drift: "E[Δs] per step, s = 1 − Φ(β/|γ|)",
} as const;

export const CONFIG: Config = {
  font: FONT,
  padding: 10,
  view: { stroke: "#888888" },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", grid: true, gridColor: "#e6e6e6", tickColor: "#888888", domainColor: "#888888" },
  // no limits: a legend is as wide as its longest label (the canvas grows to fit), never cut with "…"
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", labelLimit: 2000, titleLimit: 2000 },
  title: { fontSize: 13, fontWeight: "normal", anchor: "start", limit: 2000, subtitleFontSize: 11, subtitleColor: "#333333" },
  header: { labelFontSize: 11, titleFontSize: 12 },
  range: { category: [...OKABE_ITO] },
  line: { strokeWidth: 1.8 },
  point: { size: 36, filled: true },
};

/*
 * Builders assemble specs as plain objects and cast them to TopLevelSpec: vega-lite's types are too
 * deep a union to check literal layers against usefully, and the tests compile every spec with
 * vega-lite itself and fail on any warning, which checks more than the types could.
 */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** The frame shared by every figure: schema, size, background, config, title. */
export function frame(title: string, subtitle?: string | string[]): Pick<TopLevelSpec, "$schema" | "background" | "config" | "title"> & {
  width: number;
  height: number;
} {
  return {
    $schema: SCHEMA,
    title: subtitle ? { text: title, subtitle } : title,
    width: WIDTH,
    height: HEIGHT,
    background: "white",
    config: CONFIG,
  };
}

/** A figure with nothing to plot: the frame with one line saying why, so the set stays complete. */
export function nothingToShow(title: string, note: string): TopLevelSpec {
  return {
    ...frame(title),
    height: 60,
    data: { values: [{ note }] },
    mark: { type: "text", fontSize: 12, color: "#333333" },
    encoding: { text: { field: "note" } },
  } as unknown as TopLevelSpec;
}
