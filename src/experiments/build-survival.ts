import type { SweepResult } from "../solution/result.ts";
import { estimated, survivalCurve } from "../plot/from-sweep.ts";
import { survivalSpec } from "../plot/survival.ts";
import type { Built } from "./built.ts";
import { fmt, runSubtitle } from "./caption.ts";
import type { Experiment } from "./types.ts";

/* The survival figure: Kaplan-Meier curves of the first-passage time at one γ₀. */

export function buildSurvival(exp: Experiment, result: SweepResult): Built {
  const gamma = exp.options?.gamma ?? result.config.gamma[0];
  let cells = estimated(result.cells).filter((c) => c.gamma === gamma && c.collapsed > 0);
  const max = exp.options?.maxCurves ?? 5;
  if (cells.length > max) cells = cells.filter((_, i) => i % Math.ceil(cells.length / max) === 0 || i === cells.length - 1).slice(-max);
  const curves = cells.map((c) => survivalCurve(c, `η = ${c.lr}`, result.config.steps));
  const spec = survivalSpec(curves, { title: exp.title, subtitle: [`γ₀ = ${gamma} · ${runSubtitle([result.config])}`, "bands: pointwise 95% (log-log Greenwood)"], legendTitle: null });
  const rows = curves.flatMap((c) => c.t.map((t, i) => ({ curve: c.label, t, survival: c.survival[i], lo: c.lo[i], hi: c.hi[i] })));
  const said = `At γ₀ = ${gamma}: ${cells.map((c) => `η = ${c.lr}: S(T) = ${fmt(1 - c.p)}, median first passage ${c.firstPassage.median ?? "not reached (S(T) > 1/2)"}`).join("; ")}.`;
  return {
    figure: { name: exp.id, spec, rows },
    plotted: `The Kaplan-Meier fraction of runs not yet collapsed against the update t, at γ₀ = ${gamma}, one step curve per η with its pointwise 95% band.`,
    headline: [said],
    settings: [{ name: "grid", config: result.config }],
    simulated: [],
    measured: [
      `At γ₀ = ${gamma}: ${cells.map((c) => `η = ${c.lr}: S(T) = ${fmt(1 - c.p)}, median first passage ${c.firstPassage.median ?? "not reached (S(T) > 1/2)"}`).join("; ")}.`,
    ],
  };
}
