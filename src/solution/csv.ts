import { LIST_FIELDS } from "../config/fields.ts";
import type { CellResult, SweepResult } from "./result.ts";

/** The columns after the axes, each with how it is read from a cell. */
const STATISTICS: [string, (c: CellResult) => number | null][] = [
  ["trials", (c) => c.trials],
  ["collapsed", (c) => c.collapsed],
  ["nonFinite", (c) => c.nonFinite],
  ["p", (c) => c.p],
  ["se", (c) => c.se],
  ["ci95_lo", (c) => c.ci95[0]],
  ["ci95_hi", (c) => c.ci95[1]],
  ["fp_median", (c) => c.firstPassage.median],
  ["fp_q25", (c) => c.firstPassage.q25],
  ["fp_q75", (c) => c.firstPassage.q75],
  ["fp_mean_collapsed", (c) => c.firstPassage.meanCollapsed],
  ["mean_steps", (c) => c.meanSteps],
];

const cell = (v: number | null) => (v === null || Number.isNaN(v) ? "" : String(v));

/** One row per cell, the axes first; empty fields where a value is undefined (a median never reached). */
export function sweepToCsv(result: SweepResult): string {
  const header = [...LIST_FIELDS, ...STATISTICS.map(([name]) => name)].join(",");
  const rows = result.cells.map((c) => {
    let row = "";
    for (const a of LIST_FIELDS) row += `${cell(c[a])},`;
    for (const [, read] of STATISTICS) row += `${cell(read(c))},`;
    return row.slice(0, -1);
  });
  return [header, ...rows].join("\n") + "\n";
}
