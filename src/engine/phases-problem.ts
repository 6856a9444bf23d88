import type { Phase, UnitProblem } from "../model/problem.ts";

/**
 * The problems of the phases run before a problem's own phase (docs/regimes.md), as data: each is the
 * problem with that phase's optimiser, horizon and loss, and no phases of its own. The state (gamma,
 * beta, w and, with keepOptimizerState, the optimiser's buffers and age) is carried from one to the next
 * by src/engine/phases.ts.
 */
export function phaseProblems(problem: UnitProblem): UnitProblem[] {
  return (problem.phases ?? []).map((ph: Phase) => ({
    ...problem,
    optimizer: ph.optimizer,
    steps: ph.steps,
    loss: ph.loss ?? problem.loss,
    phases: undefined,
  }));
}
