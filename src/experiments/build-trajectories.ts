import type { TrajectoryPath } from "../engine/simulate.ts";
import { trajectoriesSpec } from "../plot/trajectories.ts";
import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { Built } from "./built.ts";
import { runSubtitle } from "./caption.ts";
import type { Experiment } from "./types.ts";

/* The trajectories figure: sample (γ, β) paths with the dead cone, first passages and ends. */

export function buildTrajectories(exp: Experiment, config: SweepProblem["config"], template: UnitProblem, paths: TrajectoryPath[]): Built {
  const batch = config.batch[0];
  const criterion = template.collapse;
  const series = paths.map((p) => ({ id: p.index, step: p.step, gamma: p.gamma, beta: p.beta, collapsedAt: p.firstPassage }));
  const spec = trajectoriesSpec(series, { title: exp.title, subtitle: [`η = ${config.lr[0]} · γ₀ = ${config.gamma[0]} · ${runSubtitle([{ ...config, trials: paths.length }], { runsWord: "paths, run on to T after collapse" })}`, "dot: start"], batch, ratioCriterion: criterion.kind === "ratio" ? criterion.c : undefined });
  const met = paths.filter((p) => p.firstPassage > 0).length;
  const dead = paths.filter((p) => {
    const g = p.gamma[p.gamma.length - 1], b = p.beta[p.beta.length - 1];
    return b <= -Math.sqrt(batch - 1) * Math.abs(g);
  }).length;
  const rows = series.flatMap((p) => p.step.map((s, i) => ({ id: p.id, step: s, gamma: p.gamma[i], beta: p.beta[i], collapsedAt: p.collapsedAt })));
  return {
    figure: { name: exp.id, spec, rows },
    plotted: `${paths.length} sample paths of (γ, β) over T = ${config.steps} updates, coloured by whether they met the criterion by T, with the dead cone shaded.`,
    headline: [`${met} of ${paths.length} paths met the criterion ${config.collapse} by T; ${dead} ended inside the dead cone.`],
    settings: [{ name: "paths", config: { ...config, trials: paths.length }, trialsWord: "paths (run to T, not stopped at collapse)" }],
    simulated: [],
    measured: [`${met} of ${paths.length} paths met the criterion ${config.collapse} by T; ${dead} ended inside the dead cone.`],
  };
}
