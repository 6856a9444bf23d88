/**
 * A problem is data: one BN + activation unit, its gradient noise, its optimiser, its horizon and the
 * collapse criterion (docs/model.md sections 1-4). Algorithms in src/engine run it; nothing here computes.
 */

/** Activation after the affine map: ReLU, or LeakyReLU with slope alpha for y <= 0. */
export type Activation = { kind: "relu" } | { kind: "leaky"; alpha: number };

/** Where the pre-normalisation values h come from. */
export type Input =
  | { kind: "gauss" } // h_i ~ N(0, 1), fresh every step
  | { kind: "linear"; dim: number }; // h_i = w . x_i, x_i ~ N(0, I_dim), w learned

/** Distribution of the zero-mean part of the upstream gradient delta_i. */
export type Noise =
  | { kind: "gauss"; sigma: number }
  | { kind: "student"; nu: number; sigma: number }; // Student-t scaled to variance sigma^2

/** The loss, seen through its per-sample upstream gradient delta_i = dl_i / dz_i. */
export type Loss =
  | { kind: "noise"; noise: Noise; signal: number } // delta_i = signal + noise_i
  | {
      kind: "teacher";
      /** fixed readout a of the student: l_i = (a z_i - t_i)^2 / 2 */
      readout: number;
      /** the teacher unit t_i = f(gamma* xhat*_i + beta*) + labelNoise * xi_i on the same inputs */
      gamma: number;
      beta: number;
      labelNoise: number;
    };

/** Learning-rate schedule: a factor multiplying the base lr at update t = 0, 1, ..., steps - 1. */
export type Schedule =
  | { kind: "constant" }
  | { kind: "step"; every: number; factor: number } // factor^floor(t / every)
  | { kind: "cosine"; minFactor: number } // minFactor + (1 - minFactor) (1 + cos(pi t / steps)) / 2
  | { kind: "expr"; expr: string }; // a mathjs expression in t and T (= steps)

export type OptimizerKind = "sgd" | "momentum" | "adam" | "adamw";

/** PyTorch semantics (docs/model.md section 3). */
export interface Optimizer {
  kind: OptimizerKind;
  lr: number;
  /** used by "momentum" */
  momentum: number;
  /** coupled L2 for sgd, momentum and adam; decoupled for adamw */
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Adam's epsilon */
  eps: number;
  schedule: Schedule;
}

/**
 * Collapse criteria of docs/model.md section 4, with r = beta / |gamma|; under psBN, beta is the effective
 * shift beta + alpha (criterionShift in src/model/criteria.ts).
 */
export type Criterion =
  | { kind: "dead" } // r <= -sqrt(B - 1)
  | { kind: "ratio"; c: number } // r <= -c
  | { kind: "sparsity"; s: number } // Phi(r) <= 1 - s
  | { kind: "gamma"; e: number }; // |gamma| <= e

/**
 * How the shift after BN is parameterised (docs/psbn.md): "bn" is y = gamma xhat + beta; "psbn" is
 * post-shifted BN as FixMatch-pytorch's PSBatchNorm2d implements it, y = gamma xhat + beta + alpha with
 * alpha fixed (0.1 there) and (gamma, beta) trained as usual; "revive" is our reconstruction of the
 * paper's two properties (BN's forward pass, plus a shift of beta once `patience` consecutive batches
 * had no active sample, putting the top sample of the batch at margin * |gamma|); "rshift" learns r
 * itself: y = gamma (xhat + rho), beta = gamma rho.
 */
export type Norm =
  | { kind: "bn" }
  | { kind: "psbn"; alpha: number }
  | { kind: "revive"; margin: number; patience: number }
  | { kind: "rshift" };

/**
 * A training phase run before the problem's own (last) phase (docs/regimes.md): its own optimiser
 * (lr, schedule, weight decay) and horizon, and optionally its own loss. The criterion is checked
 * only in the last phase; first-passage times count the last phase's updates.
 */
export interface Phase {
  steps: number;
  optimizer: Optimizer;
  /** default: the problem's loss */
  loss?: Loss;
}

export interface UnitProblem {
  /** mini-batch size B >= 2 */
  batch: number;
  gamma0: number;
  beta0: number;
  /** BN epsilon inside the square root */
  bnEps: number;
  activation: Activation;
  input: Input;
  loss: Loss;
  optimizer: Optimizer;
  /** horizon T: number of updates */
  steps: number;
  collapse: Criterion;
  /**
   * How the Gaussian upstream noise is drawn. "exact-sum" draws the two gradient sums directly from
   * their joint Gaussian law given the batch (2 draws instead of B; identical distribution, see
   * docs/conventions.md); "per-sample" draws every delta_i. Gaussian noise (the noise loss's gauss
   * noise, or the teacher's Gaussian label noise) with Gaussian input can use "exact-sum"; Student-t
   * noise and the linear pre-layer always use per-sample.
   */
  noiseSampling: "exact-sum" | "per-sample";
  /**
   * "mechanistic": a fresh batch every step, gradients through BN (docs/model.md sections 1-2).
   * "reduced": (dL/dgamma, dL/dbeta) drawn directly from the Gaussian law with the state-dependent
   * mean and covariance of docs/model.md section 5 (docs/reduced-model.md); Gaussian input, noise loss only.
   */
  model: "mechanistic" | "reduced";
  /** default { kind: "bn" } */
  norm?: Norm;
  /** phases run before this problem's own optimiser, loss and steps (default none) */
  phases?: Phase[];
  /** carry the momentum buffer, Adam moments and Adam's step count across phase boundaries (default false: reset) */
  keepOptimizerState?: boolean;
}

export const DEFAULT_OPTIMIZER: Optimizer = {
  kind: "sgd",
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  schedule: { kind: "constant" },
};

export const DEFAULT_PROBLEM: UnitProblem = {
  batch: 32,
  gamma0: 1,
  beta0: 0,
  bnEps: 1e-5,
  activation: { kind: "relu" },
  input: { kind: "gauss" },
  loss: { kind: "noise", noise: { kind: "gauss", sigma: 1 }, signal: 0 },
  optimizer: DEFAULT_OPTIMIZER,
  steps: 1000,
  collapse: { kind: "dead" },
  noiseSampling: "exact-sum",
  model: "mechanistic",
};

/** A problem from the defaults with some fields replaced (optimizer fields merge one level deep). */
export function defineProblem(
  fields: Partial<Omit<UnitProblem, "optimizer">> & { optimizer?: Partial<Optimizer> } = {},
): UnitProblem {
  return {
    ...DEFAULT_PROBLEM,
    ...fields,
    optimizer: { ...DEFAULT_OPTIMIZER, ...fields.optimizer },
  };
}
