import { collapseReportOf, type CollapseReport } from "../analysis/collapse-report.ts";
import { ESTIMATORS, type CellEstimate, type EstimatorInfo } from "../analysis/estimate.ts";
import type { FitReport } from "../analysis/fit-sweep.ts";
import type { GoodnessOfFit } from "../analysis/exponent-fit.ts";
import { linesAlong, type ScalingAxis } from "../analysis/lines.ts";
import type { LocalExponent } from "../analysis/local.ts";
import { probabilityEstimate } from "../analysis/probability.ts";
import { fixedText, regimeOf, settingText } from "../analysis/regime.ts";
import { fitLineFamily, fitOneLine, MULTIPLICITY, type LineFit, type PooledFit } from "../analysis/scaling.ts";
import { headline } from "../analysis/summary.ts";
import { estimateText, exponentText, gofPText } from "../analysis/verdict.ts";
import type { VerdictKind } from "../analysis/verdict.ts";
import type { SweepResult } from "../solution/result.ts";
import { VERSION } from "../solution/result.ts";
import type { DriftPoint } from "../plot/data.ts";
import { Z95 } from "../stats/special.ts";
import { fmt } from "./caption.ts";
import { crossing } from "./crossing.ts";
import type { Derived } from "./derive.ts";
import type { Measured } from "./measure.ts";
import { tauSeries } from "./tau-series.ts";
import type { Experiment, Mode } from "./types.ts";

/** What the findings read of one experiment of the figure set. */
export interface FindingsInput {
  exp: Experiment;
  /** its number in the figure index (1-based) */
  number: number;
  measured: readonly Measured[];
  derived: Derived;
}

/** One statement of the findings: an estimator in a regime along an axis, with the fit it comes from. */
export interface Finding {
  estimator: string;
  regime: string;
  /** the figure's id and number in the index */
  figure: { id: string; number: number };
  axis: ScalingAxis | "tau";
  expected: number | null;
  exponent: string;
  cells: string;
  gof: GoodnessOfFit | null;
  /** the goodness-of-fit column where it is not one fit's (the data-collapse test's two statistics) */
  gofNote?: string;
  verdict: VerdictKind | "collapse rejected" | "collapse not rejected" | "collapse exact by construction" | "untestable";
  /** where the law fails (the bend, the exponent off the law), or "" */
  where: string;
  /** for a pooled fit: the tally of its lines' verdicts, or "" */
  lines: string;
  /** the analysis's whole sentence */
  sentence: string;
}

const LAW_TEXT = { lr: "η", gamma: "γ₀" } as const;

/** Where the rare-event measurements (AMS, below brute force's reach) are written up; not part of this set. */
const RARE_EVENTS_LINK = "Collapse probabilities below brute force's reach, down to ~1e-20 by adaptive multilevel splitting, and what they say about the law: docs/rare-events.md (measured by scripts/rare-events.ts, not by this figure set).";

/**
 * Everything docs/findings.md states, from the figure set's measurements: per estimator (per-step
 * drift, P(T), median first passage, one-step P, the data collapse in tau) and regime, whether the
 * lr^2/gamma^2 law holds, with the number, its interval and where it fails. Every verdict is one of
 * src/analysis's, by its rules (docs/scaling-analysis.md).
 */
export function collectFindings(inputs: readonly FindingsInput[]): Finding[] {
  const out: Finding[] = [];
  for (const input of inputs) {
    const { exp } = input;
    const figure = { id: exp.id, number: input.number };
    if (exp.figure === "drift") out.push(...driftFindings(input, figure));
    if (exp.figure === "exponents" && input.derived.fit) out.push(...gridFindings(input.derived.fit, figure));
    if (exp.figure === "probability-vs-tau") out.push(...tauFindings(input, figure));
    if (exp.figure === "comparison") out.push(...regimeFindings(input, figure));
  }
  return out;
}

function sweepsOf(input: FindingsInput): { label: string; result: SweepResult }[] {
  return input.measured.flatMap((m) => (m.kind === "sweep" ? [{ label: m.label, result: m.result }] : []));
}

/** The drift figure: one line along η at one γ₀ and one along γ₀ at one η, fitted as `fit`'s estimator (c). */
function driftFindings(input: FindingsInput, figure: Finding["figure"]): Finding[] {
  const m = input.measured.find((x) => x.kind === "drift");
  if (!m || m.kind !== "drift") return [];
  const se = (p: DriftPoint) => (p.hi - p.lo) / (2 * Z95);
  const c = m.spec;
  return (["lr", "gamma"] as const).flatMap((axis) => {
    const pts = m.points.filter((p) => p.axis === axis);
    if (pts.length < 2) return [];
    const obs = pts.map((p) => ({ kind: "gaussian" as const, x: p[axis], y: p.drift, se: se(p) }));
    const line = fitOneLine(ESTIMATORS.drift, axis, obs, { key: `findings/drift/${axis}` });
    const at = axis === "lr" ? `γ₀ = ${pts[0].gamma}` : `η = ${pts[0].lr}`;
    const regime = `one update from β₀ = ${c.beta[0]}, B = ${c.batch[0]}, ${c.optimizer}, ${at}`;
    const f = finding("per-step sparsity drift", regime, figure, axis, ESTIMATORS.drift, line.fit, `${obs.length}`, line.verdict, line.local, line.sentence);
    f.where =
      line.verdict === "not a power law" ? bendText({ local: line.local } as LineFit, [])
      : line.verdict === "no verdict" ? (line.reason ?? "")
      : line.verdict === "does not hold" && line.fit?.slope != null ? offTheLaw(line.fit.slope, line.fit.ci95, line.expected)
      : "";
    return [f];
  });
}

/** The main grid's scaling analysis (the exponents figure): the pooled fit of each estimator along each axis. */
function gridFindings(fit: FitReport, figure: Finding["figure"]): Finding[] {
  const g = fit.regime;
  const regime = `main grid: η ${fmt(g.lr[0])}–${fmt(g.lr[1])}, γ₀ ${fmt(g.gamma[0])}–${fmt(g.gamma[1])}, B = ${g.batch.join(",")}, T = ${g.steps}, ${g.optimizer}, ${g.collapse}`;
  const names = { probability: "P(T)", median: "median first passage", drift: "per-step sparsity drift", boundary: "one-step P near the threshold" } as const;
  return fit.estimators.flatMap((e) =>
    (["lr", "gamma"] as const).flatMap((axis) => {
      const h = headline(e, axis);
      if (!h) return [];
      const lines = e.lines.filter((l) => l.axis === axis);
      const tally = tallyText(lines);
      const scope = "lines" in h && typeof h.lines === "number" ? `pooled over ${h.lines} lines` : "one line";
      const where = h.verdict === "not a power law" ? bendText(h, lines) : whereText(h);
      const f = finding(names[e.info.id], `${regime}; ${scope}`, figure, axis, e.info, h.fit, `${h.used}/${h.cells}`, h.verdict, h.local, h.sentence);
      f.where = where;
      f.lines = tally;
      return [f];
    }),
  );
}

/** The data-collapse figure: the collapse test over its sweeps, the τ where each series reaches 0.1, and P(T) along η per series. */
function tauFindings(input: FindingsInput, figure: Finding["figure"]): Finding[] {
  const sweeps = sweepsOf(input);
  if (sweeps.length === 0) return [];
  const report: CollapseReport = collapseReportOf(sweeps.map((s) => s.result));
  const sigma = (r: SweepResult) => (r.template.loss.kind === "noise" ? r.template.loss.noise.sigma : r.template.loss.labelNoise);
  const series = new Map<string, { x: number; p: number }[]>();
  for (const { result } of sweeps) {
    for (const c of result.cells) {
      if (c.p === null) continue;
      const t = (c.lr * c.lr * sigma(result) ** 2 * result.config.steps) / (c.batch * c.gamma * c.gamma);
      const name = tauSeries(result, c);
      series.set(name, [...(series.get(name) ?? []), { x: t, p: c.p }]);
    }
  }
  const crossings = [...series].map(([name, pts]) => {
    const c = crossing(pts, 0.1);
    return `${name}: ${c === null ? "not reached" : fmt(c)}`;
  });
  const criteria = [...new Set(sweeps.map((s) => s.result.config.collapse))].join(", ");
  const verdict: Finding["verdict"] = report.test.rejected === null ? "untestable" : report.trivial ? "collapse exact by construction" : report.test.rejected ? "collapse rejected" : "collapse not rejected";
  const collapse: Finding = {
    estimator: "data collapse of P(T) in τ",
    regime: `${sweeps.map((s) => s.label).join(", ")} (${criteria})`,
    figure,
    axis: "tau",
    expected: null,
    exponent: "—",
    cells: `${report.test.cells}`,
    gof: null,
    gofNote: [
      report.test.polynomial ? `polynomial in log τ: ${fmt(report.test.polynomial.chi2)} on ${report.test.polynomial.dof} dof, ${gofPText(report.test.polynomial)}` : "",
      report.test.equalTau ? `equal τ: ${fmt(report.test.equalTau.chi2)} on ${report.test.equalTau.dof} dof, ${gofPText(report.test.equalTau)}` : "",
    ].filter(Boolean).join("; ") || undefined,
    verdict,
    where: `τ at which P first reaches 0.1: ${crossings.join("; ")} (one curve of τ would give one value)`,
    lines: "",
    sentence: report.sentence,
  };
  // P(T) along η in each series, judged as one family
  const members = sweeps.flatMap(({ label, result }) => lineMembers(`${label}`, result, "lr", `findings/${input.exp.id}/${label}`));
  const lines = fitLineFamily(ESTIMATORS.probability, "lr", members);
  return [collapse, ...lines.map((l, i) => lineFinding("P(T)", members[i].regime, figure, l))];
}

/** A comparison figure: P(T) along η in every variant, the variants of one figure judged as one family. */
function regimeFindings(input: FindingsInput, figure: Finding["figure"]): Finding[] {
  const members = sweepsOf(input).flatMap(({ label, result }) => lineMembers(label, result, "lr", `findings/${input.exp.id}/${label}`));
  if (members.length === 0) return [];
  const lines = fitLineFamily(ESTIMATORS.probability, "lr", members);
  return lines.map((l, i) => lineFinding("P(T)", members[i].regime, figure, l));
}

/** The lines of a sweep along `axis` as family members, each with a description of its regime. */
function lineMembers(label: string, result: SweepResult, axis: ScalingAxis, key: string) {
  const regime = regimeOf(result);
  const estimates: CellEstimate[] = result.cells.map(probabilityEstimate);
  return linesAlong(estimates, axis).map((line) => {
    const xs = line.items.map((e) => e.at[axis]);
    const setting = settingText(regime, line.fixed);
    const variant = `${label}: ${setting}, ${fixedText(axis, line.fixed)}`;
    return {
      line,
      head: `${label}: P(T) vs ${axis} at ${fixedText(axis, line.fixed)}, ${axis} in [${fmt(xs[0])}, ${fmt(xs[xs.length - 1])}], ${setting}`,
      key: `${key}/${Object.entries(line.fixed).map(([k, v]) => `${k}=${v}`).join(";")}`,
      regime: variant,
    };
  });
}

function lineFinding(estimator: string, regime: string, figure: Finding["figure"], l: LineFit): Finding {
  const f = finding(estimator, regime, figure, l.axis, ESTIMATORS.probability, l.fit, `${l.used}/${l.cells}`, l.verdict, l.local, l.sentence);
  f.where = l.verdict === "not a power law" ? bendText(l, [l]) : whereText(l);
  return f;
}

function finding(
  estimator: string,
  regime: string,
  figure: Finding["figure"],
  axis: ScalingAxis,
  info: EstimatorInfo,
  fit: LineFit["fit"],
  cells: string,
  verdict: VerdictKind,
  local: readonly LocalExponent[],
  sentence: string,
): Finding {
  // where the power law is rejected no exponent is quoted as if it applied: the local ones are
  const exponent = !fit ? "no fit" : verdict === "not a power law" ? `(${localSpan(local)})` : exponentText(fit);
  return { estimator, regime, figure, axis, expected: info.expected[axis], exponent, cells, gof: fit?.gof ?? null, verdict, where: "", lines: "", sentence };
}

function localSpan(local: readonly LocalExponent[]): string {
  const finite = local.flatMap((l) => (l.slope === null ? [] : [l.slope]));
  const bounds = local.filter((l) => l.slope === null && (l.ci95[0] !== null || l.ci95[1] !== null)).length;
  const extra = bounds ? ` and ${bounds} bound${bounds > 1 ? "s" : ""}` : "";
  if (finite.length === 0) return "no finite local exponent";
  const lo = Math.min(...finite), hi = Math.max(...finite);
  return `local ${lo === hi ? fmt(lo) : `${fmt(lo)} to ${fmt(hi)}`}${extra}`;
}

/** Where a rejected power law bends: the first and the last finite local exponent of each line (at most three lines quoted). */
function bendText(h: Pick<LineFit, "local"> | PooledFit, lines: readonly LineFit[]): string {
  const source = lines.length ? lines.filter((l) => l.local.some((x) => x.slope !== null)) : [h as LineFit];
  const per = source.slice(0, 3).map((l) => {
    const f = l.local.filter((x) => x.slope !== null);
    const first = f[0], last = f[f.length - 1];
    const at = l.fixed ? `${fixedText(l.axis, l.fixed)}: ` : "";
    if (f.length === 1) return `${at}one local exponent, ${fmt(first.slope!)} (${fmt(first.from)}–${fmt(first.to)})`;
    return `${at}${fmt(first.slope!)} at ${fmt(first.from)}–${fmt(first.to)} to ${fmt(last.slope!)} at ${fmt(last.from)}–${fmt(last.to)}`;
  });
  const more = source.length > 3 ? `; ${source.length - 3} more line${source.length - 3 > 1 ? "s" : ""} alike in the details` : "";
  return per.length ? `not a power law: local exponent ${per.join("; ")}${more}` : "not a power law";
}

function whereText(h: LineFit | PooledFit): string {
  const f = h.fit;
  if (h.verdict === "no verdict") return h.reason ?? "";
  if (h.verdict === "does not hold" && f && f.slope !== null) return offTheLaw(f.slope, f.ci95, h.expected);
  return "";
}

/** "exponent 2.009 [2.001, 2.016] against the law's 2 (0.4% off)" */
function offTheLaw(slope: number, ci: readonly [number | null, number | null], expected: number): string {
  const off = (100 * Math.abs(slope - expected)) / Math.abs(expected);
  return `exponent ${estimateText(slope, ci)} against the law's ${expected}${off < 10 ? ` (${fmt(off)}% off)` : ""}`;
}

function tallyText(lines: readonly LineFit[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.verdict, (counts.get(l.verdict) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/**
 * docs/findings.md: the summary table, then each finding's full sentence by estimator. `figures` is
 * the path from the findings file to the figure set's folder (for links).
 */
export function findingsMarkdown(findings: readonly Finding[], opts: { mode: Mode; figures: string; command: string }): string {
  const link = (f: Finding) => `[${f.figure.number}](${joinPath(opts.figures, `${f.figure.id}.png`)})`;
  const gof = (f: Finding) => (f.gof ? `${fmt(f.gof.statistic)} on ${f.gof.dof} dof, ${gofPText(f.gof)}${f.gof.reference === "chi-square" ? "" : " (bootstrap)"}` : (f.gofNote ?? "—"));
  const axis = (f: Finding) => (f.axis === "tau" ? "τ" : LAW_TEXT[f.axis]);
  const law = (f: Finding) => (f.expected === null ? "one curve" : f.expected > 0 ? `+${f.expected}` : `${f.expected}`);
  const row = (f: Finding) => `| ${f.estimator} | ${f.regime} | ${link(f)} | ${axis(f)} | ${law(f)} | ${f.exponent} | ${f.cells} | ${gof(f)} | ${f.verdict} | ${f.where || "—"} | ${f.lines || "—"} |`;
  const head = "| estimator | regime | figure | axis | law | exponent [95%] | cells | goodness of fit | verdict | where it fails | its lines |";
  const rule = "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  const groups: [string, (f: Finding) => boolean][] = [
    ["The per-step drift", (f) => f.estimator.includes("drift")],
    ["P(T) and the one-step P on the main grid", (f) => f.figure.id === "exponents" && !f.estimator.includes("drift") && !f.estimator.includes("median")],
    ["The median first passage", (f) => f.estimator.includes("median")],
    ["The data collapse in τ", (f) => f.figure.id === "p-vs-tau"],
    ["P(T) along η in the other regimes", (f) => f.axis === "lr" && f.figure.id !== "exponents" && f.figure.id !== "p-vs-tau" && f.figure.id !== "drift"],
  ];
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.verdict, (counts.get(f.verdict) ?? 0) + 1);
  const out = [
    "# Findings: does the lr²/γ₀² law hold?",
    "",
    `Generated by \`${opts.command}\` (bn-collapse ${VERSION}, ${opts.mode} set) from the numbers of the figure set ([its index](${joinPath(opts.figures, "README.md")})); rewritten by every such run, never edited by hand${opts.mode === "quick" ? ". Quick set: shorter horizons and fewer trials than the full set, so these numbers are not the committed ones" : ""}.`,
    "",
    "How to read it: every exponent is a maximum-likelihood fit with a 95% profile-likelihood interval (P: binomial, complementary log-log link, every cell including those with no collapse; drift: linear scale with its sample SEs; median: log scale), see [docs/scaling-analysis.md](scaling-analysis.md).",
    "A verdict needs at least 3 cells and a goodness-of-fit test passed at 5%: *holds* when the law's exponent is not rejected and the interval excludes 0, *does not hold* when it is rejected after the multiplicity correction, *inconclusive* otherwise;",
    "*not a power law* when the goodness of fit is rejected after the correction, and then only the local exponents between neighbouring cells are quoted, in parentheses, since one exponent of a bending curve depends on the grid's range.",
    `Multiplicity: ${MULTIPLICITY}; in this document each figure's lines form one family.`,
    "",
    `Verdicts: ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}.`,
    "",
    RARE_EVENTS_LINK,
    "",
  ];
  for (const [title, pick] of groups) {
    const rows = findings.filter(pick);
    if (rows.length === 0) continue;
    out.push(`## ${title}`, "", head, rule, ...rows.map(row), "");
  }
  out.push("## The statements in full", "", "Each as the analysis states it (`bn-collapse fit` prints the same for a grid).", "");
  for (const f of findings) out.push(`- **${f.estimator}, ${f.regime}** (figure ${f.figure.number}, ${axis(f)}): ${f.sentence}`);
  out.push("");
  return out.join("\n");
}

function joinPath(dir: string, file: string): string {
  return dir === "" || dir === "." ? file : `${dir.replace(/\/$/, "")}/${file}`;
}
