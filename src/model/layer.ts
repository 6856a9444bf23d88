/**
 * A BN layer as a problem (docs/layer.md), data like src/model/problem.ts: K BN + ReLU units on one
 * shared input batch (fixed random features w_i in R^d), feeding a learnable linear readout trained
 * with plain SGD on a teacher layer of the same shape plus label noise. src/engine/layer-gradients.ts
 * runs it; src/layer/ measures it against the single unit.
 */
export interface LayerConfig {
  /** K: units in the layer */
  units: number;
  /** d: input dimension of the fixed random features w_i */
  inputDim: number;
  /** B >= 2 */
  batch: number;
  /** SGD learning rate, the same for gamma, beta and a */
  lr: number;
  /** T: updates */
  steps: number;
  gamma0: number;
  beta0: number;
  /** the teacher's gamma*_i and beta*_i (the same for every unit) */
  teacherGamma: number;
  teacherBeta: number;
  /** standard deviation of the label noise xi_b */
  labelNoise: number;
  /** a_i(0) and a*_i are i.i.d. N(0, readoutScale^2 / K) */
  readoutScale: number;
  /** false: a stays at its initial value (a fixed readout) */
  learnReadout: boolean;
  bnEps: number;
  /** record the dead count every `every` updates */
  every: number;
}

export const DEFAULT_LAYER: LayerConfig = {
  units: 16,
  inputDim: 32,
  batch: 8,
  lr: 0.1,
  steps: 1000,
  gamma0: 1,
  beta0: 0,
  teacherGamma: 1,
  teacherBeta: 0,
  labelNoise: 4,
  readoutScale: 1,
  learnReadout: true,
  bnEps: 1e-5,
  every: 100,
};

export function defineLayer(fields: Partial<LayerConfig> = {}): LayerConfig {
  const c = { ...DEFAULT_LAYER, ...fields };
  const int = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!int(c.units, 1)) throw new RangeError(`units must be an integer >= 1, got ${c.units}`);
  if (!int(c.inputDim, 1)) throw new RangeError(`inputDim must be an integer >= 1, got ${c.inputDim}`);
  if (!int(c.batch, 2)) throw new RangeError(`batch must be an integer >= 2, got ${c.batch}`);
  if (!int(c.steps, 1)) throw new RangeError(`steps must be an integer >= 1, got ${c.steps}`);
  if (!int(c.every, 1)) throw new RangeError(`every must be an integer >= 1, got ${c.every}`);
  for (const k of ["lr", "gamma0", "beta0", "teacherGamma", "teacherBeta", "labelNoise", "readoutScale", "bnEps"] as const) {
    if (!Number.isFinite(c[k])) throw new RangeError(`${k} must be finite, got ${c[k]}`);
  }
  if (c.labelNoise < 0 || c.bnEps < 0 || c.lr < 0) throw new RangeError("labelNoise, bnEps and lr must be >= 0");
  return c;
}
