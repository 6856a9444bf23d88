import { LIST_FIELDS, SWEEP_FIELDS, type ListField, type SweepConfig } from "../config/fields.ts";
import { resolveConfig, templateOf } from "../config/resolve.ts";
import { parseEstimator, type Estimator } from "../config/terms.ts";
import { tabulateScheduleFactors } from "../model/schedule.ts";
import { ConfigError } from "../model/errors.ts";
import type { UnitProblem } from "../model/problem.ts";
import { validateProblem } from "../model/validate.ts";
import { criterionTest, formatCriterion, meetsCriterion, ON_RATIO, ratioOf } from "../model/criteria.ts";

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
  /** "per-cell": each cell its own streams (cellStreams, src/rng/keys.ts); "common": every cell the same */
  streams: SweepConfig["streams"];
  stopAtCollapse: boolean;
  interval: SweepConfig["interval"];
  /** points kept of each cell's Kaplan-Meier curve */
  kmPoints: number;
  /** plain Monte Carlo, or AMS with its replicas and kill count (src/ensemble/ams-run.ts) */
  estimator: Estimator;
  /** AMS: independent runs per cell */
  amsRuns: number;
}

/** The grid's axes: the settings given as LISTs (src/config/fields.ts). */
export type Axis = ListField;

/** The axes in the order a cell and a CSV row show them. */
export const AXES: readonly Axis[] = LIST_FIELDS;

/**
 * The grid's nesting, outermost first: cell k has batch from its outermost digit and lr from its
 * last (lr varies fastest). A Record, so that a new axis cannot be left out.
 */
const NESTING: Record<Axis, number> = { batch: 0, gamma: 1, beta: 2, weightDecay: 3, signal: 4, lr: 5 };

/** The axes from outermost to fastest: batch, gamma, beta, weightDecay, signal, lr. */
export const GRID_ORDER: readonly Axis[] = [...AXES].sort((a, b) => NESTING[a] - NESTING[b]);

/**
 * The problem of one cell (the ensemble's prob_func): the template with the given axis values put in.
 * The signal is the mean of the noise loss's upstream gradient: a teacher loss has none, and ignores it.
 */
export function cellProblem(template: UnitProblem, at: Partial<Record<Axis, number>>): UnitProblem {
  const loss = template.loss.kind === "noise" && at.signal !== undefined ? { ...template.loss, signal: at.signal } : template.loss;
  return {
    ...template,
    batch: at.batch ?? template.batch,
    gamma0: at.gamma ?? template.gamma0,
    beta0: at.beta ?? template.beta0,
    loss,
    optimizer: {
      ...template.optimizer,
      lr: at.lr ?? template.optimizer.lr,
      weightDecay: at.weightDecay ?? template.optimizer.weightDecay,
    },
  };
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
  checkDistinctAxisValues(config);
  checkCriterionSign(template);
  checkStartsBeforeThreshold(template, config);
  checkScheduledRates(template, config.lr);
  checkPhaseSchedules(template);
  const axes = Object.fromEntries(AXES.map((a) => [a, config[a]])) as Record<Axis, number[]>;
  const { trials, seed, streams, stopAtCollapse, interval, kmPoints = SWEEP_FIELDS.kmPoints.default } = config;
  const estimator = parseEstimator(config.estimator ?? SWEEP_FIELDS.estimator.default);
  const amsRuns = config.amsRuns ?? SWEEP_FIELDS.amsRuns.default;
  if (estimator.kind === "ams" && !stopAtCollapse) throw new ConfigError("stopAtCollapse", "AMS stops every replica at the collapse level; it applies to --estimator mc only");
  return { config, template, axes, trials, seed, streams, stopAtCollapse, interval, kmPoints, estimator, amsRuns };
}

/** lr x factor must stay finite in every cell; found only inside a worker, it would fail mid-run. */
function checkScheduledRates(template: UnitProblem, lrs: readonly number[]): void {
  const schedule = template.optimizer.schedule;
  const factors = schedule.kind === "constant" ? [1] : tabulateScheduleFactors(schedule, template.steps);
  let maxFactor = 0;
  for (const f of factors) if (f > maxFactor) maxFactor = f;
  if (maxFactor === 0) throw new ConfigError("schedule", "is 0 at every update: nothing would be learnt (as with lr 0, which is refused too)");
  for (const lr of lrs) {
    if (!Number.isFinite(lr * maxFactor)) throw new ConfigError("lr", `${lr} times the schedule's largest factor ${maxFactor} is not a finite learning rate`);
  }
}

/**
 * Each axis value once: a repeated value makes a second cell on the same random streams, a fake
 * replicate that would count twice in a fit.
 */
function checkDistinctAxisValues(config: SweepConfig): void {
  for (const axis of AXES) {
    const seen = new Set<number>();
    for (const v of config[axis]) {
      if (seen.has(v)) throw new ConfigError(axis, `the value ${v} is given twice: two cells would share one random stream (not replicates); list each value once, and raise --trials for more runs`);
      seen.add(v);
    }
  }
}

/** ratio:C means r <= -C; a negative C puts the threshold above r = 0, where every default start already is. */
function checkCriterionSign(template: UnitProblem): void {
  const c = template.collapse;
  if (c.kind === "ratio" && !(c.c >= 0)) throw new ConfigError("collapse", `ratio:C needs C >= 0 (collapsed once beta/|gamma| <= -C), got ratio:${c.c}`);
}

/**
 * A start already past the criterion is refused (docs/model.md, "Criteria"): its first passage would
 * be at step 0, which the engine does not test (it tests after each update), so such a unit could be
 * counted a survivor. Checked for every gamma x beta x batch of the grid.
 */
function checkStartsBeforeThreshold(template: UnitProblem, config: SweepConfig): void {
  for (const batch of config.batch) {
    const { on, threshold } = criterionTest(template.collapse, batch);
    for (const gamma of config.gamma) {
      for (const beta of config.beta) {
        if (!meetsCriterion(on, threshold, gamma, beta)) continue;
        const what = on === ON_RATIO ? `r = beta/|gamma| = ${ratioOf(gamma, beta)} is already <= ${threshold}` : `|gamma| = ${Math.abs(gamma)} is already <= ${threshold}`;
        throw new ConfigError(on === ON_RATIO ? "beta" : "gamma", `the start gamma = ${gamma}, beta = ${beta}${config.batch.length > 1 ? ` (batch ${batch})` : ""} is already collapsed by ${formatCriterion(template.collapse)}: ${what}; start above the threshold`);
      }
    }
  }
}

/** A phase's schedule is checked here, before any worker starts (it failed inside a worker, with exit 1). */
function checkPhaseSchedules(template: UnitProblem): void {
  for (const [k, ph] of (template.phases ?? []).entries()) {
    const s = ph.optimizer.schedule;
    if (s.kind === "constant") continue;
    if (ph.steps * 8 > 2 ** 31) throw new ConfigError("phases", `phase ${k + 1}: a schedule over ${ph.steps} updates is too long to tabulate`);
    const factors = tabulateScheduleFactors(s, ph.steps, "phases");
    let max = 0;
    for (const f of factors) if (f > max) max = f;
    if (!Number.isFinite(ph.optimizer.lr * max)) throw new ConfigError("phases", `phase ${k + 1}: lr ${ph.optimizer.lr} times the schedule's largest factor ${max} is not finite`);
  }
}
