import type { Built } from "./built.ts";
import { buildExponents, buildHeatmap, buildProbabilityVsLr } from "./build-probability.ts";
import { buildComparison } from "./build-comparison.ts";
import { buildDrift } from "./build-drift.ts";
import { buildSurvival } from "./build-survival.ts";
import { buildProbabilityVsTau } from "./build-tau.ts";
import { buildTrajectories } from "./build-trajectories.ts";
import { buildLayerVsUnit } from "./build-layer.ts";
import { buildRecovery } from "./build-recovery.ts";
import type { Derived } from "./derive.ts";
import type { Measured, ResultsOf } from "./measure.ts";
import type { Experiment, ExperimentOf, FigureKind, MeasurementsOf, Mode } from "./types.ts";

type Context = { mode: Mode; derived: Derived };
type BuilderOf<K extends FigureKind> = (exp: ExperimentOf<K>, measured: ResultsOf<MeasurementsOf[K]>, ctx: Context) => Built;

/** The scaling analysis derive.ts computes for the kinds that draw it. */
const fitOf = (exp: Experiment, d: Derived) => {
  if (!d.fit) throw new Error(`${exp.id}: needs the scaling analysis of its sweep`);
  return d.fit;
};

/**
 * Each kind of figure and how it is drawn from its measurements, typed by MeasurementsOf: a kind
 * without a builder, or a builder that reads a measurement its kind does not declare, does not compile.
 */
export const FIGURE_BUILDERS: { [K in FigureKind]: BuilderOf<K> } = {
  "probability-vs-lr": (exp, [m], { derived }) => buildProbabilityVsLr(exp, m.result, fitOf(exp, derived)),
  heatmap: (exp, [m], { derived }) => buildHeatmap(exp, m.result, fitOf(exp, derived)),
  exponents: (exp, [m], { derived }) => buildExponents(exp, m.result, fitOf(exp, derived)),
  "probability-vs-tau": (exp, ms, { derived }) => buildProbabilityVsTau(exp, ms.map((m) => ({ label: m.label, result: m.result })), derived.predicted),
  survival: (exp, [m]) => buildSurvival(exp, m.result),
  comparison: (exp, ms) => buildComparison(exp, ms.map((m) => ({ label: m.label, result: m.result }))),
  drift: (exp, [m], { mode }) => {
    const decl = exp.measurements[0];
    return buildDrift(exp, m.spec, m.template, m.points, mode === "quick" ? (decl.quick.trials ?? decl.trials) : decl.trials);
  },
  trajectories: (exp, [m]) => buildTrajectories(exp, m.spec, m.template, m.paths),
  "layer-vs-unit": (exp, [m]) => buildLayerVsUnit(exp, m.settings, m.rows),
  recovery: (exp, ms) => buildRecovery(exp, ms),
  // drawn with its measurement (build-psbn.ts); a cache written before captions had three parts lacks two of them
  "psbn-recovery": (_exp, [m]) => ({ ...m.built, plotted: m.built.plotted ?? "", headline: m.built.headline ?? m.built.measured, simulated: m.built.simulated ?? [] }),
};

/**
 * Draws an experiment's figure from its measurements (in the order the experiment lists them, as
 * `reproduce` measures them) and what was derived from them. The one unchecked step: that
 * `measured[i]` is the result of `exp.measurements[i]`, which is how they are made.
 */
export function buildFigure(exp: Experiment, measured: readonly Measured[], mode: Mode, derived: Derived = {}): Built {
  measured.forEach((m, i) => {
    if (m.kind !== exp.measurements[i]?.kind) throw new Error(`${exp.id}: measurement ${i + 1} is a ${m.kind}, declared a ${exp.measurements[i]?.kind}`);
  });
  const build = FIGURE_BUILDERS[exp.figure] as BuilderOf<FigureKind>;
  return build(exp as never, measured as never, { mode, derived });
}
