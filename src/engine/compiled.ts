import type { UnitProblem } from "../model/problem.ts";
import { criterionTest } from "../model/criteria.ts";
import { stepLawTables, type StepLawTables } from "./step-law.ts";
import { phaseProblems } from "./phases-problem.ts";
import { tabulateLearningRate } from "../model/schedule.ts";

export const OPT_SGD = 0;
export const OPT_MOMENTUM = 1;
export const OPT_ADAM = 2;
export const OPT_ADAMW = 3;

const OPT_CODE = { sgd: OPT_SGD, momentum: OPT_MOMENTUM, adam: OPT_ADAM, adamw: OPT_ADAMW } as const;

/** Norm codes (src/engine/psbn.ts): 0 is plain BN, which takes no extra work per step. */
export const NORM_BN = 0;
export const NORM_PSBN = 1;
export const NORM_RSHIFT = 2;
/**
 * Normals the reduced model draws at once (32 steps' worth): any size gives the same sequence; a
 * small one wastes little of a short trajectory's stream (the rest of the pool is never used).
 */
export const POOL_SIZE = 64;

const NORM_CODE = { bn: NORM_BN, psbn: NORM_PSBN, rshift: NORM_RSHIFT } as const;

/**
 * A problem lowered to numbers and preallocated typed arrays: what the step loop reads.
 * One instance per (problem, thread); it is reused for every trajectory of that problem.
 * Parameters are one vector p = [gamma, beta, w_0 .. w_{d-1}].
 */
export class CompiledUnit {
  readonly batch: number;
  readonly bnEps: number;
  readonly alpha: number; // activation slope for y <= 0 (0 = ReLU)
  readonly inputDim: number; // 0: h ~ N(0, 1) directly; d: h = w . x with x ~ N(0, I_d)
  readonly nParams: number;

  // upstream gradient delta_i = mean_i + scale * noise_i
  readonly teacher: boolean;
  readonly signal: number;
  readonly readout: number;
  readonly teacherGamma: number;
  readonly teacherBeta: number;
  readonly noiseScale: number; // sigma, or readout * labelNoise for the teacher
  readonly studentNu: number; // 0 for Gaussian noise
  readonly studentScale: number;
  readonly exactSum: boolean;
  readonly reduced: boolean; // model "reduced": src/engine/reduced-step.ts instead of a batch
  readonly sideBound: number; // sqrt(B - 1): |xhat_i| < sideBound for every batch

  readonly optimizer: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly adamEps: number;
  readonly lr: Float64Array; // per update
  readonly steps: number;
  /** updates the optimiser has made before this phase's first (phases with kept state); Adam's t and momentum's start use it */
  ageOffset = 0;
  /** compiled phases run before this one (src/engine/phases.ts); empty for a single phase */
  readonly pre: CompiledUnit[];
  readonly keepOptimizerState: boolean;
  readonly norm: number; // NORM_*
  readonly psbnMargin: number;
  readonly psbnPatience: number;
  /** psBN: consecutive updates after which the batch had no active sample (per trajectory) */
  inactiveRun = 0;

  readonly criterionOn: number;
  readonly criterionThreshold: number;

  readonly gamma0: number;
  readonly beta0: number;
  readonly w0: Float64Array;
  readonly teacherW: Float64Array;

  // scratch, reused every step
  readonly h: Float64Array;
  readonly x: Float64Array; // batch x inputDim, row-major
  readonly xhat: Float64Array;
  readonly hTeacher: Float64Array;
  readonly xhatTeacher: Float64Array;
  readonly dy: Float64Array; // dL/dy_i
  readonly dxhat: Float64Array;
  readonly dh: Float64Array;
  readonly draws: Float64Array;
  /**
   * The reduced model's single lane (src/engine/reduced-step.ts): the trajectory's stream, its pooled
   * normals (POOL_SIZE drawn at a time) and the next one to use (POOL_SIZE: the pool is empty).
   */
  readonly laneStates: Int32Array[];
  readonly lanePools: Float64Array[];
  readonly laneNext: Int32Array;
  /** the reduced model's step law as tables in r (null for the mechanistic model) */
  readonly stepLaw: StepLawTables | null;
  readonly stepLawScratch: Float64Array;
  readonly noisePerSqrtBatch: number;

  // optimiser state
  readonly p: Float64Array;
  readonly g: Float64Array;
  readonly buf: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;

  /** `lane`: the reduced model's lane of the phase this one runs before, shared (see below) */
  constructor(problem: UnitProblem, lane?: Pick<CompiledUnit, "laneStates" | "lanePools" | "laneNext">) {
    const B = problem.batch;
    // Phases share one lane, so pooled normals flow on across a phase boundary as in a single run.
    this.laneStates = lane?.laneStates ?? [new Int32Array(4)];
    this.lanePools = lane?.lanePools ?? [new Float64Array(POOL_SIZE)];
    this.laneNext = lane?.laneNext ?? new Int32Array(1).fill(POOL_SIZE);
    this.batch = B;
    this.bnEps = problem.bnEps;
    this.alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
    this.inputDim = problem.input.kind === "linear" ? problem.input.dim : 0;
    this.nParams = 2 + this.inputDim;

    const loss = problem.loss;
    this.teacher = loss.kind === "teacher";
    this.signal = loss.kind === "noise" ? loss.signal : 0;
    this.readout = loss.kind === "teacher" ? loss.readout : 1;
    this.teacherGamma = loss.kind === "teacher" ? loss.gamma : 0;
    this.teacherBeta = loss.kind === "teacher" ? loss.beta : 0;
    this.noiseScale = loss.kind === "teacher" ? loss.readout * loss.labelNoise : loss.noise.sigma;
    this.studentNu = loss.kind === "noise" && loss.noise.kind === "student" ? loss.noise.nu : 0;
    this.studentScale = this.studentNu > 0 ? Math.sqrt((this.studentNu - 2) / this.studentNu) : 1;
    this.exactSum = problem.noiseSampling === "exact-sum" && this.studentNu === 0 && this.inputDim === 0;
    this.reduced = problem.model === "reduced";
    this.stepLaw = this.reduced ? stepLawTables(this.alpha) : null;
    this.stepLawScratch = new Float64Array(5);
    this.sideBound = Math.sqrt(B - 1);

    const opt = problem.optimizer;
    this.optimizer = OPT_CODE[opt.kind];
    this.momentum = opt.momentum;
    this.weightDecay = opt.weightDecay;
    this.beta1 = opt.beta1;
    this.beta2 = opt.beta2;
    this.adamEps = opt.eps;
    this.steps = problem.steps;
    this.lr = tabulateLearningRate(opt.lr, opt.schedule, problem.steps);
    this.norm = NORM_CODE[problem.norm?.kind ?? "bn"];
    this.psbnMargin = problem.norm?.kind === "psbn" ? problem.norm.margin : 0;
    this.psbnPatience = problem.norm?.kind === "psbn" ? problem.norm.patience : 0;
    this.keepOptimizerState = problem.keepOptimizerState === true;
    this.pre = phaseProblems(problem).map((pp) => new CompiledUnit(pp, this));
    if (this.keepOptimizerState) {
      let age = 0;
      for (const u of this.pre) {
        u.ageOffset = age;
        age += u.steps;
      }
      this.ageOffset = age;
    }

    const crit = criterionTest(problem.collapse, B);
    this.criterionOn = crit.on;
    this.criterionThreshold = crit.threshold;

    this.gamma0 = problem.gamma0;
    this.beta0 = problem.beta0;
    // BN removes the scale of w, so only its direction matters: the student starts along the
    // diagonal, the teacher looks along the first axis.
    const d = this.inputDim;
    this.w0 = new Float64Array(d).fill(d > 0 ? 1 / Math.sqrt(d) : 0);
    this.teacherW = new Float64Array(d);
    if (d > 0) this.teacherW[0] = 1;

    this.h = new Float64Array(B);
    this.x = new Float64Array(B * d);
    this.xhat = new Float64Array(B);
    this.hTeacher = new Float64Array(B);
    this.xhatTeacher = new Float64Array(B);
    this.dy = new Float64Array(B);
    this.dxhat = new Float64Array(B);
    this.dh = new Float64Array(B);
    this.draws = new Float64Array(Math.max(B, 2));
    this.noisePerSqrtBatch = this.noiseScale / Math.sqrt(B);

    const n = this.nParams;
    this.p = new Float64Array(n);
    this.g = new Float64Array(n);
    this.buf = new Float64Array(n);
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }
}
