import type { UnitProblem } from "../model/problem.ts";

/**
 * How a problem's trajectories are computed, as SciML's `alg` is to its problem: the model that
 * draws each step's gradient (a fresh batch through BN, or the reduced Gaussian law in r) and, for
 * the mechanistic model, how its Gaussian noise is sampled (the two gradient sums given the batch,
 * or every delta_i; the first applies only where the noise and the input are Gaussian). Both give the
 * same law of the mechanistic model; the reduced model is an approximation (docs/reduced-model.md).
 */
export interface Algorithm {
  model: "mechanistic" | "reduced";
  sampling: "exact-sum" | "per-sample";
}

/** The algorithm a problem names by default (its `model` and `noiseSampling` fields). */
export function algorithmOf(problem: UnitProblem): Algorithm {
  return { model: problem.model, sampling: problem.noiseSampling };
}

/** The problem as validateProblem should see it when run with `algorithm`. */
export function withAlgorithm(problem: UnitProblem, algorithm: Algorithm): UnitProblem {
  return { ...problem, model: algorithm.model, noiseSampling: algorithm.sampling };
}
