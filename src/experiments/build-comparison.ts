import type { SweepResult } from "../solution/result.ts";
import type { VariantPoint } from "../plot/data.ts";
import { comparisonSpec } from "../plot/comparison.ts";
import { variantPoints } from "../plot/from-sweep.ts";
import type { Built } from "./built.ts";
import { fmt, runSubtitle } from "./caption.ts";
import { crossing } from "./crossing.ts";
import type { Experiment } from "./types.ts";

/* Comparison figures (optimisers, batch sizes, weight decay, regimes, remedies): P against η per variant. */

export function buildComparison(exp: Experiment, sweeps: { label: string; result: SweepResult }[]): Built {
  const split = exp.options?.splitBy;
  const legend = exp.options?.legendTitle ?? "";
  const points: VariantPoint[] = sweeps.flatMap(({ label, result }) =>
    split ? result.cells.flatMap((c) => variantPoints({ ...result, cells: [c] }, `${legend} = ${c[split]}`)) : variantPoints(result, label),
  );
  const spec = comparisonSpec(points, { title: exp.title, subtitle: runSubtitle(sweeps.map((s) => s.result.config)), legendTitle: null, yTitle: exp.options?.yTitle });
  const variants = [...new Set(points.map((p) => p.variant))];
  const at = variants.map((v) => {
    const c = crossing(points.filter((p) => p.variant === v).map((p) => ({ x: p.lr, p: p.p })), 0.1);
    return `${v}: ${c === null ? (points.some((p) => p.variant === v && p.p >= 0.1) ? "above 0.1 at every η" : "not reached") : fmt(c)}`;
  });
  const said = `η at which P first reaches 0.1 (log-interpolated between cells): ${at.join("; ")}.`;
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: `The fraction of runs that ${exp.options?.yTitle ? "reached the criterion" : "collapsed"} by T against the learning rate η, on log-log axes, one line per ${exp.options?.legendTitle ?? "variant"} with its Wilson 95% band.`,
    headline: [said],
    settings: split
      ? sweeps.flatMap(({ result }) => result.config[split].map((v) => ({ name: `${legend} = ${v}`, config: { ...result.config, [split]: [v] } })))
      : sweeps.map(({ label, result }) => ({ name: label, config: result.config })),
    simulated: [],
    measured: [said],
  };
}
