import { parseNorm, parsePhases } from "../engine/phases-config.ts";
import { defineProblem, type UnitProblem } from "../model/problem.ts";
import type { SweepConfig } from "./fields.ts";
import { parseActivation, parseCriterion, parseInput, parseLoss, parseNoise, parseOptimizer, parseSchedule } from "./terms.ts";

/**
 * The unit problem a config describes, with each axis at its first value: every text form (noise,
 * optimiser, criterion, ...) parsed once, here. Later code reads this problem, not the text.
 */
export function templateOf(config: SweepConfig): UnitProblem {
  const noise = parseNoise(config.noise);
  const opt = parseOptimizer(config.optimizer);
  return defineProblem({
    batch: config.batch[0],
    gamma0: config.gamma[0],
    beta0: config.beta[0],
    bnEps: config.bnEps,
    activation: parseActivation(config.act),
    input: parseInput(config.input),
    loss: parseLoss(config.loss, noise, config.signal[0]),
    steps: config.steps,
    collapse: parseCriterion(config.collapse),
    noiseSampling: config.noiseSampling,
    model: config.model,
    ...(config.norm !== undefined ? { norm: parseNorm(config.norm) } : {}),
    ...(config.phases !== undefined ? { phases: parsePhases(config.phases, config.noise, config.loss) } : {}),
    ...(config.keepOptimizerState !== undefined ? { keepOptimizerState: config.keepOptimizerState } : {}),
    optimizer: { ...opt, lr: config.lr[0], weightDecay: config.weightDecay[0], schedule: parseSchedule(config.schedule) },
  });
}
