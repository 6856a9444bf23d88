import { LIST_FIELDS, SWEEP_FIELDS, type ListField, type SweepConfig } from "../config/fields.ts";
import { resolveConfig } from "../config/resolve.ts";
import { templateOf } from "../config/template.ts";
import { tabulateScheduleFactors } from "../engine/schedule.ts";
import { ConfigError } from "../model/errors.ts";
import type { UnitProblem } from "../model/problem.ts";
import { validateProblem } from "../model/validate.ts";

/**
 * A sweep as the ensemble runs it: one unit problem (the template), the values of each axis (the
 * grid is their product), and how many trajectories of each cell to run from which seed. Its
 * prob_func is `cellProblem` (the problem of one cell), its reduction `summariseCell`
 * (src/ensemble/summary.ts: a cell's trajectories to its statistics).
 */
export interface SweepProblem {
  /** the settings as resolved: what every output echoes and what a checkpoint is bound to */
  config: SweepConfig;
  /** the problem of every cell before the axes are put in (each axis at its first value) */
  template: UnitProblem;
  /** the values of each axis */
  axes: Record<Axis, number[]>;
  trials: number;
  seed: number | string;
  /** "per-cell": each cell its own streams (cellStreamKey); "common": every cell the same */
  streams: SweepConfig["streams"];
  stopAtCollapse: boolean;
  interval: SweepConfig["interval"];
  /** points kept of each cell's Kaplan-Meier curve */
  kmPoints: number;
}

/** The grid's axes: the settings given as LISTs (src/config/fields.ts). */
export type Axis = ListField;

/** The axes in the order a cell and a CSV row show them. */
export const AXES: readonly Axis[] = LIST_FIELDS;

interface AxisRule {
  /** the problem with this axis at `value` */
  put(p: UnitProblem, value: number): UnitProblem;
  /** place in the grid's nesting: 0 outermost; the highest varies fastest */
  nest: number;
  /** part of the key of a cell's random streams */
  keysStreams: boolean;
}

/**
 * What each axis is. Streams are keyed by lr, gamma, beta and batch, so a cell draws the same numbers
 * in any grid that contains it; weight decay and signal are left out on purpose, so that cells that
 * differ only there share their random numbers (paired comparisons). The signal is the mean of the
 * noise loss's upstream gradient: a teacher loss has none, and ignores it.
 */
const AXIS_RULES: Record<Axis, AxisRule> = {
  lr: { nest: 5, keysStreams: true, put: (p, lr) => ({ ...p, optimizer: { ...p.optimizer, lr } }) },
  gamma: { nest: 1, keysStreams: true, put: (p, gamma0) => ({ ...p, gamma0 }) },
  beta: { nest: 2, keysStreams: true, put: (p, beta0) => ({ ...p, beta0 }) },
  batch: { nest: 0, keysStreams: true, put: (p, batch) => ({ ...p, batch }) },
  weightDecay: { nest: 3, keysStreams: false, put: (p, weightDecay) => ({ ...p, optimizer: { ...p.optimizer, weightDecay } }) },
  signal: { nest: 4, keysStreams: false, put: (p, signal) => (p.loss.kind === "noise" ? { ...p, loss: { ...p.loss, signal } } : p) },
};

/** The axes from outermost to fastest: cells are numbered batch, gamma, beta, weightDecay, signal, lr. */
export const GRID_ORDER: readonly Axis[] = [...AXES].sort((a, b) => AXIS_RULES[a].nest - AXIS_RULES[b].nest);

const STREAM_AXES = AXES.filter((a) => AXIS_RULES[a].keysStreams);

/** The problem of one cell (the ensemble's prob_func): the template with the given axis values put in. */
export function cellProblem(template: UnitProblem, at: Partial<Record<Axis, number>>): UnitProblem {
  let p = template;
  for (const axis of AXES) {
    const v = at[axis];
    if (v !== undefined) p = AXIS_RULES[axis].put(p, v);
  }
  return p;
}

/** Names a cell's random streams (with the seed and the trajectory index): "lr=0.1;gamma=1;beta=0;batch=32". */
export function cellStreamKey(at: Record<Axis, number>, streams: SweepProblem["streams"]): string {
  if (streams === "common") return "common";
  return STREAM_AXES.map((a) => `${a}=${at[a]}`).join(";");
}

/**
 * A sweep from its raw config (a config file's object, or what the flags gave): checked, every
 * default filled in, every list expanded, the problem made and checked at every axis value. Throws a
 * ConfigError naming the field at fault.
 */
export function resolveSweep(raw: unknown): SweepProblem {
  const config = resolveConfig(raw);
  const template = templateOf(config);
  validateProblem(template);
  // every value of every axis must make a valid problem on its own (checked before the schedule
  // table, which costs 8 bytes a step)
  for (const axis of GRID_ORDER) for (const value of config[axis]) validateProblem(cellProblem(template, { [axis]: value }));
  checkScheduledRates(template, config.lr);
  const axes = Object.fromEntries(AXES.map((a) => [a, config[a]])) as Record<Axis, number[]>;
  const { trials, seed, streams, stopAtCollapse, interval, kmPoints = SWEEP_FIELDS.kmPoints.default } = config;
  return { config, template, axes, trials, seed, streams, stopAtCollapse, interval, kmPoints };
}

/** lr x factor must stay finite in every cell; found only inside a worker, it would fail mid-run. */
function checkScheduledRates(template: UnitProblem, lrs: readonly number[]): void {
  const schedule = template.optimizer.schedule;
  const factors = schedule.kind === "constant" ? [1] : tabulateScheduleFactors(schedule, template.steps);
  let maxFactor = 0;
  for (const f of factors) if (f > maxFactor) maxFactor = f;
  for (const lr of lrs) {
    if (!Number.isFinite(lr * maxFactor)) throw new ConfigError("lr", `${lr} times the schedule's largest factor ${maxFactor} is not a finite learning rate`);
  }
}
