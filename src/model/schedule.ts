import { createRequire } from "node:module";
import type { EvalFunction } from "mathjs";
import type { Schedule } from "./problem.ts";
import { ConfigError } from "./errors.ts";

/**
 * What a learning-rate schedule means: its factor at every update t = 0..steps-1. The config checks
 * a schedule with it when a sweep is resolved, and the engine tabulates the learning rate before the
 * run, so the step loop only reads an array: mathjs is used here, once, and never inside the loop.
 */
export function tabulateLearningRate(lr: number, schedule: Schedule, steps: number, field = "schedule"): Float64Array {
  const factors = tabulateScheduleFactors(schedule, steps, field);
  const table = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    const value = lr * factors[t];
    if (!Number.isFinite(value)) throw new ConfigError(field, `gives learning rate ${value} at step t=${t}; it must be finite`);
    table[t] = value;
  }
  return table;
}

// The last schedule tabulated, so the cells of a sweep (which share it) evaluate it once per thread.
let lastKey = "";
let lastFactors = new Float64Array(0);

/** The schedule's factor at every update; throws a ConfigError if one is negative or not finite. */
export function tabulateScheduleFactors(schedule: Schedule, steps: number, field = "schedule"): Float64Array {
  const key = `${steps}|${JSON.stringify(schedule)}`;
  if (key === lastKey) return lastFactors;
  const factor = scheduleFactor(schedule, steps, field);
  const table = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    const value = factor(t);
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(field, `gives the factor ${value} at update t=${t}; it must be finite and >= 0`);
    }
    table[t] = value;
  }
  lastKey = key;
  lastFactors = table;
  return table;
}

function scheduleFactor(schedule: Schedule, steps: number, field: string): (t: number) => number {
  switch (schedule.kind) {
    case "constant":
      return () => 1;
    case "step":
      return (t) => Math.pow(schedule.factor, Math.floor(t / schedule.every));
    case "cosine":
      return (t) => schedule.minFactor + (1 - schedule.minFactor) * 0.5 * (1 + Math.cos((Math.PI * t) / steps));
    case "expr":
      return compileScheduleExpression(schedule.expr, steps, field);
  }
}

/** Compiles a mathjs expression in t (update index from 0) and T (steps) to a factor. */
export function compileScheduleExpression(expr: string, steps: number, field = "schedule"): (t: number) => number {
  let code: EvalFunction;
  let node: import("mathjs").MathNode;
  if (expr.length > MAX_EXPRESSION_LENGTH) throw new ConfigError(field, `the expression is ${expr.length} characters long, more than ${MAX_EXPRESSION_LENGTH}`);
  try {
    node = loadMathjs().parse(expr);
  } catch (e) {
    throw new ConfigError(field, `cannot parse expression "${expr}": ${(e as Error).message}`);
  }
  checkScalarExpression(node, expr, field);
  try {
    code = node.compile() as EvalFunction;
  } catch (e) {
    throw new ConfigError(field, `cannot parse expression "${expr}": ${(e as Error).message}`);
  }
  const scope = new Map<string, number>([["T", steps], ["t", 0]]);
  return (t: number) => {
    scope.set("t", t);
    let v: unknown;
    try {
      v = code.evaluate(scope);
    } catch (e) {
      throw new ConfigError(field, `expression "${expr}" fails at t=${t}: ${(e as Error).message}`);
    }
    if (typeof v !== "number") {
      throw new ConfigError(field, `expression "${expr}" must give a real number at t=${t}, got ${String(v)}`);
    }
    return v;
  };
}

/**
 * mathjs is loaded on first use: it takes seconds to load, and every worker thread would pay that
 * for nothing when the schedule is not an expression.
 */
let mathjs: typeof import("mathjs") | null = null;
function loadMathjs(): typeof import("mathjs") {
  mathjs ??= createRequire(import.meta.url)("mathjs") as typeof import("mathjs");
  return mathjs;
}

/** Longest schedule expression accepted (a formula, not a program). */
export const MAX_EXPRESSION_LENGTH = 1000;

/**
 * The functions a schedule may call: scalar in, scalar out. It is tabulated at every update of
 * every thread, so the cost of one evaluation is bounded by its size: no matrices, ranges,
 * assignments or function definitions (`sum(ones(10000, 10000))` would allocate 800 MB per step).
 */
const SCALAR_FUNCTIONS = new Set([
  "abs", "sign", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "mod",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
  "floor", "ceil", "round", "fix", "min", "max", "hypot",
]);
const SYMBOLS = new Set(["t", "T", "pi", "e"]);

function checkScalarExpression(node: import("mathjs").MathNode, expr: string, field: string): void {
  const refuse = (what: string) => {
    throw new ConfigError(field, `expression "${expr}": ${what}; a schedule is a scalar formula in t and T (functions: ${[...SCALAR_FUNCTIONS].join(", ")})`);
  };
  let count = 0;
  node.traverse((n, _path, parent) => {
    if (++count > 500) refuse("more than 500 terms");
    switch (n.type) {
      case "ConstantNode":
        if (typeof (n as unknown as { value: unknown }).value !== "number") refuse(`the constant ${n.toString()} is not a number`);
        return;
      case "SymbolNode": {
        const name = (n as unknown as { name: string }).name;
        const isCallee = parent?.type === "FunctionNode" && (parent as unknown as { fn: unknown }).fn === n;
        if (isCallee ? !SCALAR_FUNCTIONS.has(name) : !SYMBOLS.has(name)) refuse(isCallee ? `${name}() is not a scalar function allowed here` : `unknown symbol "${name}" (t is the update, T the steps)`);
        return;
      }
      case "FunctionNode":
        if ((n as unknown as { fn: { type: string } }).fn.type !== "SymbolNode") refuse("only named functions may be called");
        return;
      case "OperatorNode":
      case "ParenthesisNode":
      case "ConditionalNode":
        return;
      default:
        refuse(`${n.type.replace(/Node$/, "").toLowerCase()} expressions are not allowed`);
    }
  });
}
