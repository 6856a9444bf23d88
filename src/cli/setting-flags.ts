import { parseNumber } from "../config/lists.ts";
import { FIELD_NAMES, SWEEP_FIELDS, type Field, type FieldName, type Group } from "../config/fields.ts";
import { kebab, type FlagSpec } from "./args.ts";

/** A sweep setting's flag: the table's entry (src/config/fields.ts) as the command line sees it. */
export interface SettingFlag extends FlagSpec {
  field: FieldName;
  group: Group;
}

function flagOf(field: FieldName): SettingFlag {
  const f: Field = SWEEP_FIELDS[field];
  const base = { field, group: f.group, meta: f.meta, help: f.help, shown: f.shown ?? shownDefault(f) };
  if (f.kind === "toggle") return { ...base, name: f.flag, value: false, shown: undefined };
  return { ...base, name: kebab(field), value: true, ...(f.kind === "choice" ? { values: f.values } : {}) };
}

function shownDefault(f: Field): string {
  return f.kind === "list" ? f.default.join(",") : String(f.default);
}

/** The flags of every sweep setting, in the table's order. */
export const SETTING_FLAGS: readonly SettingFlag[] = FIELD_NAMES.map(flagOf);

/**
 * The raw config value of a setting's flag, from its text: numbers for numeric settings, an integer
 * seed where the text is one, the text itself otherwise (LISTs and text forms are read when the
 * config is resolved, so a config file and the command line take the same forms).
 */
export function settingValue(flag: SettingFlag, text: string | true): unknown {
  const f: Field = SWEEP_FIELDS[flag.field];
  if (f.kind === "toggle") return f.sets;
  const v = String(text);
  if (f.kind === "integer" || f.kind === "number") return parseNumber(v, `--${flag.name}`);
  if (f.kind === "seed") return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
  return v;
}

/** Puts every setting given as a flag into `raw` (over what a config file gave), in the table's order. */
export function applySettingFlags(flags: ReadonlyMap<string, string | true>, raw: Record<string, unknown>): void {
  for (const flag of SETTING_FLAGS) {
    const text = flags.get(flag.name);
    if (text !== undefined) raw[flag.field] = settingValue(flag, text);
  }
}
