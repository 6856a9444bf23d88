import { parseNumber } from "../config/lists.ts";
import { ConfigError } from "../model/errors.ts";
import type { ParsedArgs } from "./args.ts";

type Flags = ParsedArgs["flags"];

/** The value of --name as an integer in [min, max], or `fallback` when the flag is absent. */
export function integerFlag(flags: Flags, name: string, fallback: number, min: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const v = parseNumber(String(raw), `--${name}`);
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`--${name}`, `must be an integer in ${min}..${max}, got "${raw}"`);
  return v;
}

/** The value of --name as a finite number, or `fallback` when the flag is absent. */
export function numberFlag(flags: Flags, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(v)) throw new ConfigError(`--${name}`, `must be a number, got "${String(raw)}"`);
  return v;
}

/** The value of --name, one of `choices`, or `fallback` when the flag is absent. */
export function choiceFlag<T extends string>(flags: Flags, name: string, choices: readonly T[], fallback: T): T {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new ConfigError(`--${name}`, `must be ${choices.join(" or ")}, got "${String(raw)}"`);
  return raw as T;
}
