/**
 * Small runs of the theory's predictors, printed as JSON when run directly: test/predictor-finite-step.test.ts
 * compares Node's bytes with Deno's (the theory computes on src/stats/det-math.ts so that they agree).
 */
import { solveFiniteStep } from "../src/theory/finite-step/finite-step-predictor.ts";
import { predictCollapse } from "../src/theory/predictor.ts";
import { eventualHitProbability } from "../src/theory/scale-function.ts";
import { makeXGrid } from "../src/theory/predictor-grid.ts";
import { perStepTheory } from "../src/theory/per-step.ts";

export function probe(): unknown {
  const small = { grid: { xiNodes: 24, sNodes: 30 }, law: { tailNodes: 6, restSamples: 16, batchSamples: 128 } };
  const starts = [{ a: 2, b: 0, steps: [50, 200] }, { a: 0.5, b: -1, steps: [10] }];
  const one = solveFiniteStep({ batch: 8, alpha: 0, threshold: -Math.sqrt(7), starts, ...small }).p;
  const reversed = solveFiniteStep({ batch: 8, alpha: 0, threshold: -Math.sqrt(7), starts: [...starts].reverse(), ...small }).p.reverse();
  const leaky = solveFiniteStep({ batch: 16, alpha: 0.2, threshold: -2, starts: [{ a: 1, b: 0.5, steps: [30] }], ...small }).p;
  const grid = makeXGrid(-Math.sqrt(31), 0, 1000, 60);
  return {
    finiteStep: one,
    sameInReverse: JSON.stringify(one) === JSON.stringify(reversed),
    leaky,
    diffusion: predictCollapse({ r0: 0, tau: 0.5, batch: 8, alpha: 0, threshold: -2, grid: { xCells: 60, rhoCells: 20, timeSteps: 40 } }).p,
    gaussMoments: predictCollapse({ r0: -0.5, tau: 0.3, batch: 8, alpha: 0, threshold: -2, moments: "gauss", dims: "1d", grid: { xCells: 60, timeSteps: 40 } }).p,
    hit: eventualHitProbability(grid.x, 0, 32, "finite")[grid.start],
    perStep: perStepTheory({ lr: 0.2, gamma: 1, beta: -0.7, batch: 32, sigma: 1, alpha: 0 }),
  };
}

if ((import.meta as { main?: boolean }).main || (typeof process !== "undefined" && process.argv[1]?.endsWith("predictor-probe.fixture.ts"))) {
  console.log(JSON.stringify(probe()));
}
