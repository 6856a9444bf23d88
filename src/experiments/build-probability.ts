import type { SweepResult } from "../ensemble/sweep.ts";
import type { ExponentEstimate, ProbabilityPoint } from "../plot/data.ts";
import { exponentsSpec } from "../plot/exponents.ts";
import { probabilityPoints } from "../plot/from-sweep.ts";
import { heatmapSpec } from "../plot/heatmap.ts";
import { probabilityVsLrSpec } from "../plot/probability-vs-lr.ts";
import type { Built } from "./built.ts";
import { describeConfig, fmt } from "./caption.ts";
import { logLogSlope, type CountPoint } from "./fit.ts";
import type { Experiment } from "./types.ts";

/** Cells used in the local fits: at least 5 collapsed (log p defined and not too noisy) and p <= 0.5. */
export const FIT_RULE = "WLS of log P on log x (cells with ≥ 5 collapsed, P ≤ 0.5)";
const usable = (p: ProbabilityPoint) => p.collapsed >= 5 && p.p <= 0.5;

const groupBy = <T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> => {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

const count = (x: number, p: ProbabilityPoint): CountPoint => ({ x, k: p.collapsed, n: p.trials });

/** Exponents of lr (per gamma) and of gamma (per lr) from a grid, by the local WLS. */
export function gridExponents(points: readonly ProbabilityPoint[]): ExponentEstimate[] {
  const out: ExponentEstimate[] = [];
  for (const [gamma, cells] of groupBy(points, (p) => p.gamma)) {
    const fit = logLogSlope(cells.filter(usable).map((p) => count(p.lr, p)));
    if (fit) out.push({ estimator: FIT_RULE, param: "lr", at: `γ₀ = ${gamma}`, value: fit.slope, lo: fit.lo, hi: fit.hi });
  }
  for (const [lr, cells] of groupBy(points, (p) => p.lr)) {
    const fit = logLogSlope(cells.filter(usable).map((p) => count(p.gamma, p)));
    if (fit) out.push({ estimator: FIT_RULE, param: "gamma", at: `η = ${lr}`, value: fit.slope, lo: fit.lo, hi: fit.hi });
  }
  return out;
}

const describeExponent = (e: ExponentEstimate) => `${e.at}: ${fmt(e.value)} [${fmt(e.lo)}, ${fmt(e.hi)}]`;

function nonFiniteNote(result: SweepResult): string[] {
  const bad = result.cells.reduce((a, c) => a + c.nonFinite, 0);
  return bad > 0 ? [`${bad} trajectories went non-finite and are excluded from P (see docs/conventions.md).`] : [];
}

export function buildProbabilityVsLr(exp: Experiment, result: SweepResult): Built {
  const points = probabilityPoints(result);
  const positive = points.filter((p) => p.p > 0 && p.p < 1);
  const anchor = positive.length ? positive.reduce((a, b) => (Math.abs(Math.log(b.p / 0.1)) < Math.abs(Math.log(a.p / 0.1)) ? b : a)) : null;
  const spec = probabilityVsLrSpec(points, {
    title: exp.title,
    guide: anchor ? { slope: 2, lr: anchor.lr, p: anchor.p, label: "slope 2 (paper)" } : undefined,
  });
  const slopes = gridExponents(points).filter((e) => e.param === "lr");
  return {
    figure: { name: exp.id, spec, rows: points },
    simulated: [describeConfig(result.config)],
    measured: [
      slopes.length
        ? `Slope of log P against log η (${FIT_RULE}; 95% t intervals, widened when the points scatter more than binomially): ${slopes.map(describeExponent).join("; ")}.`
        : "Too few cells with 5 ≤ collapsed and P ≤ 0.5 to fit a slope.",
      `Local slopes between neighbouring η (cells with ≥ 5 collapsed): ${localSlopes(points)}.`,
      ...curvatureNote(points),
      ...(anchor ? [`Dashed: a line of slope 2 through the cell closest to P = 0.1 (η = ${anchor.lr}, γ₀ = ${anchor.gamma}), for reference only.`] : []),
      ...nonFiniteNote(result),
    ],
  };
}

export function buildHeatmap(exp: Experiment, result: SweepResult): Built {
  const points = probabilityPoints(result);
  const spec = heatmapSpec(points, { title: exp.title, isoRatios: exp.options?.isoRatios ?? [0.1] });
  // cells with the same lr/gamma to within 2%: the law says their P is equal
  const groups = [...groupBy(points, (p) => Math.round(Math.log(p.lr / p.gamma) / Math.log(1.02))).values()]
    .filter((g) => g.length >= 2 && g.some((p) => p.p > 0))
    .sort((a, b) => Math.max(...b.map((p) => p.p)) - Math.max(...a.map((p) => p.p)))
    .slice(0, 4);
  const sentences = groups.map((g) => `η/γ₀ ≈ ${fmt(g[0].lr / g[0].gamma)}: ${g.sort((a, b) => a.gamma - b.gamma).map((p) => `P = ${fmt(p.p)} at γ₀ = ${p.gamma}`).join(", ")}`);
  return {
    figure: { name: exp.id, spec, rows: points },
    simulated: [describeConfig(result.config)],
    measured: [
      sentences.length ? `Cells with (nearly) equal η/γ₀, where the law predicts equal P: ${sentences.join("; ")}.` : "No two cells share η/γ₀ with any collapse.",
      ...nonFiniteNote(result),
    ],
  };
}

export function buildExponents(exp: Experiment, result: SweepResult): Built {
  const points = probabilityPoints(result);
  const estimates = gridExponents(points);
  const spec = exponentsSpec(estimates, { title: exp.title, subtitle: "dashed: the paper's value; bars: 95% intervals", emptyNote: `too few cells for the fit: ${FIT_RULE}` });
  const byParam = (p: "lr" | "gamma") => estimates.filter((e) => e.param === p).map(describeExponent).join("; ") || "none (too few usable cells)";
  return {
    figure: { name: exp.id, spec, rows: estimates },
    simulated: [describeConfig(result.config)],
    measured: [`Exponent of η (${FIT_RULE}): ${byParam("lr")}.`, `Exponent of γ₀: ${byParam("gamma")}.`, ...curvatureNote(points), "Local estimator; src/analysis will add others."],
  };
}

/** Per gamma, the slopes of log P between neighbouring lr cells (with >= 5 collapsed), smallest lr first. */
function slopesByGamma(points: readonly ProbabilityPoint[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [gamma, cells] of groupBy(points, (p) => p.gamma)) {
    const c = cells.filter((p) => p.collapsed >= 5 && p.p < 1).sort((a, b) => a.lr - b.lr);
    const s = c.slice(1).map((b, i) => Math.log(b.p / c[i].p) / Math.log(b.lr / c[i].lr));
    if (s.length) out.set(gamma, s);
  }
  return out;
}

function localSlopes(points: readonly ProbabilityPoint[]): string {
  return [...slopesByGamma(points)].map(([g, s]) => `γ₀ = ${g}: ${s.map(fmt).join(", ")}`).join("; ") || "none";
}

/** Says so when the local slopes differ by more than a factor 2: then no single exponent describes P(η). */
export function curvatureNote(points: readonly ProbabilityPoint[]): string[] {
  const widest = [...slopesByGamma(points)].filter(([, s]) => s.length >= 2).map(([g, s]) => ({ g, hi: Math.max(...s), lo: Math.min(...s), first: s[0], last: s[s.length - 1] }));
  const bent = widest.filter((w) => w.lo <= 0 || w.hi / w.lo > 2);
  if (!bent.length) return [];
  const w = bent.reduce((a, b) => (b.hi - b.lo > a.hi - a.lo ? b : a));
  return [
    `The local slope is not constant (at γ₀ = ${w.g} it goes from ${fmt(w.first)} to ${fmt(w.last)} as η grows): over this range P is not a power of η, and a fitted exponent depends on which cells enter the fit.`,
  ];
}
