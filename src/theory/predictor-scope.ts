import { ratioThreshold } from "./criterion-threshold.ts";
import type { UnitProblem } from "../model/problem.ts";

/**
 * Why a predictor does not model a problem, or null when it does (docs/theory.md sections 5-6).
 * The theory command and the figures both ask; a refused cell gets no number, only the reason.
 */

/**
 * Within this fraction of sqrt(B - 1) above the dead cone's edge (B >= 6, ReLU) the diffusion predictor
 * is refused outright: the limiting diffusion's noise there is ~ (distance)^((B-2)/2), and in the
 * convergence study of docs/theory.md (B = 8, 16, 32, 64; tau = 1) no threshold that close converged
 * (B = 8 at 2%: a 1.5x finer grid moves P by 4%). Farther out the convergence check decides.
 */
export const EDGE_MARGIN = 0.05;

/** What both predictors need: plain SGD with a constant lr on the noise loss of the BN unit, a criterion on r. */
function sharedScope(problem: UnitProblem): string | null {
  if (problem.model !== "mechanistic") return `model ${problem.model}: the predictors model the mechanistic unit`;
  if (problem.norm && problem.norm.kind !== "bn") return `norm ${problem.norm.kind}: the predictors model plain BN`;
  if ((problem.phases?.length ?? 0) > 0) return "training phases: the predictors model one phase";
  const o = problem.optimizer;
  if (o.kind !== "sgd") return `optimizer ${o.kind}: the predictors model plain SGD only (not ${o.kind === "momentum" ? "the momentum buffer" : "Adam's normalised step"})`;
  if (o.weightDecay !== 0) return "weight decay: not modelled (it shrinks gamma every step)";
  if (o.schedule.kind !== "constant") return "a learning-rate schedule: not modelled (the predictors take a constant lr)";
  if (problem.loss.kind !== "noise") return "teacher loss: not modelled (the predictors take the noise loss)";
  if (problem.loss.signal !== 0) return "non-zero signal: not modelled";
  if (problem.input.kind !== "gauss") return "learned pre-layer: not modelled";
  if (ratioThreshold(problem.collapse, problem.batch) === null) return "criterion on |gamma|: not modelled (the predictors follow r = beta/|gamma|)";
  if (problem.loss.noise.kind === "student") {
    return `Student-t noise (nu = ${problem.loss.noise.nu}): not modelled; the small-step limit keeps only the noise covariance, which the Gaussian shares, and the finite-step law needs Gaussian noise given the batch`;
  }
  return null;
}

/** The diffusion (small-step) predictor, src/theory/predictor.ts. Its numbers must also pass checked-prediction.ts. */
export function diffusionScope(problem: UnitProblem): string | null {
  const shared = sharedScope(problem);
  if (shared) return shared;
  const B = problem.batch, edge = Math.sqrt(B - 1);
  const threshold = ratioThreshold(problem.collapse, B)!;
  if (problem.activation.kind === "relu") {
    if (threshold < -edge) {
      return `threshold r = ${fmt(threshold)} lies inside the dead cone (edge -sqrt(B-1) = ${fmt(-edge)}): the diffusion stops at the edge, only a finite step can jump past it`;
    }
    if (B >= 6 && problem.collapse.kind === "dead") {
      return `dead with B = ${B} >= 6: the limiting diffusion's noise vanishes like eps^((B-2)/2) at the cone's edge and Feller's test says it never reaches it, so the small-step limit of P does not exist (collapse into the cone is a finite-step effect)`;
    }
    if (B >= 6 && threshold <= -(1 - EDGE_MARGIN) * edge) {
      return `threshold r = ${fmt(threshold)} within ${EDGE_MARGIN * 100}% of the dead cone's edge ${fmt(-edge)}: the diffusion's noise vanishes there and no grid converges`;
    }
  }
  return null;
}

/** The finite-step predictor, src/theory/finite-step/. */
export function finiteStepScope(problem: UnitProblem): string | null {
  const shared = sharedScope(problem);
  if (shared) return shared;
  const threshold = ratioThreshold(problem.collapse, problem.batch)!;
  if (!(threshold < 0)) return `threshold r = ${fmt(threshold)} >= 0: the finite-step predictor takes a collapsed set r <= threshold < 0`;
  if (problem.activation.kind === "relu" && threshold < -Math.sqrt(problem.batch - 1)) {
    return `threshold r = ${fmt(threshold)} lies inside the dead cone (edge ${fmt(-Math.sqrt(problem.batch - 1))}), where a unit stops: not modelled`;
  }
  return null;
}

/** The diffusion predictor's scope (the name callers used before there were two predictors). */
export const predictorScope = diffusionScope;

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
