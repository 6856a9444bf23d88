import type { TopLevelSpec } from "vega-lite";
import type { ExponentEstimate, ExponentVerdict } from "./data.ts";
import { CONFIG, frame, nothingToShow, OKABE_ITO, WIDTH } from "./theme.ts";

/** The paper's exponents for a probability or a drift: P ∝ lr^2 / gamma^2 (a time has the opposite signs). */
export const PAPER_EXPONENT = { lr: 2, gamma: -2 } as const;

const PARAM_TITLE = { lr: "exponent of η", gamma: "exponent of γ₀" } as const;

/** Verdict colours: agreement blue, disagreement vermillion, "cannot tell" grey, no power law orange, no verdict light grey. */
const VERDICTS: ExponentVerdict[] = ["holds", "inconclusive", "does not hold", "not a power law", "no verdict"];
const VERDICT_COLORS = [OKABE_ITO[0], "#999999", OKABE_ITO[3], OKABE_ITO[1], "#c8c8c8"];

/** Intervals wider than this are clipped at the panel's edge (the figure's subtitle should say so). */
export const EXPONENT_AXIS_LIMIT = 8;

/**
 * One row per estimator, one panel per parameter (η, γ₀): the fitted exponent with its 95% interval,
 * coloured by the verdict, and the law's exponent for that estimator as an open diamond (it differs
 * between estimators: a time scales as γ₀²/η²). Where the power law is rejected no exponent is drawn:
 * a dashed bar spans the local exponents between neighbouring cells instead. A row with nothing
 * fitted says "no fit" under its line.
 */
export function exponentsSpec(estimates: readonly ExponentEstimate[], options: { title: string; subtitle?: string | string[]; emptyNote?: string }): TopLevelSpec {
  if (estimates.length === 0) return nothingToShow(options.title, options.emptyNote ?? "no exponent could be fitted");
  const { width: _w, height: _h, ...top } = frame(options.title, options.subtitle);
  const estimators = [...new Set(estimates.map((e) => e.estimator))];
  const params = (["lr", "gamma"] as const).filter((p) => estimates.some((e) => e.param === p));
  // only the verdicts that occur: a legend entry with nothing drawn would send the reader looking for it
  const present = VERDICTS.filter((v) => estimates.some((e) => e.verdict === v && (e.value !== null || e.localLo != null)));
  const color = { field: "verdict", type: "nominal", title: "verdict (95%)", scale: { domain: present, range: present.map((v) => VERDICT_COLORS[VERDICTS.indexOf(v)]) }, legend: { orient: "bottom", direction: "horizontal" } } as const;
  const shape = { field: "what", type: "nominal", title: null, scale: { domain: ["the law's exponent"], range: ["diamond"] }, legend: { orient: "bottom" } } as const;
  const panel = (param: "lr" | "gamma", first: boolean) => {
    const spans = estimates
      .filter((e) => e.param === param && e.verdict === "not a power law" && e.localLo != null && e.localHi != null)
      .map((e) => ({ ...e, what: "the law's exponent" }));
    const rows = estimates
      .filter((e) => e.param === param)
      .map((e) => ({ ...e, what: "the law's exponent", note: e.value === null && !spans.some((s) => s.estimator === e.estimator) ? "no fit" : null }));
    const fitted = rows.filter((e) => e.value !== null && e.lo !== null && e.hi !== null && e.verdict !== "not a power law");
    const values = [0, ...rows.map((e) => e.expected), ...fitted.flatMap((e) => [e.lo!, e.hi!]), ...spans.flatMap((e) => [e.localLo!, e.localHi!])].map((v) =>
      Math.max(-EXPONENT_AXIS_LIMIT, Math.min(EXPONENT_AXIS_LIMIT, v)),
    );
    const lo = Math.min(...values), hi = Math.max(...values);
    const pad = 0.08 * (hi - lo || 1);
    const domain = [lo - pad, hi + pad];
    const x = { type: "quantitative", title: PARAM_TITLE[param], scale: { domain, nice: false, zero: false } } as const;
    const y = { field: "estimator", type: "nominal", sort: estimators, title: null, axis: first ? { labelLimit: 220 } : { labels: false, ticks: false } } as const;
    return {
      width: Math.round(WIDTH * 0.5),
      height: { step: 30 },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#bbbbbb" }, encoding: { x: { ...x, field: "zero" } } },
        // the law first, so an estimate on it is drawn over it, not hidden under it
        { data: { values: rows }, mark: { type: "point", filled: false, color: "#000000", size: 90, strokeWidth: 1.4 }, encoding: { y, x: { ...x, field: "expected" }, shape } },
        { data: { values: fitted }, mark: { type: "rule", strokeWidth: 2, clip: true }, encoding: { y, x: { ...x, field: "lo" }, x2: { field: "hi" }, color } },
        {
          data: { values: spans },
          mark: { type: "rule", strokeWidth: 2.5, strokeDash: [5, 3], clip: true },
          encoding: { y, x: { ...x, field: "localLo" }, x2: { field: "localHi" }, color, tooltip: [{ field: "estimator" }, { field: "localLo" }, { field: "localHi" }, { field: "verdict" }] },
        },
        {
          data: { values: fitted },
          mark: { type: "point", filled: true, size: 50, clip: true },
          encoding: { y, x: { ...x, field: "value" }, color, tooltip: [{ field: "estimator" }, { field: "value" }, { field: "lo" }, { field: "hi" }, { field: "verdict" }] },
        },
        {
          data: { values: rows.filter((e) => e.note !== null).map((e) => ({ ...e, at: domain[0] })) },
          // below the row's line, clear of the diamond wherever the law's exponent sits
          mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 7, fontSize: 10, color: "#555555" },
          encoding: { y, x: { field: "at", type: "quantitative" }, text: { field: "note" } },
        },
      ],
    };
  };
  return {
    ...top,
    config: { ...CONFIG, concat: { spacing: 16 } },
    hconcat: params.map((p, i) => panel(p, i === 0)),
    resolve: { scale: { color: "shared", shape: "shared", y: "shared" } },
  } as unknown as TopLevelSpec;
}
