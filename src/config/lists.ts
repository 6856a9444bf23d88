import { ConfigError } from "../model/errors.ts";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses one number, rejecting what Number() would quietly accept ("", "0x10", " 1 "). */
export function parseNumber(text: string, field: string): number {
  const t = text.trim();
  if (!NUMBER.test(t)) throw new ConfigError(field, `"${text}" is not a number`);
  const v = Number(t);
  if (!Number.isFinite(v)) throw new ConfigError(field, `"${text}" is not a finite number`);
  return v;
}

/** Keeps 12 significant digits so that spaced values print as they were meant (0.3, not 0.30000000000000004). */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * A LIST: "a,b,c" (explicit values), "a:b:n" (n linearly spaced values from a to b inclusive) or
 * "a:b:nlog" (n log-spaced values, a and b > 0). Returns the values in the order given.
 */
export function parseList(text: string, field: string): number[] {
  const t = text.trim();
  if (t.length === 0) throw new ConfigError(field, "empty list");
  if (t.includes(":")) {
    const parts = t.split(":");
    if (parts.length !== 3) throw new ConfigError(field, `"${text}" is not a LIST (a,b,c or a:b:n or a:b:nlog)`);
    const a = parseNumber(parts[0], field);
    const b = parseNumber(parts[1], field);
    const m = /^(\d+)(log)?$/.exec(parts[2].trim());
    if (!m) throw new ConfigError(field, `"${parts[2]}" in "${text}" must be a count n or nlog`);
    const n = Number(m[1]);
    const log = m[2] !== undefined;
    if (n < 1 || n > 100000) throw new ConfigError(field, `count ${n} in "${text}" must be in 1..100000`);
    if (n === 1 && a !== b) throw new ConfigError(field, `"${text}" asks for 1 value between two different ends`);
    if (log && (a <= 0 || b <= 0)) throw new ConfigError(field, `log-spaced "${text}" needs both ends > 0`);
    return spaced(a, b, n, log);
  }
  return t.split(",").map((p) => parseNumber(p, field));
}

export function spaced(a: number, b: number, n: number, log: boolean): number[] {
  if (n === 1) return [a];
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const f = k / (n - 1);
    const v = log ? Math.exp(Math.log(a) + f * (Math.log(b) - Math.log(a))) : a + f * (b - a);
    out.push(k === 0 ? a : k === n - 1 ? b : tidy(v));
  }
  return out;
}
