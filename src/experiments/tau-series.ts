import type { SweepResult } from "../solution/result.ts";

/**
 * The series a cell is drawn in on the data-collapse figure: its batch size and horizon, and its
 * gamma0 when the sweep has several or it is not 1.
 */
export function tauSeries(result: SweepResult, cell: { batch: number; gamma: number }): string {
  const multi = result.config.gamma.length > 1;
  return `B = ${cell.batch}, T = ${result.config.steps}${multi || cell.gamma !== 1 ? `, γ₀ = ${cell.gamma}` : ""}`;
}
