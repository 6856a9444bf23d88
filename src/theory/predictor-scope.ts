import { criterionTest, ON_RATIO } from "../engine/criteria.ts";
import type { UnitProblem } from "../model/problem.ts";

/**
 * Why the deterministic predictor (plain SGD on the mechanistic unit, small-step limit) does not
 * model a problem, or null when it does. The theory command and the figures both ask this.
 */
export function predictorScope(problem: UnitProblem): string | null {
  if (problem.model !== "mechanistic") return `model ${problem.model}: the predictor models the mechanistic unit`;
  if (problem.norm && problem.norm.kind !== "bn") return `norm ${problem.norm.kind}: the predictor models plain BN`;
  if ((problem.phases?.length ?? 0) > 0) return "training phases: the predictor models one phase";
  const o = problem.optimizer;
  if (o.kind !== "sgd") return `optimizer ${o.kind}: the predictor models plain SGD only`;
  if (o.weightDecay !== 0) return "weight decay: not in the predictor (it shrinks gamma and speeds up r)";
  if (o.schedule.kind !== "constant") return "a learning-rate schedule: not in the predictor";
  if (problem.loss.kind !== "noise") return "teacher loss: not in the predictor";
  if (problem.loss.signal !== 0) return "non-zero signal: not in the predictor";
  if (problem.input.kind !== "gauss") return "learned pre-layer: not in the predictor";
  if (criterionTest(problem.collapse, problem.batch).on !== ON_RATIO) return "criterion on |gamma|: not in the predictor";
  return null;
}
