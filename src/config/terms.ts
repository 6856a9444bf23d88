import { ConfigError } from "../model/errors.ts";
import type { Activation, Criterion, Input, Loss, Noise, OptimizerKind, Schedule } from "../model/problem.ts";
import { parseNumber } from "./lists.ts";

/**
 * The short textual forms used on the command line and in config files ("leaky:0.1",
 * "student:3", "ratio:3", ...), each parsed to the model's data and printed back by format*.
 */

function split(text: string): [string, string[]] {
  const [head, ...rest] = text.trim().split(":");
  return [head.toLowerCase(), rest];
}

function arity(field: string, text: string, args: string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new ConfigError(field, `"${text}" is malformed (${usage})`);
}

export function parseActivation(text: string, field = "act"): Activation {
  const [kind, args] = split(text);
  if (kind === "relu") {
    arity(field, text, args, 0, 0, "relu");
    return { kind: "relu" };
  }
  if (kind === "leaky") {
    arity(field, text, args, 1, 1, "leaky:ALPHA");
    return { kind: "leaky", alpha: parseNumber(args[0], field) };
  }
  throw new ConfigError(field, `unknown activation "${text}" (relu or leaky:ALPHA)`);
}

export function parseNoise(text: string, field = "noise"): Noise {
  const [kind, args] = split(text);
  if (kind === "gauss") {
    arity(field, text, args, 0, 1, "gauss or gauss:SIGMA");
    return { kind: "gauss", sigma: args.length ? parseNumber(args[0], field) : 1 };
  }
  if (kind === "student") {
    arity(field, text, args, 1, 2, "student:NU or student:NU:SIGMA");
    return { kind: "student", nu: parseNumber(args[0], field), sigma: args.length > 1 ? parseNumber(args[1], field) : 1 };
  }
  throw new ConfigError(field, `unknown noise "${text}" (gauss:SIGMA or student:NU)`);
}

export function parseLoss(text: string, noise: Noise, signal: number, field = "loss"): Loss {
  const [kind, args] = split(text);
  if (kind === "noise") {
    arity(field, text, args, 0, 0, "noise");
    return { kind: "noise", noise, signal };
  }
  if (kind === "teacher") {
    arity(field, text, args, 0, 4, "teacher[:GAMMA[:BETA[:LABELNOISE[:READOUT]]]]");
    const v = (i: number, d: number) => (args.length > i ? parseNumber(args[i], field) : d);
    return { kind: "teacher", gamma: v(0, 1), beta: v(1, 0), labelNoise: v(2, 1), readout: v(3, 1) };
  }
  throw new ConfigError(field, `unknown loss "${text}" (noise or teacher:GAMMA:BETA:LABELNOISE)`);
}

export function parseInput(text: string, field = "input"): Input {
  const [kind, args] = split(text);
  if (kind === "gauss") {
    arity(field, text, args, 0, 0, "gauss");
    return { kind: "gauss" };
  }
  if (kind === "linear") {
    arity(field, text, args, 1, 1, "linear:D");
    return { kind: "linear", dim: parseNumber(args[0], field) };
  }
  throw new ConfigError(field, `unknown input "${text}" (gauss or linear:D)`);
}

export interface OptimizerChoice {
  kind: OptimizerKind;
  momentum?: number;
  beta1?: number;
  beta2?: number;
}

export function parseOptimizer(text: string, field = "optimizer"): OptimizerChoice {
  const [kind, args] = split(text);
  if (kind === "sgd") {
    arity(field, text, args, 0, 0, "sgd");
    return { kind };
  }
  if (kind === "momentum") {
    arity(field, text, args, 0, 1, "momentum:M");
    return { kind, momentum: args.length ? parseNumber(args[0], field) : 0.9 };
  }
  if (kind === "adam" || kind === "adamw") {
    arity(field, text, args, 0, 2, `${kind} or ${kind}:BETA1:BETA2`);
    const choice: OptimizerChoice = { kind };
    if (args.length > 0) choice.beta1 = parseNumber(args[0], field);
    if (args.length > 1) choice.beta2 = parseNumber(args[1], field);
    return choice;
  }
  throw new ConfigError(field, `unknown optimiser "${text}" (sgd, momentum:M, adam, adamw)`);
}

/** "constant", "step:EVERY:FACTOR", "cosine[:MIN]", or any other text as a mathjs expression in t and T. */
export function parseSchedule(text: string, field = "schedule"): Schedule {
  const t = text.trim();
  if (t === "constant") return { kind: "constant" };
  const [kind, args] = split(t);
  if (kind === "step" && /^step:/.test(t)) {
    arity(field, text, args, 2, 2, "step:EVERY:FACTOR");
    return { kind: "step", every: parseNumber(args[0], field), factor: parseNumber(args[1], field) };
  }
  if (kind === "cosine" && /^cosine(:|$)/.test(t)) {
    arity(field, text, args, 0, 1, "cosine or cosine:MIN");
    return { kind: "cosine", minFactor: args.length ? parseNumber(args[0], field) : 0 };
  }
  if (t.startsWith("expr:")) return { kind: "expr", expr: t.slice(5) };
  return { kind: "expr", expr: t };
}

export function parseCriterion(text: string, field = "collapse"): Criterion {
  const [kind, args] = split(text);
  switch (kind) {
    case "dead":
      arity(field, text, args, 0, 0, "dead");
      return { kind: "dead" };
    case "ratio":
      arity(field, text, args, 1, 1, "ratio:C");
      return { kind: "ratio", c: parseNumber(args[0], field) };
    case "sparsity":
      arity(field, text, args, 1, 1, "sparsity:S");
      return { kind: "sparsity", s: parseNumber(args[0], field) };
    case "gamma":
      arity(field, text, args, 1, 1, "gamma:E");
      return { kind: "gamma", e: parseNumber(args[0], field) };
  }
  throw new ConfigError(field, `unknown criterion "${text}" (dead, ratio:C, sparsity:S, gamma:E)`);
}

export function formatSchedule(s: Schedule): string {
  switch (s.kind) {
    case "constant":
      return "constant";
    case "step":
      return `step:${s.every}:${s.factor}`;
    case "cosine":
      return `cosine:${s.minFactor}`;
    case "expr":
      return `expr:${s.expr}`;
  }
}

/** How a sweep estimates each cell's P(first passage <= T). */
export type Estimator = { kind: "mc" } | { kind: "ams"; replicas: number; kill: number; score: "extreme" | "time" };

/** AMS's defaults: 100 replicas, the lowest 10% killed per iteration (docs/rare-events.md says why). */
export const AMS_DEFAULT_REPLICAS = 100;
export const AMS_DEFAULT_KILL_FRACTION = 0.1;
/** the time-aware score: measured to need ~5-30x less work than the running extreme for the same SE at P ~ 1e-3..1e-7 (docs/rare-events.md) */
export const AMS_DEFAULT_SCORE = "time";

/** "mc" | "ams[:REPLICAS[:KILL[:SCORE]]]", with 2 <= REPLICAS and 1 <= KILL < REPLICAS integers, SCORE extreme | time. */
export function parseEstimator(text: string, field = "estimator"): Estimator {
  const [kind, args] = split(text);
  if (kind === "mc") {
    arity(field, text, args, 0, 0, "mc");
    return { kind: "mc" };
  }
  if (kind === "ams") {
    arity(field, text, args, 0, 3, "ams[:REPLICAS[:KILL[:SCORE]]]");
    const replicas = args.length > 0 ? parseNumber(args[0], field) : AMS_DEFAULT_REPLICAS;
    if (!Number.isInteger(replicas) || replicas < 2 || replicas > 100_000) throw new ConfigError(field, `REPLICAS in "${text}" must be an integer in 2..100000 (each replica keeps a state in memory)`);
    const kill = args.length > 1 ? parseNumber(args[1], field) : Math.max(1, Math.round(AMS_DEFAULT_KILL_FRACTION * replicas));
    if (!Number.isInteger(kill) || kill < 1 || kill >= replicas) throw new ConfigError(field, `KILL in "${text}" must be an integer in 1..${replicas - 1} (fewer than REPLICAS)`);
    const score = args.length > 2 ? args[2].trim().toLowerCase() : AMS_DEFAULT_SCORE;
    if (score !== "extreme" && score !== "time") throw new ConfigError(field, `SCORE in "${text}" must be extreme or time`);
    return { kind: "ams", replicas, kill, score };
  }
  throw new ConfigError(field, `unknown estimator "${text}" (mc or ams[:REPLICAS[:KILL]])`);
}
