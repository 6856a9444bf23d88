import { ConfigError } from "../model/errors.ts";

/**
 * A command's flag: its kebab-case name, whether it takes a value, and what --help says of it. A
 * command's flags are one table of these, so the parser, the help and a message naming the flags all
 * read the same list.
 */
export interface FlagSpec {
  name: string;
  value: boolean;
  /** the placeholder of the value in --help ("LIST", "N") */
  meta?: string;
  /** the lines of --help after the flag */
  help?: readonly string[];
  /** the default, shown in brackets in --help */
  shown?: string;
  /** the values it accepts, where they are a fixed set */
  values?: readonly string[];
  /** other forms of its value, each with its own rows in --help (`--shard auto` beside `--shard i/n`) */
  forms?: readonly { meta: string; help: readonly string[] }[];
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
    if (/^-[a-zA-Z]/.test(arg)) {
      if (arg === "-h") {
        flags.set("help", true);
        continue;
      }
      throw new ConfigError(arg, `unknown option (flags are spelt --name; see --help)`);
    }
    if (!arg.startsWith("--") || arg === "--") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) {
      const near = nearest(name, [...byName.keys()]);
      throw new ConfigError(`--${name}`, `unknown flag${near ? ` (did you mean --${near}?)` : ""} (see --help)`);
    }
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

/**
 * The --help rows of some flags: the flag and its placeholder, then its lines from column 25, the
 * default in brackets after the first line (at column 64 where it fits).
 */
export function helpRows(specs: readonly FlagSpec[]): string {
  const rows: string[] = [];
  const add = (name: string, meta: string | undefined, help: readonly string[], shown?: string) => {
    const [first = "", ...rest] = help;
    const head = `  --${name}${meta ? ` ${meta}` : ""}`;
    let line = (head.length < 25 ? head.padEnd(25) : `${head} `) + first;
    if (shown) line = `${line.length <= 62 ? line.padEnd(64) : `${line}  `}[${shown}]`;
    rows.push(line, ...rest.map((r) => " ".repeat(25) + r));
  };
  for (const s of specs) {
    add(s.name, s.meta, s.help ?? [], s.shown);
    for (const f of s.forms ?? []) add(s.name, f.meta, f.help);
  }
  return rows.map((r) => `${r}\n`).join("");
}

/** The candidate closest to a misspelt name (at most a third of its letters off), or null. */
export function nearest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
