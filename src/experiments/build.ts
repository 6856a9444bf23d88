import type { SweepResult } from "../solution/result.ts";
import type { Built } from "./built.ts";
import { buildExponents, buildHeatmap, buildProbabilityVsLr } from "./build-probability.ts";
import { buildComparison, buildDrift, buildProbabilityVsTau, buildSurvival, buildTrajectories } from "./build-other.ts";
import { buildLayerVsUnit } from "./build-layer.ts";
import { buildRecovery } from "./build-recovery.ts";
import type { Derived } from "./derive.ts";
import type { Measured } from "./measure.ts";
import type { Experiment, Mode } from "./types.ts";

/** Draws an experiment's figure from its measurements (in the order the experiment lists them) and what was derived from them. */
export function buildFigure(exp: Experiment, measured: Measured[], mode: Mode, derived: Derived = {}): Built {
  const sweeps = measured.flatMap((m) => (m.kind === "sweep" ? [{ label: m.label, result: m.result }] : []));
  const first = (): SweepResult => {
    if (!sweeps[0]) throw new Error(`${exp.id}: needs a sweep`);
    return sweeps[0].result;
  };
  const fit = () => {
    if (!derived.fit) throw new Error(`${exp.id}: needs the scaling analysis of its sweep`);
    return derived.fit;
  };
  switch (exp.figure) {
    case "probability-vs-lr":
      return buildProbabilityVsLr(exp, first(), fit());
    case "heatmap":
      return buildHeatmap(exp, first(), fit());
    case "exponents":
      return buildExponents(exp, first(), fit());
    case "probability-vs-tau":
      return buildProbabilityVsTau(exp, sweeps, derived.predicted);
    case "survival":
      return buildSurvival(exp, first());
    case "comparison":
      return buildComparison(exp, sweeps);
    case "drift": {
      const m = measured.find((x) => x.kind === "drift");
      const decl = exp.measurements.find((x) => x.kind === "drift");
      if (!m || m.kind !== "drift" || !decl || decl.kind !== "drift") throw new Error(`${exp.id}: needs a drift measurement`);
      return buildDrift(exp, m.spec, m.template, m.points, mode === "quick" ? (decl.quick.trials ?? decl.trials) : decl.trials);
    }
    case "layer-vs-unit": {
      const m = measured.find((x) => x.kind === "layer");
      if (!m || m.kind !== "layer") throw new Error(`${exp.id}: needs a layer measurement`);
      return buildLayerVsUnit(exp, m.settings, m.rows);
    }
    case "recovery": {
      const runs = measured.flatMap((m) => (m.kind === "paths" ? [m] : []));
      if (!runs.length) throw new Error(`${exp.id}: needs paths measurements`);
      return buildRecovery(exp, runs);
    }
    case "psbn-recovery": {
      const m = measured.find((x) => x.kind === "psbn-recovery");
      if (!m || m.kind !== "psbn-recovery") throw new Error(`${exp.id}: needs a psbn-recovery measurement`);
      return m.built;
    }
    case "trajectories": {
      const m = measured.find((x) => x.kind === "paths");
      if (!m || m.kind !== "paths") throw new Error(`${exp.id}: needs a paths measurement`);
      return buildTrajectories(exp, m.spec, m.template, m.paths);
    }
  }
}
