import AjvModule from "ajv";
import { ConfigError } from "../model/errors.ts";
import { defineProblem, type UnitProblem } from "../model/problem.ts";
import { validateProblem } from "../model/validate.ts";
import { tabulateScheduleFactors } from "../engine/schedule.ts";
import { parseList } from "./lists.ts";
import { parseNorm, parsePhases, REGIME_SCHEMA_PROPERTIES, type RegimeFields } from "../engine/phases-config.ts";
import {
  parseActivation,
  parseCriterion,
  parseInput,
  parseLoss,
  parseNoise,
  parseOptimizer,
  parseSchedule,
} from "./terms.ts";

/**
 * A sweep as the user writes it: in a JSON config file, or as command-line flags with the same names
 * (camelCase here, kebab-case on the command line). Lists may be arrays or LIST strings.
 */
export interface RawSweepConfig extends RegimeFields {
  model?: "mechanistic" | "reduced";
  lr?: number | number[] | string;
  gamma?: number | number[] | string;
  beta?: number | number[] | string;
  batch?: number | number[] | string;
  weightDecay?: number | number[] | string;
  signal?: number | number[] | string;
  steps?: number;
  trials?: number;
  seed?: number | string;
  collapse?: string;
  act?: string;
  noise?: string;
  loss?: string;
  input?: string;
  optimizer?: string;
  schedule?: string;
  bnEps?: number;
  noiseSampling?: "exact-sum" | "per-sample";
  stopAtCollapse?: boolean;
  interval?: "wilson" | "clopper-pearson";
  streams?: "per-cell" | "common";
}

/** Every field with its default: what `sweep` runs when given nothing. */
export const DEFAULT_SWEEP: Required<Omit<RawSweepConfig, keyof RegimeFields>> = {
  model: "mechanistic",
  lr: [0.05, 0.1, 0.2, 0.4],
  gamma: [1],
  beta: [0],
  batch: [32],
  weightDecay: [0],
  signal: [0],
  steps: 1000,
  trials: 2000,
  seed: 1,
  collapse: "ratio:3",
  act: "relu",
  noise: "gauss:1",
  loss: "noise",
  input: "gauss",
  optimizer: "sgd",
  schedule: "constant",
  bnEps: 1e-5,
  noiseSampling: "exact-sum",
  stopAtCollapse: true,
  interval: "wilson",
  streams: "per-cell",
};

const listSchema = {
  anyOf: [
    { type: "number" },
    { type: "string", minLength: 1 },
    { type: "array", minItems: 1, items: { type: "number" } },
  ],
};

/** JSON Schema (draft-07) of a sweep config file. */
export const SWEEP_CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "bn-collapse sweep config",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    model: { enum: ["mechanistic", "reduced"] },
    lr: listSchema,
    gamma: listSchema,
    beta: listSchema,
    batch: listSchema,
    weightDecay: listSchema,
    signal: listSchema,
    steps: { type: "integer", minimum: 1, maximum: 2147483647 }, // first-passage times are Int32
    trials: { type: "integer", minimum: 1 },
    seed: { anyOf: [{ type: "integer" }, { type: "string", minLength: 1 }] },
    collapse: { type: "string" },
    act: { type: "string" },
    noise: { type: "string" },
    loss: { type: "string" },
    input: { type: "string" },
    optimizer: { type: "string" },
    schedule: { type: "string" },
    bnEps: { type: "number", minimum: 0 },
    noiseSampling: { enum: ["exact-sum", "per-sample"] },
    stopAtCollapse: { type: "boolean" },
    interval: { enum: ["wilson", "clopper-pearson"] },
    streams: { enum: ["per-cell", "common"] },
    ...REGIME_SCHEMA_PROPERTIES, // norm, phases, keepOptimizerState (optional; src/engine/phases-config.ts)
  },
} as const;

type AjvClass = typeof import("ajv").default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const checkSchema = new Ajv({ allErrors: false, strict: true }).compile(SWEEP_CONFIG_SCHEMA);

/** Throws a ConfigError naming the first field that does not fit the schema. */
export function checkSweepConfigSchema(raw: unknown): asserts raw is RawSweepConfig {
  if (checkSchema(raw)) return;
  const err = checkSchema.errors?.[0];
  if (!err) throw new ConfigError("config", "does not match the schema");
  const field = err.instancePath.replace(/^\//, "").split("/")[0] || "config";
  if (err.keyword === "additionalProperties") {
    const extra = (err.params as { additionalProperty: string }).additionalProperty;
    throw new ConfigError(extra, `unknown field (allowed: ${Object.keys(SWEEP_CONFIG_SCHEMA.properties).filter((k) => k !== "$schema").join(", ")})`);
  }
  const detail = err.keyword === "anyOf" ? "must be a number, a LIST string or an array of numbers" : err.message ?? "is invalid";
  throw new ConfigError(field, detail);
}

/** Grid axes in the order cells are enumerated (last varies fastest). */
export const AXES = ["batch", "gamma", "beta", "weightDecay", "signal", "lr"] as const;
export type Axis = (typeof AXES)[number];

/** A sweep with every default filled in and every list expanded: what the run used, as data. */
/** A config with every default filled in and every list expanded. */
export type SweepConfig = Omit<Required<Omit<RawSweepConfig, keyof RegimeFields>>, Axis> & Record<Axis, number[]> & RegimeFields;

export interface SweepSpec {
  config: SweepConfig;
  /** the problem of every cell before the axes are applied */
  template: UnitProblem;
}

function toList(v: number | number[] | string, field: string): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "string") return parseList(v, field);
  return v.slice();
}

/** Checks, fills in and expands a raw config; throws a ConfigError naming the field at fault. */
export function resolveSweep(raw: unknown): SweepSpec {
  checkSweepConfigSchema(raw);
  const merged = { ...DEFAULT_SWEEP, ...raw };
  delete (merged as { $schema?: unknown }).$schema;
  const lists = Object.fromEntries(AXES.map((a) => [a, toList(merged[a], a)])) as Record<Axis, number[]>;
  const config = { ...merged, ...lists };

  const noise = parseNoise(config.noise);
  const opt = parseOptimizer(config.optimizer);
  const template = defineProblem({
    batch: lists.batch[0],
    gamma0: lists.gamma[0],
    beta0: lists.beta[0],
    bnEps: config.bnEps,
    activation: parseActivation(config.act),
    input: parseInput(config.input),
    loss: parseLoss(config.loss, noise, lists.signal[0]),
    steps: config.steps,
    collapse: parseCriterion(config.collapse),
    noiseSampling: config.noiseSampling,
    model: config.model,
    ...(config.norm !== undefined ? { norm: parseNorm(config.norm) } : {}),
    ...(config.phases !== undefined ? { phases: parsePhases(config.phases, config.noise, config.loss) } : {}),
    ...(config.keepOptimizerState !== undefined ? { keepOptimizerState: config.keepOptimizerState } : {}),
    optimizer: { ...opt, lr: lists.lr[0], weightDecay: lists.weightDecay[0], schedule: parseSchedule(config.schedule) },
  });
  validateProblem(template);
  // every value of every axis must make a valid problem on its own (checked before the schedule
  // table, which costs 8 bytes a step)
  for (const axis of AXES) for (const value of lists[axis]) validateProblem(cellProblem(template, { [axis]: value }));
  const schedule = template.optimizer.schedule;
  const factors = schedule.kind === "constant" ? [1] : tabulateScheduleFactors(schedule, template.steps);
  // lr x factor must stay finite in every cell; found only inside a worker, it would fail mid-run
  let maxFactor = 0;
  for (const f of factors) if (f > maxFactor) maxFactor = f;
  for (const lr of lists.lr) {
    if (!Number.isFinite(lr * maxFactor)) throw new ConfigError("lr", `${lr} times the schedule's largest factor ${maxFactor} is not a finite learning rate`);
  }
  return { config, template };
}

/** The problem of one cell: the template with the given axis values put in. */
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
