import * as D from "../../stats/det-math.ts";
import { batchSamples, stepLaw, type ActiveSetLawSpec, type StepLaw } from "./active-set-law.ts";
import { firstPassageProbabilities } from "./first-passage.ts";
import { makePolarGrid, quadraticWeights, xiOfPoint, type PolarGridSpec } from "./polar-grid.ts";
import { buildTransferKernel, type KernelSpec } from "./transfer-kernel.ts";

/**
 * The finite-step predictor (docs/theory.md section 6): P(first passage of r = beta/|gamma| to the
 * threshold within T steps) for plain SGD on the noise loss with Gaussian noise, ReLU or LeakyReLU, no
 * weight decay and a constant lr, from the exact one-step law of the (gamma, beta) chain iterated on a
 * grid. No small-step limit is taken: the same operator covers steps much smaller than gamma
 * (diffusive) and steps as large as gamma (the jumps into the dead cone).
 *
 * By the scale symmetry the chain lives on (a, b) = (|gamma|, beta) / (lr sigma): one operator per
 * (B, activation, threshold) serves every lr, gamma0, beta0, sigma and T.
 */
export interface FiniteStepStart {
  /** |gamma0| / (lr sigma) */
  a: number;
  /** beta0 / (lr sigma) */
  b: number;
  /** horizons T (steps) */
  steps: readonly number[];
}

export interface FiniteStepProblem {
  batch: number;
  /** LeakyReLU slope (0: ReLU) */
  alpha: number;
  /** collapse once r <= threshold; threshold < 0 */
  threshold: number;
  starts: readonly FiniteStepStart[];
  grid?: Partial<PolarGridSpec>;
  law?: Partial<ActiveSetLawSpec>;
  kernel?: Partial<KernelSpec>;
}

export interface FiniteStepSolution {
  /** p[i][j]: start i, horizon starts[i].steps[j] */
  p: number[][];
  method: string;
  grid: PolarGridSpec;
  law: ActiveSetLawSpec;
  kernel: KernelSpec;
  /** nodes, stored operator entries and quadrature points */
  size: { nodes: number; nnz: number; points: number };
  ms: { law: number; kernel: number; iterate: number };
}

export const FINITE_STEP_GRID: PolarGridSpec = { xiNodes: 60, sNodes: 80, lambda: 0.3, radialScale: 0.5, sMax: 7 };
export const FINITE_STEP_LAW: ActiveSetLawSpec = { tailNodes: 16, restSamples: 128, batchSamples: 2048, groups: 8, presample: "1" };
export const FINITE_STEP_KERNEL: KernelSpec = { apexRadius: 8, narrow: 0.3, hermite: 13 };

export function solveFiniteStep(problem: FiniteStepProblem): FiniteStepSolution {
  if (!(problem.threshold < 0)) throw new RangeError("finite-step predictor: the threshold on r must be negative");
  const law: ActiveSetLawSpec = { ...FINITE_STEP_LAW, ...problem.law };
  const kernel: KernelSpec = { ...FINITE_STEP_KERNEL, ...problem.kernel };
  const grid = coveringGrid({ ...FINITE_STEP_GRID, ...problem.grid }, problem.starts);
  const t0 = performance.now();
  const g = makePolarGrid(grid, problem.threshold);
  const samples = batchSamples(problem.batch, law);
  const laws: StepLaw[] = [];
  for (let k = 0; k < g.xiNodes; k++) laws.push(stepLaw(g.ratio[k], problem.alpha, samples));
  const t1 = performance.now();
  const op = buildTransferKernel(g, laws, kernel);
  const t2 = performance.now();
  const horizons = [...new Set(problem.starts.flatMap((s) => s.steps))].sort((x, y) => x - y);
  const readouts = problem.starts.map((s) => readout(g, s.a, s.b));
  const values = firstPassageProbabilities(op, horizons, readouts);
  const t3 = performance.now();
  const p = problem.starts.map((s, i) =>
    s.steps.map((T) => {
      if (s.b / s.a <= problem.threshold) return 1;
      if (!(T > 0)) return 0;
      return Math.min(1, Math.max(0, values[i][horizons.indexOf(T)]));
    }),
  );
  return {
    p,
    method: "finite-step transfer operator (exact one-step law of the (gamma, beta) chain)",
    grid,
    law,
    kernel,
    size: { nodes: g.size, nnz: op.nnz, points: op.points },
    ms: { law: t1 - t0, kernel: t2 - t1, iterate: t3 - t2 },
  };
}

/**
 * The grid spec with sMax raised, at the same spacing in s, until every start lies at least one unit of
 * s (a factor e in R) inside the grid.
 */
export function coveringGrid(spec: PolarGridSpec, starts: readonly FiniteStepStart[]): PolarGridSpec {
  const ds = spec.sMax / (spec.sNodes - 1);
  let need = spec.sMax;
  for (const s of starts) need = Math.max(need, D.asinh(D.hypot(s.a, s.b) / spec.radialScale) + 1);
  if (need <= spec.sMax) return spec;
  const sNodes = Math.ceil(need / ds) + 1;
  return { ...spec, sNodes, sMax: (sNodes - 1) * ds };
}

function readout(g: ReturnType<typeof makePolarGrid>, a: number, b: number): { nodes: Int32Array; weights: Float64Array } {
  const nodes = new Int32Array(9), weights = new Float64Array(9);
  if (!(b / a > g.threshold)) return { nodes, weights };
  const wx = new Float64Array(3), ws = new Float64Array(3);
  const ix = quadraticWeights((xiOfPoint(a, b, g.lambda) - g.xiLow) / g.dXi, g.xiNodes, wx);
  const is = quadraticWeights(D.asinh(D.hypot(a, b) / g.radialScale) / g.dS, g.sNodes, ws);
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < 3; i++) {
      nodes[3 * j + i] = (is + j) * g.xiNodes + ix + i;
      weights[3 * j + i] = ws[j] * wx[i];
    }
  }
  return { nodes, weights };
}
