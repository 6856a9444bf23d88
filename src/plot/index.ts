/** Spec builders: typed data in, a vega-lite spec (data inline) out. One look: theme.ts. */
export * from "./data.ts";
export { probabilityVsLrSpec, probabilityLinesSpec, type ProbabilityVsLrOptions, type SlopeGuide } from "./probability-vs-lr.ts";
export { probabilityVsTauSpec, type TauPoint, type ProbabilityVsTauOptions } from "./probability-vs-tau.ts";
export { exponentsSpec, PAPER_EXPONENT } from "./exponents.ts";
export { survivalSpec } from "./survival.ts";
export { heatmapSpec, logEdges } from "./heatmap.ts";
export { driftSpec } from "./drift.ts";
export { trajectoriesSpec, type TrajectoriesOptions } from "./trajectories.ts";
export { comparisonSpec } from "./comparison.ts";
export { probabilityPoints, variantPoints, survivalCurve, tauOf } from "./from-sweep.ts";
export { OKABE_ITO, FONT, WIDTH, HEIGHT, SYMBOL } from "./theme.ts";
