import type { FitReport } from "./fit-sweep.ts";
import type { LocalExponent } from "./local.ts";
import { fmt } from "./regime.ts";
import { ESTIMATOR_TAG, type SummaryRow } from "./summary.ts";
import { estimateText, gofPText } from "./verdict.ts";

/**
 * The fit report as text for a reader: the regime, the summary table (estimator x axis), the
 * methods and rules, then one sentence per pooled fit and per line of the grid, and the collapse test.
 */
export function fitReportText(r: FitReport, source: string): string {
  const g = r.regime;
  const out: string[] = [];
  out.push(`bn-collapse fit: scaling exponents of ${source}`);
  out.push(
    `Regime: lr in [${fmt(g.lr[0])}, ${fmt(g.lr[1])}], gamma0 in [${fmt(g.gamma[0])}, ${fmt(g.gamma[1])}], B = ${g.batch.join(",")}, T = ${g.steps}, ` +
      `${g.optimizer}${g.weightDecay.some((w) => w !== 0) ? ` (weight decay ${g.weightDecay.join(",")})` : ""}, collapse ${g.collapse}, noise ${g.noise}, loss ${g.loss}, ${g.model} model, ${g.trials} trajectories per cell, seed ${g.seed}.`,
  );
  out.push(`The paper's law (P ~ lr^2/gamma^2) implies exponents +2 in lr and -2 in gamma for probabilities and drifts, -2 and +2 for the median time.`);
  out.push("");
  out.push("Summary (the headline fit per estimator and axis: pooled over the grid's lines, one exponent and an intercept per line; 95% profile-likelihood intervals):");
  out.push(...summaryTable(r.summary));
  out.push("");
  out.push(`Fits. ${r.rules.counts}. ${capital(r.rules.drift)}. ${capital(r.rules.median)}.`);
  out.push(`Verdicts: ${r.rules.verdicts}.`);
  out.push(`Multiplicity: ${r.rules.multiplicity}.`);
  out.push(`Estimators (c) and (d) ran fresh one-step simulations: ${r.simulation.trials} runs per cell with the sweep's seed ${r.simulation.seed} (${r.simulation.seconds.toFixed(1)} s; --trials sets the number).`);
  for (const e of r.estimators) {
    out.push("");
    out.push(`${ESTIMATOR_TAG[e.info.id]} ${e.info.label}: ${e.info.quantity}. Expected exponents: ${signed(e.info.expected.lr)} in lr, ${signed(e.info.expected.gamma)} in gamma.`);
    out.push(`    method: ${e.method}`);
    for (const axis of ["lr", "gamma"] as const) {
      const lines = e.lines.filter((l) => l.axis === axis);
      if (lines.length === 0) continue;
      const tally = tallyText(lines.map((l) => l.verdict));
      out.push(`  in ${axis} (${lines.length} line${lines.length > 1 ? "s" : ""}: ${tally}):`);
      const pooled = e.pooled[axis];
      if (pooled) out.push(`  * ${pooled.sentence}`);
      for (const l of lines) {
        out.push(`  - ${l.sentence}`);
        if (l.local.length > 0) out.push(`      local: ${l.local.map(localEntry).join("; ")}`);
      }
    }
  }
  out.push("");
  out.push(r.collapse.sentence);
  return out.join("\n") + "\n";
}

/** "0.05-0.0758: 3.33 [2.17, 4.5]", "0.05-0.0758: > 2.1 (no collapse at 0.05)" */
export function localEntry(l: LocalExponent): string {
  const span = `${fmt(l.from)}-${fmt(l.to)}`;
  if (l.slope !== null) return `${span}: ${estimateText(l.slope, l.ci95)}`;
  const [lo, hi] = l.ci95;
  if (lo !== null) return `${span}: > ${fmt(lo)} (${l.note})`;
  if (hi !== null) return `${span}: < ${fmt(hi)} (${l.note})`;
  return `${span}: none (${l.note})`;
}

function tallyText(verdicts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/**
 * One summary row as table cells: estimator, axis, law, exponent, 95% interval, cells, goodness of
 * fit, verdict, line verdicts. Where the power law is rejected the exponent cell gives the range of
 * the local exponents instead (one exponent of a bending curve is not a result).
 */
export function summaryCells(r: SummaryRow): string[] {
  const rejected = r.verdict === "not a power law";
  const exponent = rejected
    ? r.local ? `local ${fmt(r.local[0])} to ${fmt(r.local[1])}` : "-"
    : r.exponent === null ? (r.ci95 ? (r.ci95[0] !== null ? `> ${fmt(r.ci95[0])}` : `< ${fmt(r.ci95[1]!)}`) : "-") : estimateText(r.exponent, r.ci95 ?? [null, null]).split(" ")[0];
  return [
    r.estimator,
    r.axis,
    signed(r.expected),
    exponent,
    r.ci95 && r.exponent !== null && !rejected ? estimateText(r.exponent, r.ci95).split(" ").slice(1).join(" ") : "-",
    `${r.used}/${r.cells}`,
    r.gof ? `${fmt(r.gof.statistic)}/${r.gof.dof} dof, ${gofPText(r.gof)}${r.gof.reference === "chi-square" ? "" : " (bootstrap)"}` : "-",
    r.verdict,
    tallyText(Object.entries(r.lineVerdicts).flatMap(([k, n]) => Array(n).fill(k))),
  ];
}

/** The summary as an aligned plain-text table. */
export function summaryTable(rows: readonly SummaryRow[]): string[] {
  const header = ["estimator", "axis", "law", "exponent", "95% interval", "cells", "goodness of fit", "verdict", "lines"];
  const body = rows.map(summaryCells);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => "  " + cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
}

const signed = (x: number) => (x > 0 ? `+${x}` : `${x}`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
