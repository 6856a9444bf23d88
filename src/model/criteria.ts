import type { Criterion, Norm } from "../model/problem.ts";
import { normalQuantile } from "../stats/special.ts";

/**
 * What a collapse criterion means (docs/model.md section 4), as numbers: every criterion is one of two
 * tests after each update, a threshold on r = beta / |gamma| (dead, ratio, sparsity) or on |gamma|
 * (gamma). The engine, the theory and the analysis all read a criterion through this file.
 */
export const ON_RATIO = 0;
export const ON_GAMMA = 1;

export interface CriterionTest {
  on: typeof ON_RATIO | typeof ON_GAMMA;
  threshold: number;
}

export function criterionTest(criterion: Criterion, batch: number): CriterionTest {
  switch (criterion.kind) {
    case "dead":
      return { on: ON_RATIO, threshold: -Math.sqrt(batch - 1) };
    case "ratio":
      return { on: ON_RATIO, threshold: -criterion.c };
    case "sparsity":
      // Phi(r) <= 1 - s  <=>  r <= Phi^-1(1 - s), Phi increasing
      return { on: ON_RATIO, threshold: normalQuantile(1 - criterion.s) };
    case "gamma":
      return { on: ON_GAMMA, threshold: criterion.e };
  }
}

/**
 * The constant a norm adds after gamma xhat + beta: psBN's alpha, else 0. Every criterion on r reads
 * the effective shift, r = (beta + criterionShift) / |gamma|: a psBN unit is dead where
 * beta + alpha <= -|gamma| sqrt(B - 1). The one place that says so; the engine holds beta + alpha
 * while it runs (src/engine/psbn.ts) and reports the trained beta.
 */
export function criterionShift(norm: Norm | undefined): number {
  return norm?.kind === "psbn" ? norm.alpha : 0;
}

/**
 * r = beta / |gamma|, with r = -inf (beta < 0) or +inf (beta >= 0) at gamma = 0 exactly (docs/model.md):
 * the one definition of r that the criteria, the reduced model and the layer use.
 */
export function ratioOf(gamma: number, beta: number): number {
  const g = Math.abs(gamma);
  if (g === 0) return beta < 0 ? -Infinity : Infinity;
  return beta / g;
}

export function meetsCriterion(on: number, threshold: number, gamma: number, beta: number): boolean {
  return on === ON_RATIO ? ratioOf(gamma, beta) <= threshold : Math.abs(gamma) <= threshold;
}

export function formatCriterion(c: Criterion): string {
  switch (c.kind) {
    case "dead":
      return "dead";
    case "ratio":
      return `ratio:${c.c}`;
    case "sparsity":
      return `sparsity:${c.s}`;
    case "gamma":
      return `gamma:${c.e}`;
  }
}
