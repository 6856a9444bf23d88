import type { Axis } from "../config/sweep-config.ts";
import type { CellEstimate, EstimatorInfo } from "./estimate.ts";
import { linesAlong, type ScalingAxis } from "./lines.ts";
import { fixedText, fmt, settingText, type Regime } from "./regime.ts";
import { fitCommonSlope } from "./pooled.ts";
import { fitPowerLaw, localExponents, type LocalExponent, type LogPoint, type PowerLawFit } from "./regression.ts";
import { verdictKind, verdictSentence, type VerdictKind } from "./verdict.ts";

/** One estimator along one line of the grid: the global exponent, the local ones, the verdict. */
export interface LineFit {
  estimator: EstimatorInfo["id"];
  axis: ScalingAxis;
  fixed: Record<Axis, number>;
  range: [number, number];
  cells: number;
  used: number;
  excluded: { x: number; reason: string }[];
  fit: PowerLawFit | null;
  local: LocalExponent[];
  expected: number;
  verdict: VerdictKind;
  /** the whole statement, checkable against the paper's exponent */
  sentence: string;
}

/** All lines along one axis with one common exponent (an intercept per line). */
export interface PooledFit {
  estimator: EstimatorInfo["id"];
  axis: ScalingAxis;
  lines: number;
  fit: PowerLawFit | null;
  expected: number;
  verdict: VerdictKind;
  sentence: string;
}

export function toLogPoint(axis: ScalingAxis, e: CellEstimate): LogPoint | null {
  if (e.excluded || e.value === null || !(e.value > 0) || e.seLog === null) return null;
  return { x: e.at[axis], logY: Math.log(e.value), seLog: e.seLog };
}

/**
 * Lines along lr (one per gamma and other fixed coordinates) and along gamma, each fitted by the
 * weighted log-log regression, with local exponents and a verdict against the estimator's
 * expected exponent. `where` describes the state the estimator is taken at (for one-step ones).
 */
export function scalingLines(info: EstimatorInfo, estimates: readonly CellEstimate[], regime: Regime, where?: string): LineFit[] {
  const out: LineFit[] = [];
  for (const axis of ["lr", "gamma"] as const) {
    for (const line of linesAlong(estimates, axis)) {
      const points = line.items.map((e) => toLogPoint(axis, e)).filter((p): p is LogPoint => p !== null);
      const excluded = line.items.filter((e) => toLogPoint(axis, e) === null).map((e) => ({ x: e.at[axis], reason: e.excluded ?? "no estimate" }));
      const fit = fitPowerLaw(points);
      const local = localExponents(points);
      const xs = line.items.map((e) => e.at[axis]);
      const range: [number, number] = [xs[0], xs[xs.length - 1]];
      const counts = { used: points.length, cells: line.items.length, excluded: excluded.map((e) => e.reason) };
      const setting = settingText(regime, line.fixed, !info.simulated) + (where ? `, ${where}` : "");
      const head = `${info.label} vs ${axis} at ${fixedText(axis, line.fixed)}, ${axis} in [${fmt(range[0])}, ${fmt(range[1])}], ${setting}`;
      const exponent = fit ? `exponent ${fmt(fit.slope)} [${fmt(fit.ci95[0])}, ${fmt(fit.ci95[1])}]` : "no exponent";
      out.push({
        estimator: info.id,
        axis,
        fixed: line.fixed,
        range,
        cells: line.items.length,
        used: points.length,
        excluded,
        fit,
        local,
        expected: info.expected[axis],
        verdict: verdictKind(fit, info.expected[axis]),
        sentence: `${head}: ${exponent}; ${verdictSentence(info, axis, fit, local, counts)}`,
      });
    }
  }
  return out;
}

/** The pooled exponent along `axis` over every line of `lines` (see fitCommonSlope). */
export function pooledLine(info: EstimatorInfo, axis: ScalingAxis, estimates: readonly CellEstimate[], regime: Regime, where?: string): PooledFit | null {
  const lines = linesAlong(estimates, axis);
  if (lines.length < 2) return null;
  const pointsOf = (items: readonly CellEstimate[]) => items.map((e) => toLogPoint(axis, e)).filter((p): p is LogPoint => p !== null);
  const perLine = lines.map((l) => pointsOf(l.items));
  const fit = fitCommonSlope(perLine);
  const local = perLine.flatMap(localExponents);
  const all = lines.flatMap((l) => l.items);
  const excluded = all.filter((e) => toLogPoint(axis, e) === null).map((e) => e.excluded ?? "no estimate");
  const other: ScalingAxis = axis === "lr" ? "gamma" : "lr";
  const range = (a: ScalingAxis) => {
    const xs = all.map((e) => e.at[a]);
    return `[${fmt(Math.min(...xs))}, ${fmt(Math.max(...xs))}]`;
  };
  const batches = [...new Set(all.map((e) => e.at.batch))];
  const setting = settingText(regime, { ...lines[0].fixed }, !info.simulated).replace(/^B=[^,]*/, `B=${batches.join(",")}`) + (where ? `, ${where}` : "");
  const head = `${info.label} vs ${axis}, ${lines.length} lines pooled (one exponent, an intercept per line), ${axis} in ${range(axis)}, ${other} in ${range(other)}, ${setting}`;
  const exponent = fit ? `exponent ${fmt(fit.slope)} [${fmt(fit.ci95[0])}, ${fmt(fit.ci95[1])}]` : "no exponent";
  const counts = { used: all.length - excluded.length, cells: all.length, excluded };
  return {
    estimator: info.id,
    axis,
    lines: lines.length,
    fit,
    expected: info.expected[axis],
    verdict: verdictKind(fit, info.expected[axis]),
    sentence: `${head}: ${exponent}; ${verdictSentence(info, axis, fit, local, counts)}`,
  };
}
