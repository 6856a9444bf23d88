import type { Axis } from "../ensemble/problem.ts";
import type { SweepResult } from "../solution/result.ts";
import type { ScalingAxis } from "./lines.ts";

/** The setting a verdict applies to, as stated in the sweep's config. */
export interface Regime {
  lr: [number, number];
  gamma: [number, number];
  batch: number[];
  steps: number;
  optimizer: string;
  weightDecay: number[];
  schedule: string;
  collapse: string;
  noise: string;
  loss: string;
  model: string;
  trials: number;
  seed: string | number;
}

export function regimeOf(result: SweepResult): Regime {
  const c = result.config;
  const range = (xs: readonly number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  return {
    lr: range(c.lr),
    gamma: range(c.gamma),
    batch: [...c.batch],
    steps: c.steps,
    optimizer: c.optimizer,
    weightDecay: [...c.weightDecay],
    schedule: c.schedule,
    collapse: c.collapse,
    noise: c.noise,
    loss: c.loss,
    model: c.model,
    trials: c.trials,
    seed: c.seed,
  };
}

export function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** The setting of one line, e.g. "B=32, T=1000, sgd, ratio:3" (plus whatever else is not the default). */
export function settingText(regime: Regime, fixed: Record<Axis, number>, horizon = true): string {
  const parts = [`B=${fixed.batch}`];
  if (horizon) parts.push(`T=${regime.steps}`);
  parts.push(regime.optimizer);
  if (fixed.weightDecay !== 0) parts.push(`weight decay ${fmt(fixed.weightDecay)}`);
  if (regime.schedule !== "constant") parts.push(`schedule ${regime.schedule}`);
  if (fixed.signal !== 0) parts.push(`signal ${fmt(fixed.signal)}`);
  if (regime.loss !== "noise") parts.push(`loss ${regime.loss}`);
  if (regime.noise !== "gauss:1") parts.push(`noise ${regime.noise}`);
  if (regime.model !== "mechanistic") parts.push(`${regime.model} model`);
  parts.push(regime.collapse);
  return parts.join(", ");
}

/** "at gamma=1, beta=0" for a line along lr (the other scaling axis and beta). */
export function fixedText(axis: ScalingAxis, fixed: Record<Axis, number>): string {
  const other: ScalingAxis = axis === "lr" ? "gamma" : "lr";
  return `${other}=${fmt(fixed[other])}${fixed.beta !== 0 ? `, beta=${fmt(fixed.beta)}` : ""}`;
}
