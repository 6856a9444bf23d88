import { predictCollapse, type PredictorInput } from "./predictor.ts";

/**
 * The diffusion predictor with its convergence check (docs/theory.md section 5): the prediction on the
 * given grid, again on a grid 1.5x finer in x, rho and time, and again with the cut-offs moved out
 * (rho: one more unit, i.e. gamma e times smaller and larger; r: 10x farther). The number is given only
 * when both change it by less than 1% (or 1e-4 absolutely); otherwise p is null and the reason says by
 * how much it moved.
 */
export interface CheckedPrediction {
  p: number | null;
  method: string;
  reason?: string;
  convergence?: { refined: number; cutoff: number; change: number; tolerance: number };
  ms: number;
}

export const RELATIVE_TOLERANCE = 0.01;
export const ABSOLUTE_TOLERANCE = 1e-4;

export function predictCollapseChecked(input: PredictorInput): CheckedPrediction {
  const t0 = performance.now();
  const base = predictCollapse(input);
  if (base.p === 1 || !(input.tau > 0)) return { p: base.p, method: base.method, ms: performance.now() - t0 };
  const g = input.grid ?? {};
  const refinedGrid = {
    ...g,
    xCells: Math.round(1.5 * (g.xCells ?? 240)),
    rhoCells: Math.round(1.5 * (g.rhoCells ?? 80)),
    timeSteps: Math.round(1.5 * (g.timeSteps ?? 200)),
  };
  const refined = predictCollapse({ ...input, grid: refinedGrid }).p;
  const cutoff = predictCollapse({ ...input, grid: { ...g, rhoMax: (g.rhoMax ?? 3) + 1, rMax: 10 * (g.rMax ?? 1000) } }).p;
  const change = Math.max(Math.abs(refined - base.p), Math.abs(cutoff - base.p));
  const tolerance = Math.max(RELATIVE_TOLERANCE * base.p, ABSOLUTE_TOLERANCE);
  const convergence = { refined, cutoff, change, tolerance };
  const ms = performance.now() - t0;
  if (change < tolerance) return { p: base.p, method: base.method, convergence, ms };
  const rel = (x: number) => (base.p > 0 ? `${(100 * Math.abs(x - base.p) / base.p).toPrecision(2)}%` : `${Math.abs(x - base.p).toExponential(1)}`);
  return {
    p: null,
    method: base.method,
    reason: `not converged: P = ${base.p.toPrecision(3)} moves by ${rel(refined)} on a 1.5x finer grid and by ${rel(cutoff)} with the cut-offs moved out (tolerance 1% or 1e-4)`,
    convergence,
    ms,
  };
}
