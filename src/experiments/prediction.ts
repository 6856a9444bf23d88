import { cellProblem } from "../ensemble/problem.ts";
import { VERSION, type SweepResult } from "../solution/result.ts";
import type { PredictedPoint } from "../plot/data.ts";
import { predictCollapseChecked } from "../theory/checked-prediction.ts";
import { ratioThreshold } from "../theory/criterion-threshold.ts";
import { FINITE_STEP_GRID, FINITE_STEP_KERNEL, FINITE_STEP_LAW, solveFiniteStep, type FiniteStepStart } from "../theory/finite-step/finite-step-predictor.ts";
import { diffusionScope, finiteStepScope } from "../theory/predictor-scope.ts";
import { tau } from "../theory/scaling.ts";
import type { ResultCache } from "./cache.ts";
import type { Mode } from "./types.ts";

/** Points per predicted line: per series for the finite-step predictor, per (B, r0, threshold) for the diffusion. */
export const PREDICTED_POINTS: Record<Mode, number> = { quick: 12, full: 24 };

/** A measured cell of the data-collapse figure, with what the finite-step predictor says of it. */
export interface PredictedCell {
  series: string;
  lr: number;
  gamma: number;
  batch: number;
  steps: number;
  tau: number;
  trials: number;
  p: number;
  /** the finite-step prediction (null outside its scope) */
  predicted: number | null;
}

/** One line of predictions. The finite-step predictor's P is not a function of tau alone: one line per series. */
export interface PredictedCurve {
  label: string;
  /** "finite-step" (one per measured series, in its colour) or "diffusion" (one per (B, r0, threshold), black) */
  method: "finite-step" | "diffusion";
  series?: string;
  batch: number;
  r0: number;
  threshold: number;
  points: PredictedPoint[];
  cached: boolean;
}

export interface Predictions {
  curves: PredictedCurve[];
  cells: PredictedCell[];
  /** why cells have no finite-step or no diffusion prediction (each reason once) */
  skipped: { finiteStep: string[]; diffusion: string[] };
}

/** `n` log-spaced values from a to b (a alone when they coincide). */
function logSpaced(a: number, b: number, n: number): number[] {
  if (!(b > a) || n < 2) return [a];
  return Array.from({ length: n }, (_, i) => Number((a * (b / a) ** (i / (n - 1))).toPrecision(6)));
}

interface Group {
  batch: number;
  alpha: number;
  threshold: number;
  r0s: Set<number>;
  cells: { cell: PredictedCell; a: number; b: number }[];
  /** per series: its T, r0, gamma0 and lr range */
  series: Map<string, { steps: number; r0: number; gamma: number; sigma: number; lrs: number[] }>;
}

/**
 * The predictions of the data-collapse figure: for every measured cell the finite-step prediction, and
 * for every series a finite-step line over the series' lr range (at its gamma0, T, r0), from one
 * operator per (B, activation, threshold), cached under its inputs; the diffusion predictor's P(tau)
 * only where its small-step limit exists (predictor-scope.ts) and each point passes its convergence
 * check. `seriesOf` names the measured series a cell is drawn in.
 */
export async function predictions(
  sweeps: readonly SweepResult[],
  seriesOf: (result: SweepResult, cell: SweepResult["cells"][number]) => string,
  mode: Mode,
  cache: ResultCache,
): Promise<Predictions> {
  const groups = new Map<string, Group>();
  const cells: PredictedCell[] = [];
  const skipFinite = new Set<string>(), skipDiffusion = new Set<string>();
  const diffusionGroups = new Map<string, { batch: number; r0: number; threshold: number; alpha: number; taus: number[] }>();
  for (const result of sweeps) {
    for (const c of result.cells) {
      if (c.p === null) continue;
      const problem = cellProblem(result.template, c);
      const sigma = problem.loss.kind === "noise" ? problem.loss.noise.sigma : problem.loss.labelNoise;
      const series = seriesOf(result, c);
      const cell: PredictedCell = {
        series, lr: c.lr, gamma: c.gamma, batch: c.batch, steps: problem.steps,
        tau: tau(c.lr, sigma, problem.steps, problem.batch, problem.gamma0), trials: c.trials - c.nonFinite, p: c.p, predicted: null,
      };
      cells.push(cell);
      const alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
      const threshold = ratioThreshold(problem.collapse, problem.batch);
      const r0 = problem.beta0 / Math.abs(problem.gamma0);
      const whyDiffusion = diffusionScope(problem);
      if (whyDiffusion) skipDiffusion.add(whyDiffusion);
      else {
        const key = `${problem.batch};${r0};${threshold};${alpha}`;
        if (!diffusionGroups.has(key)) diffusionGroups.set(key, { batch: problem.batch, r0, threshold: threshold!, alpha, taus: [] });
        diffusionGroups.get(key)!.taus.push(cell.tau);
      }
      const whyFinite = finiteStepScope(problem);
      if (whyFinite) {
        skipFinite.add(whyFinite);
        continue;
      }
      const key = `${problem.batch};${threshold};${alpha}`;
      if (!groups.has(key)) groups.set(key, { batch: problem.batch, alpha, threshold: threshold!, r0s: new Set(), cells: [], series: new Map() });
      const g = groups.get(key)!;
      const unit = c.lr * sigma;
      g.cells.push({ cell, a: Math.abs(problem.gamma0) / unit, b: problem.beta0 / unit });
      g.r0s.add(r0);
      const s = g.series.get(series) ?? { steps: problem.steps, r0, gamma: Math.abs(problem.gamma0), sigma, lrs: [] };
      s.lrs.push(c.lr);
      g.series.set(series, s);
    }
  }
  const curves: PredictedCurve[] = [];
  for (const g of groups.values()) curves.push(...(await finiteStepGroup(g, mode, cache)));
  for (const d of diffusionGroups.values()) {
    const curve = await diffusionCurve(d, mode, cache, diffusionGroups.size > 1);
    if (curve) curves.push(curve);
  }
  return { curves, cells, skipped: { finiteStep: [...skipFinite], diffusion: [...skipDiffusion] } };
}

async function finiteStepGroup(g: Group, mode: Mode, cache: ResultCache): Promise<PredictedCurve[]> {
  const starts: FiniteStepStart[] = g.cells.map((c) => ({ a: c.a, b: c.b, steps: [c.cell.steps] }));
  const lines = [...g.series.entries()].map(([name, s]) => {
    const lrs = logSpaced(Math.min(...s.lrs), Math.max(...s.lrs), PREDICTED_POINTS[mode]);
    for (const lr of lrs) starts.push({ a: s.gamma / (lr * s.sigma), b: (s.r0 * s.gamma) / (lr * s.sigma), steps: [s.steps] });
    return { name, s, lrs };
  });
  const problem = { batch: g.batch, alpha: g.alpha, threshold: g.threshold, starts };
  const key = { version: VERSION, method: "finite-step", grid: FINITE_STEP_GRID, law: FINITE_STEP_LAW, kernel: FINITE_STEP_KERNEL, problem };
  const got = await cache.get("predict-finite-step", key, async () => solveFiniteStep(problem).p.map((row) => row[0]));
  g.cells.forEach((c, i) => (c.cell.predicted = got.value[i]));
  let at = g.cells.length;
  return lines.map(({ name, s, lrs }) => {
    const points = lrs.map((lr) => ({ tau: tau(lr, s.sigma, s.steps, g.batch, s.gamma), p: got.value[at++], curve: name }));
    return { label: name, method: "finite-step" as const, series: name, batch: g.batch, r0: s.r0, threshold: g.threshold, points, cached: got.cached };
  });
}

async function diffusionCurve(
  d: { batch: number; r0: number; threshold: number; alpha: number; taus: number[] },
  mode: Mode,
  cache: ResultCache,
  manyR0: boolean,
): Promise<PredictedCurve | null> {
  const grid = logSpaced(Math.min(...d.taus), Math.max(...d.taus), Math.ceil(PREDICTED_POINTS[mode] / 3));
  const inputs = { r0: d.r0, batch: d.batch, alpha: d.alpha, threshold: d.threshold, moments: "finite" as const };
  const got = await cache.get("predict", { version: VERSION, predictor: "kolmogorov-2d, checked, continuous monitoring", ...inputs, taus: grid }, async () =>
    grid.map((t) => predictCollapseChecked({ ...inputs, tau: t }).p),
  );
  const label = `diffusion limit, B = ${d.batch}${manyR0 ? `, r₀ = ${d.r0}` : ""}`;
  const points = grid.flatMap((t, i) => (got.value[i] === null ? [] : [{ tau: t, p: got.value[i] as number, curve: label }]));
  return points.length ? { label, method: "diffusion", batch: d.batch, r0: d.r0, threshold: d.threshold, points, cached: got.cached } : null;
}

/** |MC - prediction| / SE per cell, the SE binomial at the larger of the two (so a cell with no collapse still has one). */
export function predictionZ(c: PredictedCell): number | null {
  if (c.predicted === null) return null;
  const q = Math.max(c.p, c.predicted, 1 / c.trials);
  return Math.abs(c.p - c.predicted) / Math.sqrt((q * (1 - q)) / c.trials);
}

/** A curve's P at tau, interpolated in log tau (and in log P where both ends are positive); null outside its range. */
export function predictedAt(curve: Pick<PredictedCurve, "points">, t: number): number | null {
  const pts = curve.points;
  if (pts.length === 1) return Math.abs(pts[0].tau - t) <= 1e-9 * t ? pts[0].p : null;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    if (t >= a.tau * (1 - 1e-9) && t <= b.tau * (1 + 1e-9)) {
      const w = Math.min(1, Math.max(0, Math.log(t / a.tau) / Math.log(b.tau / a.tau)));
      return a.p > 0 && b.p > 0 ? a.p * (b.p / a.p) ** w : a.p + w * (b.p - a.p);
    }
  }
  return null;
}

const fmt = (x: number) => (x === 0 ? "0" : Math.abs(x) >= 1e-3 ? Number(x.toPrecision(3)).toString() : x.toExponential(1));

/** What the figure's lines are, and how far the measured cells are from the finite-step predictor. */
export function predictionSentences(pred: Predictions): string[] {
  const out: string[] = [];
  const rated = pred.cells.filter((c) => c.predicted !== null).map((c) => ({ c, z: predictionZ(c)! }));
  if (rated.length) {
    const worst = rated.reduce((a, b) => (b.z > a.z ? b : a));
    const within = rated.filter((x) => x.z <= 2).length;
    const relative = rated.filter((x) => x.z <= 2 || Math.abs(x.c.p - x.c.predicted!) <= 0.1 * x.c.predicted!).length;
    out.push(
      "Lines: src/theory's finite-step predictor (docs/theory.md section 6), P(collapse by T) from the exact one-step law of the (γ, β) chain of plain SGD iterated on a grid, no small-step limit; one line per series, over its η range at its γ₀ and T (P is not a function of τ alone, so each series has its own line).",
      `Measured against it, |MC − predictor| / SE (binomial SE at the larger of the two, or at 1/n): ${within} of ${rated.length} cells within 2 SE, ${relative} within 2 SE or 10%; the largest is ${fmt(worst.z)} at ${worst.c.series}, η = ${worst.c.lr} (MC ${fmt(worst.c.p)} of ${worst.c.trials}, predictor ${fmt(worst.c.predicted!)}). With this many cells a few beyond 2 SE are expected by chance.`,
    );
  }
  for (const c of pred.curves.filter((x) => x.method === "diffusion")) {
    out.push(`Black: the small-step (diffusion) limit for B = ${c.batch}, threshold r = ${fmt(c.threshold)}, where it exists and converged.`);
  }
  if (pred.skipped.diffusion.length) out.push(`No small-step (diffusion) line: ${mergeByBatch(pred.skipped.diffusion).join("; ")}.`);
  if (pred.skipped.finiteStep.length) out.push(`Cells without a finite-step prediction: ${pred.skipped.finiteStep.join("; ")}.`);
  return out;
}

/** Reasons that differ only in "B = n" said once, with the n listed. */
function mergeByBatch(reasons: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const r of reasons) {
    const m = /B = (\d+)/.exec(r);
    const key = m ? r.replace(/B = \d+/, "B = #") : r;
    groups.set(key, [...(groups.get(key) ?? []), m ? m[1] : ""]);
  }
  return [...groups.entries()].map(([key, bs]) => key.replace("B = #", `B = ${bs.join(", ")}`));
}
