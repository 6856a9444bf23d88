import type { SweepResult } from "./result.ts";

const COLUMNS = [
  "lr", "gamma", "beta", "batch", "weightDecay", "signal",
  "trials", "collapsed", "nonFinite", "p", "se", "ci95_lo", "ci95_hi",
  "fp_median", "fp_q25", "fp_q75", "fp_mean_collapsed", "mean_steps",
] as const;

const cell = (v: number | null) => (v === null || Number.isNaN(v) ? "" : String(v));

/** One row per cell; empty fields where a value is undefined (a median never reached). */
export function sweepToCsv(result: SweepResult): string {
  const rows = result.cells.map((c) =>
    [
      c.lr, c.gamma, c.beta, c.batch, c.weightDecay, c.signal,
      c.trials, c.collapsed, c.nonFinite, c.p, c.se, c.ci95[0], c.ci95[1],
      c.firstPassage.median, c.firstPassage.q25, c.firstPassage.q75, c.firstPassage.meanCollapsed, c.meanSteps,
    ].map(cell).join(","),
  );
  return [COLUMNS.join(","), ...rows].join("\n") + "\n";
}
