import type { SweepResult } from "../solution/result.ts";
import { probabilityPoints, tauOf } from "../plot/from-sweep.ts";
import { probabilityVsTauSpec, type TauPoint } from "../plot/probability-vs-tau.ts";
import type { Built } from "./built.ts";
import { fmt, noiseSigma, runSubtitle } from "./caption.ts";
import { crossing } from "./crossing.ts";
import type { Derived } from "./derive.ts";
import { predictionSentences } from "./prediction.ts";
import { tauSeries } from "./tau-series.ts";
import type { Experiment } from "./types.ts";

/* The data-collapse figure (probability-vs-tau): each sweep, and each γ₀ of a multi-γ₀ sweep, one series at its τ. */

/** A tau series' name from what it ran (a measurement's label may name the full set's T in quick mode). */
function seriesName(result: SweepResult): string {
  const c = result.config;
  return [`B = ${c.batch.join(", ")}`, `T = ${c.steps}`, ...(c.gamma.length > 1 ? [] : [`γ₀ = ${c.gamma[0]}`])].join(", ");
}

/** Data collapse: each sweep (and each gamma of a multi-gamma sweep) is one series, with the theory's line for it. */
export function buildProbabilityVsTau(exp: Experiment, sweeps: { label: string; result: SweepResult }[], predicted?: Derived["predicted"]): Built {
  const points: TauPoint[] = sweeps.flatMap(({ result }) => {
    const sigma = noiseSigma(result.template);
    return probabilityPoints(result).map((p) => ({
      series: tauSeries(result, p),
      tau: tauOf(p.lr, p.gamma, p.batch, p.steps, sigma),
      lr: p.lr, gamma: p.gamma, batch: p.batch, steps: p.steps, p: p.p, lo: p.lo, hi: p.hi,
    }));
  });
  const curves = predicted?.curves ?? [];
  const finite = curves.filter((c) => c.method === "finite-step"), diffusion = curves.filter((c) => c.method === "diffusion");
  const spec = probabilityVsTauSpec(points, {
    title: exp.title,
    subtitle: [runSubtitle(sweeps.map((s) => s.result.config)), ...(finite.length ? ["lines: finite-step predictor, in each series' colour"] : [])],
    seriesPredicted: finite.flatMap((c) => c.points),
    predicted: diffusion.flatMap((c) => c.points),
  });
  const series = [...new Set(points.map((p) => p.series))];
  const crossAt = series.map((s) => crossing(points.filter((p) => p.series === s).map((p) => ({ x: p.tau, p: p.p })), 0.1));
  const crossings = series.map((s, i) => `${s}: ${crossAt[i] === null ? "not reached" : fmt(crossAt[i]!)}`);
  const reached = crossAt.filter((c): c is number => c !== null);
  const spread = reached.length > 1 ? ` The series that reach it do so over a factor ${fmt(Math.max(...reached) / Math.min(...reached))} in τ.` : "";
  const at = new Map((predicted?.cells ?? []).map((c) => [`${c.series};${c.lr};${c.gamma}`, c.predicted]));
  const rows = [
    ...points.map((p) => ({ ...p, predicted: at.get(`${p.series};${p.lr};${p.gamma}`) ?? null })),
    ...curves.flatMap((c) => c.points.map((q) => ({ series: `${c.method === "finite-step" ? "finite-step predictor" : c.label}: ${c.series ?? ""}`, tau: q.tau, p: q.p }))),
  ];
  return {
    figure: { name: exp.id, spec, rows },
    plotted: "The fraction of runs dead by T against τ = η²σ²T/(Bγ₀²), one colour per series (B, T, γ₀), with 95% bars and each series' finite-step prediction as a line.",
    headline: [`τ at which P first reaches 0.1, per series: ${crossings.join("; ")}; under a data collapse these would agree.${spread}`],
    settings: sweeps.map(({ result }) => ({ name: seriesName(result), config: result.config })),
    simulated: [],
    measured: [
      `τ at which P first reaches 0.1 (log-interpolated between cells), per series: ${crossings.join("; ")}. Under a data collapse these would agree.${spread}`,
      ...(predicted ? predictionSentences(predicted) : []),
    ],
  };
}
