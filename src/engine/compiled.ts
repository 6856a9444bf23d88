import { criterionShift, criterionTest } from "../model/criteria.ts";
import type { Loss, Optimizer, UnitProblem } from "../model/problem.ts";
import { tabulateLearningRate } from "../model/schedule.ts";
import { algorithmOf, type Algorithm } from "./algorithm.ts";
import type { LayerKernel } from "./layer-gradients.ts";
import { stepLawTables, type StepLawTables } from "./step-law.ts";

/**
 * A problem lowered to numbers for the step loop (src/engine/step.ts), in three parts that never mix:
 * the unit's constants, one record per training phase (optimiser, loss, horizon), and scratch
 * buffers. What changes during a run is not here but in a UnitState (src/engine/state.ts), so one
 * Compiled serves every trajectory of its problem on one thread.
 */

export const OPT_SGD = 0;
export const OPT_MOMENTUM = 1;
export const OPT_ADAM = 2;
export const OPT_ADAMW = 3;
const OPT_CODE = { sgd: OPT_SGD, momentum: OPT_MOMENTUM, adam: OPT_ADAM, adamw: OPT_ADAMW } as const;

/** Norm codes (src/engine/psbn.ts): 0 is plain BN, which takes no extra work per step. */
export const NORM_BN = 0;
export const NORM_REVIVE = 1;
export const NORM_RSHIFT = 2;
export const NORM_PSBN = 3;
const NORM_CODE = { bn: NORM_BN, revive: NORM_REVIVE, rshift: NORM_RSHIFT, psbn: NORM_PSBN } as const;

/** Which gradient the step draws: a fresh batch through BN, the reduced law in r, or a layer of units. */
export const MODEL_MECHANISTIC = 0;
export const MODEL_REDUCED = 1;
export const MODEL_LAYER = 2;

/** Trajectories the reduced model runs side by side (src/engine/reduced-lanes.ts). */
export const LANES = 16;

/** The unit, the same in every phase and trajectory. Parameters are p = [gamma, beta, w_0 .. w_{d-1}]. */
export interface UnitConstants {
  readonly batch: number;
  readonly bnEps: number;
  /** activation slope for y <= 0 (0 = ReLU) */
  readonly alpha: number;
  /** 0: h ~ N(0, 1) directly; d: h = w . x with x ~ N(0, I_d) */
  readonly inputDim: number;
  /** sqrt(B - 1): |xhat_i| < sideBound for every batch */
  readonly sideBound: number;
  /** NORM_* */
  readonly norm: number;
  readonly reviveMargin: number;
  readonly revivePatience: number;
  /**
   * psBN's alpha (else 0): the state holds the effective shift beta + shift in p[1], and outcomes
   * and paths report the trained beta = p[1] - shift (src/engine/psbn.ts)
   */
  readonly shift: number;
  /** ON_RATIO or ON_GAMMA (src/model/criteria.ts) and its threshold */
  readonly criterionOn: number;
  readonly criterionThreshold: number;
  readonly gamma0: number;
  /** the state's start: problem.beta0 + shift */
  readonly beta0: number;
  readonly w0: Float64Array;
  /** the teacher's feature direction (linear input with the teacher loss) */
  readonly teacherW: Float64Array;
}

/** One training phase: its optimiser, loss and horizon (the last phase is the problem's own). */
export interface PhaseConstants {
  readonly steps: number;
  /** learning rate of each update t = 0 .. steps - 1 of the phase */
  readonly lr: Float64Array;
  /** OPT_* */
  readonly optimizer: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly adamEps: number;
  /** the optimiser's buffers and age carry in from the phase before (keepOptimizerState) */
  readonly keepsState: boolean;
  /** the last phase: the criterion is checked and first passages count its updates */
  readonly last: boolean;
  // the upstream gradient delta_i = mean_i + noiseScale * noise_i
  readonly teacher: boolean;
  readonly signal: number;
  readonly readout: number;
  readonly teacherGamma: number;
  readonly teacherBeta: number;
  /** sigma, or readout * labelNoise for the teacher */
  readonly noiseScale: number;
  /** 0 for Gaussian noise */
  readonly studentNu: number;
  readonly studentScale: number;
  readonly noisePerSqrtBatch: number;
  /** the mechanistic model draws the two gradient sums given the batch instead of B noises */
  readonly exactSum: boolean;
}

/** Buffers the step overwrites: nothing in them survives from one step to the next. */
export interface Scratch {
  readonly h: Float64Array;
  /** batch x inputDim, row-major */
  readonly x: Float64Array;
  readonly xhat: Float64Array;
  readonly hTeacher: Float64Array;
  readonly xhatTeacher: Float64Array;
  /** dL/dy_i */
  readonly dy: Float64Array;
  readonly dxhat: Float64Array;
  readonly dh: Float64Array;
  readonly draws: Float64Array;
  /** the gradient of every parameter of a state, laid out as its p */
  readonly g: Float64Array;
  /** the reduced model's exact law beyond its tables */
  readonly law: Float64Array;
}

export interface Compiled {
  /** MODEL_*: the algorithm's gradient */
  readonly model: number;
  /** units a state of this run holds: LANES for the reduced model on lanes, K for a layer, else 1 */
  readonly units: number;
  /** parameters of each unit: [gamma, beta, w...] */
  readonly width: number;
  /** parameters after the units' own, shared by them (a layer's readout) */
  readonly shared: number;
  /** how many of those the optimiser trains */
  readonly trainedShared: number;
  readonly unit: UnitConstants;
  /** the phases in order; a problem without phases has one */
  readonly phases: readonly PhaseConstants[];
  /** the reduced model's step law as tables in r (null for the other models) */
  readonly stepLaw: StepLawTables | null;
  /** a layer's features, readout and scratch (src/engine/layer-gradients.ts; null for one unit) */
  readonly layer: LayerKernel | null;
  readonly scratch: Scratch;
}

/**
 * Compiles a problem for an algorithm (by default the one its `model` and `noiseSampling` name).
 * The problem must be valid (src/model/validate.ts) for that algorithm.
 */
export function compileProblem(problem: UnitProblem, algorithm: Algorithm = algorithmOf(problem)): Compiled {
  const unit = unitConstants(problem);
  const pre = problem.phases ?? [];
  const keep = problem.keepOptimizerState === true;
  const exactSum = (loss: Loss) => algorithm.sampling === "exact-sum" && studentNu(loss) === 0 && unit.inputDim === 0;
  // the problem's own phase first, so that a bad schedule is reported for it before its phases'
  const own = compilePhase(problem.optimizer, problem.steps, problem.loss, unit.batch, keep && pre.length > 0, true, exactSum(problem.loss));
  const phases = pre.map((ph, k) => {
    const loss = ph.loss ?? problem.loss;
    return compilePhase(ph.optimizer, ph.steps, loss, unit.batch, keep && k > 0, false, exactSum(loss));
  });
  phases.push(own);
  const reduced = algorithm.model === "reduced";
  const onLanes = reduced && (unit.norm === NORM_BN || unit.norm === NORM_PSBN) && phases.length === 1;
  const model = reduced ? MODEL_REDUCED : MODEL_MECHANISTIC;
  return assemble(model, onLanes ? LANES : 1, 2 + unit.inputDim, 0, 0, unit, phases, reduced ? stepLawTables(unit.alpha) : null, null);
}

/** The reduced model with plain BN (or psBN) and a single phase runs on lanes (src/engine/reduced-lanes.ts); anything else one by one. */
export function runsOnLanes(c: Compiled): boolean {
  return c.units > 1 && c.model === MODEL_REDUCED;
}

export function unitConstants(problem: UnitProblem): UnitConstants {
  const B = problem.batch;
  const d = problem.input.kind === "linear" ? problem.input.dim : 0;
  const norm = problem.norm ?? { kind: "bn" };
  const crit = criterionTest(problem.collapse, B);
  const shift = criterionShift(norm);
  // BN removes the scale of w, so only its direction matters: the student starts along the
  // diagonal, the teacher looks along the first axis.
  const teacherW = new Float64Array(d);
  if (d > 0) teacherW[0] = 1;
  return {
    batch: B,
    bnEps: problem.bnEps,
    alpha: problem.activation.kind === "leaky" ? problem.activation.alpha : 0,
    inputDim: d,
    sideBound: Math.sqrt(B - 1),
    norm: NORM_CODE[norm.kind],
    reviveMargin: norm.kind === "revive" ? norm.margin : 0,
    revivePatience: norm.kind === "revive" ? norm.patience : 0,
    shift,
    criterionOn: crit.on,
    criterionThreshold: crit.threshold,
    gamma0: problem.gamma0,
    beta0: shift === 0 ? problem.beta0 : problem.beta0 + shift, // keeps a -0 of plain BN
    w0: new Float64Array(d).fill(d > 0 ? 1 / Math.sqrt(d) : 0),
    teacherW,
  };
}

const studentNu = (loss: Loss) => (loss.kind === "noise" && loss.noise.kind === "student" ? loss.noise.nu : 0);

/** A phase's constants; `loss` null for a model that computes its own (a layer). */
export function compilePhase(
  opt: Optimizer,
  steps: number,
  loss: Loss | null,
  batch: number,
  keepsState: boolean,
  last: boolean,
  exactSum: boolean,
): PhaseConstants {
  const teacher = loss?.kind === "teacher";
  const nu = loss === null ? 0 : studentNu(loss);
  const noiseScale = loss === null ? 0 : loss.kind === "teacher" ? loss.readout * loss.labelNoise : loss.noise.sigma;
  return {
    steps,
    lr: tabulateLearningRate(opt.lr, opt.schedule, steps),
    optimizer: OPT_CODE[opt.kind],
    momentum: opt.momentum,
    weightDecay: opt.weightDecay,
    beta1: opt.beta1,
    beta2: opt.beta2,
    adamEps: opt.eps,
    keepsState,
    last,
    teacher,
    signal: loss?.kind === "noise" ? loss.signal : 0,
    readout: loss?.kind === "teacher" ? loss.readout : 1,
    teacherGamma: loss?.kind === "teacher" ? loss.gamma : 0,
    teacherBeta: loss?.kind === "teacher" ? loss.beta : 0,
    noiseScale,
    studentNu: nu,
    studentScale: nu > 0 ? Math.sqrt((nu - 2) / nu) : 1,
    noisePerSqrtBatch: noiseScale / Math.sqrt(batch),
    exactSum,
  };
}

/** The one constructor of a Compiled, so that every run's has the same shape. */
export function assemble(
  model: number,
  units: number,
  width: number,
  shared: number,
  trainedShared: number,
  unit: UnitConstants,
  phases: readonly PhaseConstants[],
  stepLaw: StepLawTables | null,
  layer: LayerKernel | null,
): Compiled {
  const B = unit.batch, d = unit.inputDim;
  const scratch: Scratch = {
    h: new Float64Array(B),
    x: new Float64Array(B * d),
    xhat: new Float64Array(B),
    hTeacher: new Float64Array(B),
    xhatTeacher: new Float64Array(B),
    dy: new Float64Array(B),
    dxhat: new Float64Array(B),
    dh: new Float64Array(B),
    draws: new Float64Array(Math.max(B, 2)),
    g: new Float64Array(units * width + shared),
    law: new Float64Array(5),
  };
  return { model, units, width, shared, trainedShared, unit, phases, stepLaw, layer, scratch };
}
