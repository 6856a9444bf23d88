import AjvModule from "ajv";
import { ConfigError } from "../model/errors.ts";
import { checkPhaseList, parseNorm, parsePhases } from "./phases-config.ts";
import { defineProblem, type UnitProblem } from "../model/problem.ts";
import { DEFAULT_SWEEP, FIELD_NAMES, LIST_FIELDS, SWEEP_CONFIG_SCHEMA, type RawSweepConfig, type SweepConfig } from "./fields.ts";
import { parseList } from "./lists.ts";
import { parseActivation, parseCriterion, parseInput, parseLoss, parseNoise, parseOptimizer, parseSchedule } from "./terms.ts";

type AjvClass = typeof import("ajv").default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const checkSchema = new Ajv({ allErrors: false, strict: true }).compile(SWEEP_CONFIG_SCHEMA);

/** Throws a ConfigError naming the first field that does not fit the schema. */
export function checkSweepConfigSchema(raw: unknown): asserts raw is RawSweepConfig {
  if (checkSchema(raw)) return;
  const err = checkSchema.errors?.[0];
  if (!err) throw new ConfigError("config", "does not match the schema");
  const field = err.instancePath.replace(/^\//, "").split("/")[0] || "config";
  // the phases' own check names the phase and the key (the schema's anyOf would say "must be string")
  if (field === "phases" && typeof (raw as { phases?: unknown }).phases !== "string") checkPhaseList((raw as { phases?: unknown }).phases);
  if (err.keyword === "additionalProperties") {
    const extra = (err.params as { additionalProperty: string }).additionalProperty;
    throw new ConfigError(extra, `unknown field (allowed: ${FIELD_NAMES.join(", ")})`);
  }
  if (err.keyword === "enum") {
    const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
    throw new ConfigError(field, `must be one of ${allowed}, got ${JSON.stringify((raw as Record<string, unknown>)[field])}`);
  }
  const detail = err.keyword === "anyOf" ? "must be a number, a LIST string or an array of numbers" : err.message ?? "is invalid";
  throw new ConfigError(field, detail);
}

function toList(v: number | number[] | string, field: string): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "string") return parseList(v, field);
  return v.slice();
}

/**
 * Checks a raw config against the schema, fills in every default and expands every LIST; throws a
 * ConfigError naming the field at fault. Whether the settings make a valid problem is checked where
 * the problem is made (src/ensemble/problem.ts).
 */
export function resolveConfig(raw: unknown): SweepConfig {
  checkSweepConfigSchema(raw);
  const merged: Record<string, unknown> = { ...DEFAULT_SWEEP, ...raw };
  delete merged.$schema;
  for (const field of LIST_FIELDS) merged[field] = toList(merged[field] as number | number[] | string, field);
  return merged as SweepConfig;
}

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
