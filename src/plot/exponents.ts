import type { TopLevelSpec } from "vega-lite";
import type { ExponentEstimate } from "./data.ts";
import { CONFIG, frame, nothingToShow, OKABE_ITO, REFERENCE_COLOR, WIDTH } from "./theme.ts";

/** The paper's exponents: P ∝ lr^2 / gamma^2. */
export const PAPER_EXPONENT = { lr: 2, gamma: -2 } as const;

const PARAM_TITLE = { lr: "exponent of η (paper: +2)", gamma: "exponent of γ₀ (paper: −2)" } as const;

/**
 * Fitted exponents with their intervals, one panel per parameter, one row per place the fit was made,
 * a colour per estimator; the paper's value as a dashed vertical line.
 */
export function exponentsSpec(estimates: readonly ExponentEstimate[], options: { title: string; subtitle?: string; emptyNote?: string }): TopLevelSpec {
  const { width: _w, height: _h, ...top } = frame(options.title, options.subtitle);
  const estimators = [...new Set(estimates.map((e) => e.estimator))];
  const color = { field: "estimator", type: "nominal", title: "estimator", sort: estimators, scale: { domain: estimators, range: [...OKABE_ITO] }, legend: { orient: "bottom", direction: "vertical", labelLimit: 600 } } as const;
  const panel = (param: "lr" | "gamma") => {
    const rows = estimates.filter((e) => e.param === param);
    const places = [...new Set(rows.map((e) => e.at))];
    const values = [PAPER_EXPONENT[param], ...rows.flatMap((e) => [e.lo, e.hi])].filter(Number.isFinite);
    const span = Math.max(...values) - Math.min(...values) || 1;
    const x = { type: "quantitative", title: PARAM_TITLE[param], scale: { domain: [Math.min(...values) - 0.08 * span, Math.max(...values) + 0.08 * span], nice: false, zero: false } } as const;
    const y = { field: "at", type: "nominal", title: null, sort: places } as const;
    const yOffset = { field: "estimator", type: "nominal", sort: estimators } as const;
    return {
      width: Math.round(WIDTH * 0.62),
      height: { step: 14 * Math.max(1, estimators.length) + 8 },
      layer: [
        { data: { values: [{ paper: PAPER_EXPONENT[param] }] }, mark: { type: "rule", strokeDash: [5, 4], color: REFERENCE_COLOR }, encoding: { x: { ...x, field: "paper" } } },
        { data: { values: rows }, mark: { type: "rule", strokeWidth: 1.6 }, encoding: { y, yOffset, x: { ...x, field: "lo" }, x2: { field: "hi" }, color } },
        { data: { values: rows }, mark: { type: "point", filled: true }, encoding: { y, yOffset, x: { ...x, field: "value" }, color, tooltip: [{ field: "estimator" }, { field: "at" }, { field: "value" }, { field: "lo" }, { field: "hi" }] } },
      ],
    };
  };
  const params = (["lr", "gamma"] as const).filter((p) => estimates.some((e) => e.param === p));
  if (params.length === 0) return nothingToShow(options.title, options.emptyNote ?? "no exponent could be fitted");
  return { ...top, config: { ...CONFIG, concat: { spacing: 30 } }, hconcat: params.map(panel) } as unknown as TopLevelSpec;
}
