import { ConfigError } from "../model/errors.ts";

/** A command's flags: the kebab-case name and whether it takes a value. */
export interface FlagSpec {
  name: string;
  value: boolean;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`; rejects unknown and repeated flags and
 * flags missing their value, naming the flag. A value may start with "-" (negative numbers).
 */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--") || arg === "--") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new ConfigError(`--${name}`, `unknown flag (see --help)`);
    if (flags.has(name)) throw new ConfigError(`--${name}`, "given more than once");
    if (!spec.value) {
      if (eq >= 0) throw new ConfigError(`--${name}`, "takes no value");
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !/^--[a-z]/.test(argv[i + 1])) value = argv[++i];
    if (value === undefined || value.length === 0) throw new ConfigError(`--${name}`, "needs a value");
    flags.set(name, value);
  }
  return { flags, positional };
}

export const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
