import type { UnitProblem } from "../model/problem.ts";
import { predictCollapseChecked } from "./checked-prediction.ts";
import { ratioThreshold } from "./criterion-threshold.ts";
import { solveFiniteStep, type FiniteStepStart } from "./finite-step/finite-step-predictor.ts";
import type { MomentsKind } from "./moments-choice.ts";
import { perStepTheory } from "./per-step.ts";
import { diffusionScope, finiteStepScope } from "./predictor-scope.ts";
import { tau } from "./scaling.ts";

/**
 * Everything `bn-collapse theory` says about one cell (docs/theory.md): the per-step moments at the
 * initial state, tau, and the collapse probability by T from two predictors, each either a number with
 * its method (and, for the diffusion, its convergence check) or null with the reason.
 */
export interface TheoryCell {
  lr: number;
  gamma: number;
  beta: number;
  batch: number;
  weightDecay: number;
  signal: number;
  steps: number;
  tau: number;
  perStep: PerStepReport;
  diffusion: PredictionReport;
  finiteStep: PredictionReport;
}

export interface PerStepReport {
  driftR: number | null;
  varR: number | null;
  driftSparsity: number | null;
  varSparsity: number | null;
  method: string;
  reason?: string;
}

export interface PredictionReport {
  p: number | null;
  method: string;
  reason?: string;
  /** diffusion: P on a 1.5x finer grid and with the cut-offs moved out, the larger change, the tolerance */
  convergence?: { refined: number; cutoff: number; change: number; tolerance: number };
  /** finite-step: what the method's accuracy is known to be */
  accuracy?: string;
  /** finite-step with the check: P on the 1.5x finer grid */
  refined?: number;
  ms?: number;
}

export interface TheoryOptions {
  moments: MomentsKind;
  diffusion: "2d" | "1d" | "none";
  finiteStep: "on" | "off" | "check";
  /** notes on long work (the CLI prints them on stderr) */
  note?: (message: string) => void;
}

/** The finite-step operator costs ~1 s per 1000 steps on one core at B = 32; beyond this it is not run. */
export const FINITE_STEP_MAX_STEPS = 50000;

export const FINITE_STEP_ACCURACY =
  "exact one-step law; numerical error below 1% at the reference states of docs/theory.md section 6 (largest 0.6% against 10^5-10^6 Monte Carlo trajectories), and about 1e-5 absolute: smaller P are not resolved";

export interface TheoryInputCell {
  at: { lr: number; gamma: number; beta: number; batch: number; weightDecay: number; signal: number };
  problem: UnitProblem;
}

export function theoryCells(cells: readonly TheoryInputCell[], options: TheoryOptions): TheoryCell[] {
  const finite = finiteStepReports(cells, options);
  return cells.map(({ at, problem }, i) => {
    const sigma = noiseScale(problem);
    const alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
    const t = tau(at.lr, sigma, problem.steps, at.batch, at.gamma);
    return {
      lr: at.lr, gamma: at.gamma, beta: at.beta, batch: at.batch, weightDecay: at.weightDecay, signal: at.signal,
      steps: problem.steps,
      tau: t,
      perStep: perStepReport(problem, at, sigma, alpha, options.moments),
      diffusion: diffusionReport(problem, t, alpha, sigma, options),
      finiteStep: finite[i],
    };
  });
}

function noiseScale(problem: UnitProblem): number {
  return problem.loss.kind === "noise" ? problem.loss.noise.sigma : problem.loss.labelNoise;
}

function perStepReport(problem: UnitProblem, at: TheoryInputCell["at"], sigma: number, alpha: number, moments: MomentsKind): PerStepReport {
  const why = perStepScope(problem);
  if (why) return { driftR: null, varR: null, driftSparsity: null, varSparsity: null, method: "none", reason: why };
  const s = perStepTheory({ lr: at.lr, gamma: at.gamma, beta: at.beta, batch: at.batch, sigma, alpha, signal: at.signal, weightDecay: at.weightDecay, moments });
  return {
    driftR: s.driftR, varR: s.varR, driftSparsity: s.driftSparsity, varSparsity: s.varSparsity,
    method: `one SGD step from the initial state to second order in lr (${moments} moments)`,
  };
}

/** Where the per-step formulas of docs/theory.md section 1 are not derived. */
function perStepScope(problem: UnitProblem): string | null {
  const o = problem.optimizer;
  if (o.kind === "momentum") return "momentum: one step's law depends on the buffer as well as the state (only the first step, with the buffer equal to g, is plain SGD's); not derived";
  if (o.kind === "adam" || o.kind === "adamw") return `${o.kind}: the normalised step is not derived`;
  if (o.schedule.kind !== "constant") return "a learning-rate schedule: the formulas take a constant lr";
  if ((problem.phases?.length ?? 0) > 0) return "training phases: the formulas take one phase";
  if (problem.loss.kind !== "noise") return "teacher loss: the upstream gradient depends on the state; not derived";
  if (problem.norm && problem.norm.kind !== "bn") return `norm ${problem.norm.kind}: derived for plain BN only`;
  return null;
}

function diffusionReport(problem: UnitProblem, t: number, alpha: number, sigma: number, options: TheoryOptions): PredictionReport {
  if (options.diffusion === "none") return { p: null, method: "none", reason: "--predictor none" };
  const method = `kolmogorov-${options.diffusion}`;
  const why = diffusionScope(problem);
  if (why) return { p: null, method, reason: why };
  const kappa0 = (problem.optimizer.lr * problem.optimizer.lr * sigma * sigma) / (problem.batch * problem.gamma0 * problem.gamma0);
  const c = predictCollapseChecked({
    r0: problem.beta0 / Math.abs(problem.gamma0), tau: t, batch: problem.batch, alpha,
    threshold: ratioThreshold(problem.collapse, problem.batch)!,
    moments: options.moments, monitoringKappa: kappa0, dims: options.diffusion,
  });
  return { p: c.p, method: c.method, reason: c.reason, convergence: c.convergence, ms: Math.round(c.ms) };
}

/** The finite-step predictions, one operator per (B, activation, threshold) shared by its cells. */
function finiteStepReports(cells: readonly TheoryInputCell[], options: TheoryOptions): PredictionReport[] {
  const method = "finite-step transfer operator";
  const out: PredictionReport[] = cells.map(() => ({ p: null, method: "none", reason: "--finite-step off" }));
  if (options.finiteStep === "off") return out;
  const groups = new Map<string, { batch: number; alpha: number; threshold: number; members: number[]; starts: FiniteStepStart[] }>();
  cells.forEach(({ problem }, i) => {
    const why = finiteStepScope(problem);
    if (why) {
      out[i] = { p: null, method, reason: why };
      return;
    }
    if (problem.steps > FINITE_STEP_MAX_STEPS) {
      out[i] = { p: null, method, reason: `T = ${problem.steps} steps: the operator is applied once per step; not run beyond ${FINITE_STEP_MAX_STEPS}` };
      return;
    }
    const alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
    const threshold = ratioThreshold(problem.collapse, problem.batch)!;
    const key = `${problem.batch};${alpha};${threshold}`;
    if (!groups.has(key)) groups.set(key, { batch: problem.batch, alpha, threshold, members: [], starts: [] });
    const g = groups.get(key)!, unit = problem.optimizer.lr * noiseScale(problem);
    g.members.push(i);
    g.starts.push({ a: Math.abs(problem.gamma0) / unit, b: problem.beta0 / unit, steps: [problem.steps] });
  });
  for (const g of groups.values()) {
    const problem = { batch: g.batch, alpha: g.alpha, threshold: g.threshold, starts: g.starts };
    const sol = solveFiniteStep(problem);
    const ms = sol.ms.law + sol.ms.kernel + sol.ms.iterate;
    options.note?.(`finite-step operator for B = ${g.batch}: ${sol.size.nodes} nodes, ${(sol.size.nnz / 1e6).toFixed(2)}M entries, built in ${((sol.ms.law + sol.ms.kernel) / 1000).toFixed(1)} s, ${Math.max(...g.starts.map((s) => s.steps[0]))} steps in ${(sol.ms.iterate / 1000).toFixed(1)} s`);
    const fine = options.finiteStep === "check" ? solveFiniteStep({ ...problem, grid: { xiNodes: 90, sNodes: 120 } }) : null;
    g.members.forEach((i, k) => {
      out[i] = { p: sol.p[k][0], method: `${method} (${sol.size.nodes} nodes)`, accuracy: FINITE_STEP_ACCURACY, ms: Math.round(ms) };
      if (fine) out[i].refined = fine.p[k][0];
    });
  }
  return out;
}
