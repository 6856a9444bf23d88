import type { EstimatorReport, FitReport } from "../analysis/fit-sweep.ts";
import type { SweepResult } from "../solution/result.ts";
import { EXPONENT_AXIS_LIMIT, exponentsSpec } from "../plot/exponents.ts";
import { probabilityPoints } from "../plot/from-sweep.ts";
import { heatmapSpec } from "../plot/heatmap.ts";
import { probabilityVsLrSpec } from "../plot/probability-vs-lr.ts";
import type { ProbabilityPoint } from "../plot/data.ts";
import type { Built } from "./built.ts";
import { fmt, runSubtitle } from "./caption.ts";
import { estimatorName, exponentRows, exponentText, headline, verdictText } from "./exponent-rows.ts";
import { gofPText, gofText, localText, referenceText } from "../analysis/verdict.ts";
import type { LineFit, PooledFit } from "../analysis/scaling.ts";
import { localEntry } from "../analysis/text.ts";

const MULTIPLICITY_SHORT = "verdicts Holm-corrected over the γ₀ lines";

/** A headline fit in a few words: as lineBrief, for a pooled fit or a single line. */
function headlineBrief(h: LineFit | PooledFit | null): string {
  return h ? lineBrief(h) : "no fit";
}

/** A line's result in a few words: its verdict with the test behind it, and the exponent only where a power law fits. */
function lineBrief(l: LineFit | PooledFit): string {
  const gof = l.fit?.gof ? gofText(l.fit.gof, l.fit.family) : null;
  if (l.verdict === "not a power law" || (l.verdict === "no verdict" && l.fit?.slope != null && gof && l.used >= 3)) {
    return `${l.verdict === "not a power law" ? "not a power law" : "no verdict, the power law doubtful"} (${l.used} cells; ${gof}): ${localText(l.local)}`;
  }
  return `${exponentText(l)} (${l.used} cells${gof ? `; ${gof}` : ""}; ${l.verdict})`;
}
import type { Experiment } from "./types.ts";

/** How the exponents are fitted, in one sentence (docs/scaling-analysis.md). */
const FIT_METHOD =
  "Exponents by src/analysis (as `bn-collapse fit`, docs/scaling-analysis.md): for P, binomial maximum likelihood with the complementary log-log link (log(−log(1 − P)) linear in log η), every cell included (P = 0 and P = 1 too), 95% profile-likelihood intervals, the deviance as goodness of fit (χ², or a parametric bootstrap where a cell expects fewer than 5 collapsed or surviving runs); a verdict needs 3 cells and a passed goodness of fit, line verdicts are Holm-corrected per axis, and where the power law is rejected only the local exponents are quoted";

const groupBy = <T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> => {
  const m = new Map<K, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
};

const probabilityOf = (fit: FitReport): EstimatorReport => fit.estimators.find((e) => e.info.id === "probability")!;

function nonFiniteNote(result: SweepResult): string[] {
  const bad = result.cells.reduce((a, c) => a + c.nonFinite, 0);
  return bad > 0 ? [`${bad} trajectories went non-finite and are excluded from P (see docs/conventions.md).`] : [];
}

export function buildProbabilityVsLr(exp: Experiment, result: SweepResult, fit: FitReport): Built {
  const points = probabilityPoints(result);
  const positive = points.filter((p) => p.p > 0 && p.p < 1);
  const anchor = positive.length ? positive.reduce((a, b) => (Math.abs(Math.log(b.p / 0.1)) < Math.abs(Math.log(a.p / 0.1)) ? b : a)) : null;
  const spec = probabilityVsLrSpec(points, {
    title: exp.title,
    subtitle: runSubtitle([result.config]),
    guide: anchor ? { slope: 2, lr: anchor.lr, p: anchor.p, label: "slope 2 (the paper's P ∝ η²)" } : undefined,
  });
  const e = probabilityOf(fit);
  const lines = e.lines.filter((l) => l.axis === "lr");
  const perGamma = lines.map((l) => `γ₀ = ${fmt(l.fixed.gamma)}: ${lineBrief(l)}`);
  const local = lines.filter((l) => l.local.length > 0).map((l) => `γ₀ = ${fmt(l.fixed.gamma)}: ${l.local.map(localEntry).join(", ")}`);
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: "The fraction of runs that collapsed by T against the learning rate η, on log-log axes, one line per γ₀ with its Wilson 95% band; the dashed line has slope 2 (reference only).",
    headline: [`Exponent of η in P(T), pooled over γ₀: ${headlineBrief(headline(e, "lr"))}.`, ...nonFiniteNote(result)],
    settings: [{ name: "grid", config: result.config }],
    simulated: [],
    measured: [
      `Exponent of η in P(T) per γ₀ (${MULTIPLICITY_SHORT}): ${perGamma.join("; ") || "none (fewer than two values of η)"}.`,
      `Pooled over γ₀: ${verdictText(e, "lr") ?? "no pooled fit"}`,
      `Local exponents between neighbouring η with 95% profile intervals (smallest η first; a one-sided bound where a cell had no collapse): ${local.join("; ") || "none (fewer than two usable cells on every line)"}.`,
      `${FIT_METHOD}.`,
      ...(anchor ? [`Dashed: a line of slope 2 through the cell closest to P = 0.1 (η = ${anchor.lr}, γ₀ = ${anchor.gamma}), for reference only.`] : []),
      ...nonFiniteNote(result),
    ],
  };
}

export function buildHeatmap(exp: Experiment, result: SweepResult, fit: FitReport): Built {
  const points = probabilityPoints(result);
  const spec = heatmapSpec(points, { title: exp.title, subtitle: runSubtitle([result.config]), isoRatios: exp.options?.isoRatios ?? [0.1] });
  // cells with the same lr/gamma to within 2%: the law says their P is equal
  const groups = [...groupBy(points, (p: ProbabilityPoint) => Math.round(Math.log(p.lr / p.gamma) / Math.log(1.02))).values()]
    .filter((g) => g.length >= 2 && g.some((p) => p.p > 0))
    .sort((a, b) => Math.max(...b.map((p) => p.p)) - Math.max(...a.map((p) => p.p)))
    .slice(0, 4);
  const sentences = groups.map((g) => `η/γ₀ ≈ ${fmt(g[0].lr / g[0].gamma)}: ${g.sort((a, b) => a.gamma - b.gamma).map((p) => `P = ${fmt(p.p)} at γ₀ = ${p.gamma}`).join(", ")}`);
  const e = probabilityOf(fit);
  return {
    figure: { name: exp.id, spec, rows: points },
    plotted: "The fraction of runs that collapsed by T in each cell of the (η, γ₀) grid, as colour and printed value, with dashed lines of constant η/γ₀.",
    headline: [
      ...(groups.length ? [`Cells with (nearly) equal η/γ₀: ${sentences[0]}.`] : []),
      `Pooled exponents of P(T): in η (law +2) ${headlineBrief(headline(e, "lr"))}; in γ₀ (law −2) ${headlineBrief(headline(e, "gamma"))}.`,
      ...collapseSentences(fit).slice(-1),
    ],
    settings: [{ name: "grid", config: result.config }],
    simulated: [],
    measured: [
      sentences.length ? `Cells with (nearly) equal η/γ₀, where the law predicts equal P: ${sentences.join("; ")}.` : "No two cells share η/γ₀ with any collapse.",
      `Pooled fits of P(T) (src/analysis): in η (law: +2) ${headlineBrief(headline(e, "lr"))}; in γ₀ (law: −2) ${headlineBrief(headline(e, "gamma"))} (see the exponents figure).`,
      ...collapseSentences(fit),
      ...nonFiniteNote(result),
    ],
  };
}

/**
 * The data-collapse test of src/analysis. On a grid with one B and one T and a scale-symmetric
 * setting, P depends on η/γ₀ exactly, so only the shape-free equal-τ homogeneity test is quoted (it
 * checks that equal-ratio cells agree within binomial noise); otherwise the report's sentence.
 */
function collapseSentences(fit: FitReport): string[] {
  if (!fit.collapse.trivial) return [fit.collapse.sentence];
  const eq = fit.collapse.test.equalTau;
  const symmetry = "Here P depends on η and γ₀ only through η/γ₀, exactly, by the scale symmetry of this setting (docs/theory.md section 3).";
  return eq
    ? [`${symmetry} Homogeneity of the ${eq.groups} groups of cells with equal η/γ₀ (src/analysis, binomial deviance against each group's pooled P): ${fmt(eq.chi2)} on ${eq.dof} dof, ${gofPText(eq)} (${referenceText(eq)}).`]
    : [symmetry];
}

export function buildExponents(exp: Experiment, result: SweepResult, fit: FitReport): Built {
  const rows = exponentRows(fit);
  const beyond = (v: number | null | undefined) => v != null && Math.abs(v) > EXPONENT_AXIS_LIMIT;
  const clipped = rows.some((r) => beyond(r.lo) || beyond(r.hi) || beyond(r.localLo) || beyond(r.localHi));
  const spec = exponentsSpec(rows, {
    title: exp.title,
    subtitle: [runSubtitle([result.config]), `pooled fits; bars: 95% profile intervals${clipped ? ` (clipped at ±${EXPONENT_AXIS_LIMIT})` : ""}; dashed: local exponents where no power law fits; ◇: the law`],
    emptyNote: "the grid has fewer than two values of η and of γ₀",
  });
  const sim = fit.simulation;
  const brief = (est: EstimatorReport, axis: "lr" | "gamma") => headlineBrief(headline(est, axis));
  return {
    figure: { name: exp.id, spec, rows },
    plotted: "For each of four estimators of the scaling, the fitted exponent of η and of γ₀ (pooled over the grid's lines) with its 95% profile interval, coloured by the verdict, against the law's exponent (◇).",
    headline: [fit.estimators.map((est) => `${estimatorName(est)}: η ${brief(est, "lr")}, γ₀ ${brief(est, "gamma")}`).join("; ") + "."],
    settings: [{ name: "grid", config: result.config }],
    simulated: [
      `estimators (c) and (d): ${sim.trials} fresh one-step runs per cell, seed ${sim.seed}; (d) starts at r₀ = threshold + ${sim.gap}`,
    ],
    measured: [
      ...fit.estimators.flatMap((e) => (["lr", "gamma"] as const).map((axis) => `${estimatorName(e)}, ${axis === "lr" ? "η" : "γ₀"}: ${verdictText(e, axis) ?? "no fit (fewer than two values on this axis)"}`)),
      `${FIT_METHOD}. The pooled fit has one exponent and an intercept per line of the grid.`,
    ],
  };
}
