import type { Axis } from "../ensemble/problem.ts";
import { observationOf, type CellEstimate, type EstimatorInfo } from "./estimate.ts";
import { fitExponent, type ExponentFit } from "./exponent-fit.ts";
import type { Observation } from "./families.ts";
import { holmAdjust } from "./holm.ts";
import { linesAlong, type Line, type ScalingAxis } from "./lines.ts";
import { localExponents, type LocalExponent } from "./local.ts";
import { fixedText, fmt, settingText, type Regime } from "./regime.ts";
import { LEVEL, verdictOf, type VerdictKind } from "./verdict.ts";

/** The multiplicity correction, as the output states it. */
export const MULTIPLICITY =
  "Holm's step-down correction over the lines of each estimator along each axis (family-wise level 5%), separately for the goodness-of-fit tests and for the tests of the law's exponent among the lines that pass theirs; a pooled fit is one test (no correction)";

/** One estimator along one line of the grid: the exponent, the local ones, the verdict. */
export interface LineFit {
  estimator: EstimatorInfo["id"];
  axis: ScalingAxis;
  fixed: Record<Axis, number>;
  range: [number, number];
  /** cells on the line, cells that entered the fit, and the others with the reason */
  cells: number;
  used: number;
  excluded: { x: number; reason: string }[];
  fit: ExponentFit | null;
  local: LocalExponent[];
  expected: number;
  /** Holm-adjusted p-values within the family (the estimator's lines along this axis) and its size */
  adjusted: { gof: number | null; law: number | null; family: number };
  verdict: VerdictKind;
  /** for "no verdict": why, in a few words */
  reason?: string;
  /** the whole statement, checkable against the paper's exponent */
  sentence: string;
}

/** All lines along one axis with one common exponent (an intercept per line). */
export interface PooledFit {
  estimator: EstimatorInfo["id"];
  axis: ScalingAxis;
  lines: number;
  cells: number;
  used: number;
  fit: ExponentFit | null;
  local: LocalExponent[];
  expected: number;
  verdict: VerdictKind;
  reason?: string;
  sentence: string;
}

export interface ScalingOptions {
  /** describes the state a one-step estimator is taken at */
  where?: string;
  /** keys the parametric bootstraps (with the line's coordinates), e.g. the sweep's seed */
  seed?: string | number;
}

interface Prepared {
  line: Line<CellEstimate>;
  obs: Observation[];
  excluded: { x: number; reason: string }[];
}

function prepare(info: EstimatorInfo, axis: ScalingAxis, line: Line<CellEstimate>): Prepared {
  const obs: Observation[] = [];
  const excluded: { x: number; reason: string }[] = [];
  for (const e of line.items) {
    const o = observationOf(info.family, e.at[axis], e);
    if (o) obs.push(o);
    else excluded.push({ x: e.at[axis], reason: e.excluded ?? "no estimate" });
  }
  return { line, obs, excluded };
}

const keyOf = (fixed: Record<Axis, number>) => Object.entries(fixed).map(([k, v]) => `${k}=${v}`).join(";");

/**
 * Lines along lr (one per gamma and other fixed coordinates) and along gamma, each fitted by maximum
 * likelihood in the estimator's family, with local exponents and a verdict against the estimator's
 * expected exponent, Holm-corrected within each axis.
 */
export function scalingLines(info: EstimatorInfo, estimates: readonly CellEstimate[], regime: Regime, options: ScalingOptions = {}): LineFit[] {
  const out: LineFit[] = [];
  for (const axis of ["lr", "gamma"] as const) out.push(...linesOfAxis(info, axis, estimates, regime, options));
  return out;
}

export function linesOfAxis(info: EstimatorInfo, axis: ScalingAxis, estimates: readonly CellEstimate[], regime: Regime, options: ScalingOptions = {}): LineFit[] {
  const members = linesAlong(estimates, axis).map((line) => {
    const xs = line.items.map((e) => e.at[axis]);
    const setting = settingText(regime, line.fixed, !info.simulated) + (options.where ? `, ${options.where}` : "");
    const head = `${info.label} vs ${axis} at ${fixedText(axis, line.fixed)}, ${axis} in [${fmt(xs[0])}, ${fmt(xs[xs.length - 1])}], ${setting}`;
    return { line, head, key: `${options.seed ?? ""}/${info.id}/${axis}/${keyOf(line.fixed)}` };
  });
  return fitLineFamily(info, axis, members);
}

/** A line to fit in a family: its cells, the description its sentence starts with, and its bootstrap key. */
export interface FamilyMember {
  line: Line<CellEstimate>;
  head: string;
  key: string;
}

/**
 * Fits each member line on its own and judges them as one family: Holm's correction runs over the
 * members' goodness-of-fit tests, then over the law tests of those that pass. The members can come
 * from one grid (the lines along an axis) or from several sweeps (variants of one figure).
 */
export function fitLineFamily(info: EstimatorInfo, axis: ScalingAxis, members: readonly FamilyMember[]): LineFit[] {
  const expected = info.expected[axis];
  const prepared = members.map((m) => prepare(info, axis, m.line));
  const fits = prepared.map((p, i) => fitExponent([p.obs], { expected, bootstrap: { key: members[i].key } }));
  const gofP = fits.map((f, i) => (f && f.slope !== null && f.gof && prepared[i].obs.length >= 3 ? f.gof.pValue : null));
  const gofAdj = holmAdjust(gofP);
  const lawP = fits.map((f, i) => (gofP[i] !== null && gofP[i]! >= LEVEL && f!.law ? f!.law.pValue : null));
  const lawAdj = holmAdjust(lawP);
  const family = gofP.filter((p) => p !== null).length;
  const lawFamily = lawP.filter((p) => p !== null).length;
  return prepared.map((p, i) => {
    const { line, obs, excluded } = p;
    const fit = fits[i];
    const local = localExponents(obs);
    const xs = line.items.map((e) => e.at[axis]);
    const range: [number, number] = [xs[0], xs[xs.length - 1]];
    const adjusted = { gof: gofAdj[i], law: lawAdj[i], family: lawP[i] !== null ? lawFamily : family };
    const v = verdictOf({
      info, axis, fit, used: obs.length, cells: line.items.length, excluded: excluded.map((e) => e.reason), local,
      gofAdjusted: gofAdj[i], lawAdjusted: lawAdj[i], family: adjusted.family, noFit: noFitReason(info, obs),
    });
    return {
      estimator: info.id, axis, fixed: line.fixed, range, cells: line.items.length, used: obs.length, excluded, fit, local, expected, adjusted,
      verdict: v.kind, reason: v.reason, sentence: `${members[i].head}: ${v.sentence}`,
    };
  });
}

function noFitReason(info: EstimatorInfo, obs: readonly Observation[]): string {
  if (new Set(obs.map((o) => o.x)).size < 2) return `${obs.length} usable cell${obs.length === 1 ? "" : "s"}`;
  if (info.family === "binomial") {
    const bin = obs as (Observation & { kind: "binomial" })[];
    if (bin.every((o) => o.k === 0)) return "no run collapsed in any cell";
    if (bin.every((o) => o.k === o.n)) return "every run collapsed in every cell";
  }
  return "the cells carry no information on the exponent";
}

/** The pooled exponent along `axis` over every line of the grid (one exponent, an intercept per line). */
export function pooledLine(info: EstimatorInfo, axis: ScalingAxis, estimates: readonly CellEstimate[], regime: Regime, options: ScalingOptions = {}): PooledFit | null {
  const lines = linesAlong(estimates, axis);
  if (lines.length < 2) return null;
  const prepared = lines.map((l) => prepare(info, axis, l));
  const expected = info.expected[axis];
  const fit = fitExponent(prepared.map((p) => p.obs), { expected, bootstrap: { key: `${options.seed ?? ""}/${info.id}/${axis}/pooled` } });
  const local = prepared.flatMap((p) => localExponents(p.obs));
  const all = lines.flatMap((l) => l.items);
  const excluded = prepared.flatMap((p) => p.excluded.map((e) => e.reason));
  const used = prepared.reduce((s, p) => s + p.obs.length, 0);
  const other: ScalingAxis = axis === "lr" ? "gamma" : "lr";
  const range = (a: ScalingAxis) => {
    const xs = all.map((e) => e.at[a]);
    return `[${fmt(Math.min(...xs))}, ${fmt(Math.max(...xs))}]`;
  };
  const batches = [...new Set(all.map((e) => e.at.batch))];
  const setting = settingText(regime, { ...lines[0].fixed }, !info.simulated).replace(/^B=[^,]*/, `B=${batches.join(",")}`) + (options.where ? `, ${options.where}` : "");
  const head = `${info.label} vs ${axis}, ${lines.length} lines pooled (one exponent, an intercept per line), ${axis} in ${range(axis)}, ${other} in ${range(other)}, ${setting}`;
  const v = verdictOf({
    info, axis, fit, used, cells: all.length, excluded, local,
    gofAdjusted: fit?.gof?.pValue ?? null, lawAdjusted: fit?.law?.pValue ?? null, family: 1, pooled: true,
    noFit: noFitReason(info, prepared.flatMap((p) => p.obs)),
  });
  const silent = fit ? lines.length - fit.lines : 0;
  const note = silent > 0 ? ` ${silent} of the ${lines.length} lines carry no information on the exponent (no collapsed or no surviving run, or one usable cell) and do not enter.` : "";
  return { estimator: info.id, axis, lines: lines.length, cells: all.length, used, fit, local, expected, verdict: v.kind, reason: v.reason, sentence: `${head}: ${v.sentence}${note}` };
}

/**
 * One line on its own (a family of one: no multiplicity correction), from observations already made:
 * its fit, local exponents, verdict and the verdict's sentence (without a description of the line).
 */
export function fitOneLine(info: EstimatorInfo, axis: ScalingAxis, obs: readonly Observation[], options: { key?: string; cells?: number; excluded?: string[] } = {}) {
  const expected = info.expected[axis];
  const fit = fitExponent([obs], { expected, bootstrap: { key: options.key ?? `${info.id}/${axis}/one-line` } });
  const local = localExponents(obs);
  const v = verdictOf({
    info, axis, fit, used: obs.length, cells: options.cells ?? obs.length, excluded: options.excluded ?? [], local,
    gofAdjusted: fit?.gof?.pValue ?? null, lawAdjusted: fit?.law?.pValue ?? null, family: 1, noFit: noFitReason(info, obs),
  });
  return { fit, local, expected, verdict: v.kind, reason: v.reason, sentence: v.sentence };
}
