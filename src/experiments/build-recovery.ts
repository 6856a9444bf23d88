import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { TrajectoryPath } from "../engine/simulate.ts";
import { teacherExcessLoss } from "../unit/teacher-loss.ts";
import { fractionOverTimeSpec, type FractionPoint } from "../plot/fraction-over-time.ts";
import { wilsonInterval } from "../stats/binomial.ts";
import type { Built } from "./built.ts";
import { fmt, runSubtitle } from "./caption.ts";
import type { Experiment } from "./types.ts";

type PathsRun = { label: string; spec: SweepProblem["config"]; template: UnitProblem; paths: TrajectoryPath[] };

/** The region counted: r <= -c for a criterion ratio:c (docs/psbn.md's table), else the dead cone r <= -sqrt(B-1). */
function edgeOf(run: PathsRun): { edge: number; name: string } {
  const c = run.template.collapse;
  const B = run.template.batch;
  return c.kind === "ratio" ? { edge: -c.c, name: `r = β/|γ| ≤ −${c.c} (the criterion ${run.spec.collapse})` } : { edge: -Math.sqrt(B - 1), name: `the dead cone β/|γ| ≤ −√(B−1) = ${fmt(-Math.sqrt(B - 1))}` };
}
const inside = (gamma: number, beta: number, edge: number) => Number.isFinite(gamma) && Number.isFinite(beta) && beta <= edge * Math.abs(gamma);

/**
 * Recovery over time (docs/psbn.md): for each norm's paths (same seed and stream key, so the same
 * random numbers), the fraction of units inside the collapsed region (edgeOf) at each
 * recorded update, with Wilson 95% intervals; the caption adds the teacher excess loss reached at T.
 */
export function buildRecovery(exp: Experiment, runs: readonly PathsRun[]): Built {
  const points: FractionPoint[] = runs.flatMap((run) => {
    const { label, paths } = run;
    const { edge } = edgeOf(run);
    return paths[0].step.map((step, k) => {
      const dead = paths.filter((p) => inside(p.gamma[k], p.beta[k], edge)).length;
      const [lo, hi] = wilsonInterval(dead, paths.length);
      return { series: label, step, fraction: dead / paths.length, lo, hi };
    });
  });
  const region = edgeOf(runs[0]).name;
  const spec = fractionOverTimeSpec(points, {
    title: exp.title,
    subtitle: [`fine-tuning phase · ${runSubtitle([{ ...runs[0].spec, trials: runs[0].paths.length }], { criterion: false, runsWord: "paths per norm" })}`, `region: ${region} · bands: Wilson 95%`],
    yTitle: "fraction of units in the collapsed region",
  });
  const summary = runs.map(({ label, template, paths }) => {
    const mine = points.filter((p) => p.series === label);
    const peak = mine.reduce((a, p) => (p.fraction > a.fraction ? p : a), mine[0]);
    const end = mine[mine.length - 1];
    const loss = template.loss;
    let lossText = "";
    if (loss.kind === "teacher") {
      const v = paths.map((p) => teacherExcessLoss(p.gamma[p.gamma.length - 1], p.beta[p.beta.length - 1], loss.gamma, loss.beta, loss.readout));
      const m = v.reduce((a, x) => a + x, 0) / v.length;
      const se = Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1) / v.length);
      lossText = `, teacher excess loss at T ${fmt(m)} ± ${fmt(se)}`;
    }
    return `${label}: peak ${fmt(peak.fraction)} at update ${peak.step}, ${fmt(end.fraction)} [${fmt(end.lo)}, ${fmt(end.hi)}] at T = ${end.step}${lossText}`;
  });
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: `The fraction of units inside ${region} at each recorded update of the fine-tuning phase, one line per normalisation with its Wilson 95% band (the same random numbers for each).`,
    headline: [`Fraction of units in the region: ${summary.join("; ")}.`],
    settings: runs.map(({ label, spec, paths }) => ({ name: label, config: { ...spec, trials: paths.length }, trialsWord: "paths (run to T, not stopped at collapse)" })),
    simulated: [],
    measured: [`Fraction of units in ${region} (Wilson 95%): ${summary.join("; ")}.`],
  };
}
