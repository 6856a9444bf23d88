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

/** Columns added where the cells were estimated by AMS (AmsStatistics); absent otherwise, so MC output is unchanged. */
const AMS_STATISTICS: [string, (c: CellResult) => number | null][] = [
  ["ams_runs", (c) => c.ams?.runs ?? null],
  ["ams_replicas", (c) => c.ams?.replicas ?? null],
  ["ams_kill", (c) => c.ams?.kill ?? null],
  ["ams_relative_se", (c) => c.ams?.relativeSe ?? null],
  ["ams_iterations_mean", (c) => c.ams?.iterations.mean ?? null],
  ["ams_work_steps", (c) => c.ams?.work.steps ?? null],
  ["ams_work_sample_steps", (c) => c.ams?.work.sampleSteps ?? null],
  ["ams_distinct_ancestors", (c) => c.ams?.distinctAncestors.total ?? null],
  ["ams_runs_extinct", (c) => c.ams?.runsExtinct ?? null],
  ["ams_warnings", (c) => c.ams?.warnings.length ?? null],
];

const cell = (v: number | null) => (v === null || Number.isNaN(v) ? "" : String(v));

/** One row per cell, the axes first; empty fields where a value is undefined (a median never reached). */
export function sweepToCsv(result: SweepResult): string {
  return [...sweepCsvChunks(result)].join("");
}

/** The same text as sweepToCsv, a row at a time (a grid of any size is written without one long string). */
export function* sweepCsvChunks(result: SweepResult): Generator<string> {
  const columns = result.cells.some((c) => c.ams !== undefined) ? [...STATISTICS, ...AMS_STATISTICS] : STATISTICS;
  yield [...LIST_FIELDS, ...columns.map(([name]) => name)].join(",") + "\n";
  for (const c of result.cells) {
    let row = "";
    for (const a of LIST_FIELDS) row += `${cell(c[a])},`;
    for (const [, read] of columns) row += `${cell(read(c))},`;
    yield row.slice(0, -1) + "\n";
  }
}
