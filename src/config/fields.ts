import { REGIME_SCHEMA_PROPERTIES, type RawPhase } from "../engine/phases-config.ts";

/**
 * Every setting of a sweep, declared once: its kind (which gives its type in a config file, its JSON
 * schema and how its flag's text is read), its default, its group and its lines in `sweep --help`.
 * The config file's field is the key; the flag is its kebab-case (`weightDecay` -> `--weight-decay`),
 * or `flag` for a switch. RawSweepConfig, SweepConfig, DEFAULT_SWEEP, SWEEP_CONFIG_SCHEMA, the sweep
 * command's flags and its help are all made from this table, so a new setting is one entry here.
 *
 * The order is the order of a resolved config's fields (and so of every output's "config"), and the
 * LIST fields' order is the order of the axis values in each cell and of the CSV columns.
 * An `optional` setting is left out of a resolved config unless given, so that adding one leaves
 * every earlier output byte for byte as it was; `fallback` is what applies when it is absent.
 */
export const SWEEP_FIELDS = {
  model: choice(["mechanistic", "reduced"], "mechanistic", "Model", "M", [
    "mechanistic (a fresh batch each step) | reduced (Gaussian",
    "gradients at r = beta/|gamma|; gauss noise, noise loss, gauss input)",
  ]),
  lr: list([0.05, 0.1, 0.2, 0.4], "learning rate"),
  gamma: list([1], "initial BN scale gamma0 (non-zero)"),
  beta: list([0], "initial BN shift beta0"),
  batch: list([32], "mini-batch size B >= 2"),
  weightDecay: list([0], "L2 weight decay lambda"),
  signal: list([0], "mean mu_g of the upstream gradient"),
  // first-passage times are Int32
  steps: integer(1000, 1, 2147483647, "Run", "T", "updates per trajectory (horizon)"),
  trials: integer(2000, 1, undefined, "Run", "N", "trajectories per cell"),
  seed: { kind: "seed", default: 1 as number | string, group: "Run", meta: "S", help: ["master seed (integer or text)"] },
  collapse: term("ratio:3", "Run", "CRIT", "dead | ratio:C | sparsity:S | gamma:E"),
  act: term("relu", "Model", "A", "relu | leaky:ALPHA"),
  noise: term("gauss:1", "Model", "N", "gauss:SIGMA | student:NU[:SIGMA]"),
  loss: term("noise", "Model", "L", "noise | teacher:GAMMA:BETA:LABELNOISE[:READOUT]"),
  input: term("gauss", "Model", "I", "gauss | linear:D (learned pre-layer)"),
  optimizer: term("sgd", "Optimiser", "O", "sgd | momentum:M | adam[:B1:B2] | adamw[:B1:B2]"),
  schedule: term("constant", "Optimiser", "S", [
    "constant | step:EVERY:FACTOR | cosine[:MIN] | EXPR in t, T",
    `(a factor on lr at update t = 0..T-1, e.g. "0.5^floor(t/500)")`,
  ]),
  bnEps: { kind: "number", default: 1e-5, min: 0, group: "Model", meta: "E", help: ["BN epsilon"], shown: "1e-5" },
  noiseSampling: choice(["exact-sum", "per-sample"], "exact-sum", "Model", "M", "exact-sum | per-sample"),
  stopAtCollapse: toggle(true, "run-to-horizon", false, "Run", "do not stop trajectories at first passage"),
  interval: choice(["wilson", "clopper-pearson"], "wilson", "Statistics", "I", "wilson | clopper-pearson (95%)"),
  streams: choice(["per-cell", "common"], "per-cell", "Statistics", "S", "per-cell | common random numbers"),
  norm: {
    kind: "term", default: "bn", optional: true, schema: REGIME_SCHEMA_PROPERTIES.norm, group: "Model", meta: "N",
    help: ["bn | psbn[:MARGIN[:PATIENCE]] (post-shifted BN, a", "reconstruction: docs/psbn.md) | rshift (r is the learned shift)"],
  },
  phases: {
    kind: "phases", default: [] as RawPhase[] | string, optional: true, group: "Model", meta: "JSON", shown: "",
    help: [
      `phases run before the main one, e.g. '[{"steps":1000,"lr":0.05,`,
      `"optimizer":"sgd","loss":"teacher:0.3:-0.6:0.5"}]' (docs/regimes.md)`,
    ],
  },
  keepOptimizerState: { ...toggle(false, "keep-optimizer-state", true, "Model", "carry momentum/Adam state across phase boundaries (default: reset)"), optional: true },
  kmPoints: {
    kind: "integer", default: 200, min: 2, max: 1_000_000, optional: true, group: "Statistics", meta: "N",
    help: ["Kaplan-Meier curve points per cell", "(evenly thinned; fit's median band reads them)"],
  },
} as const satisfies Record<string, Field>;

/** The groups of `sweep --help`, in order. */
export const GROUPS = ["Grid", "Run", "Model", "Optimiser", "Statistics"] as const;
export type Group = (typeof GROUPS)[number];

interface FieldBase {
  group: Group;
  /** the placeholder of the flag's value in --help (none for a switch) */
  meta?: string;
  /** the lines of --help after the flag */
  help: readonly string[];
  /** the default as --help shows it, where its own text is not the best ("1e-5", not "0.00001") */
  shown?: string;
  /** left out of a resolved config unless given; `default` is then the fallback */
  optional?: boolean;
}

/** The kinds of setting: what a config file may hold for it, and how its flag's text is read. */
export type Field = FieldBase &
  (
    | { kind: "list"; default: readonly number[] } // a LIST: number, array of numbers, or "a,b,c" / "a:b:n[log]"
    | { kind: "integer"; default: number; min: number; max?: number }
    | { kind: "number"; default: number; min: number }
    | { kind: "seed"; default: number | string } // an integer, or any text
    | { kind: "term"; default: string; schema?: object } // a text form parsed into the model (src/config/terms.ts)
    | { kind: "choice"; default: string; values: readonly string[] }
    | { kind: "toggle"; default: boolean; flag: string; sets: boolean } // a switch: --flag sets the field to `sets`
    | { kind: "phases"; default: RawPhase[] | string } // a JSON array, or its text on the command line
  );

export type Fields = typeof SWEEP_FIELDS;
export type FieldName = keyof Fields;

type RawValue<F> = F extends { kind: "list" }
  ? number | number[] | string
  : F extends { kind: "integer" | "number" }
    ? number
    : F extends { kind: "seed" }
      ? number | string
      : F extends { kind: "choice"; values: readonly (infer V)[] }
        ? V
        : F extends { kind: "toggle" }
          ? boolean
          : F extends { kind: "phases" }
            ? RawPhase[] | string
            : string;
type ResolvedValue<F> = F extends { kind: "list" } ? number[] : RawValue<F>;
type OptionalName = { [K in FieldName]: Fields[K] extends { optional: true } ? K : never }[FieldName];
type RequiredName = Exclude<FieldName, OptionalName>;

/**
 * A sweep as the user writes it: in a JSON config file, or as command-line flags with the same names
 * (camelCase here, kebab-case on the command line). Lists may be arrays or LIST strings.
 */
export type RawSweepConfig = { [K in FieldName]?: RawValue<Fields[K]> };

/** A sweep's settings with every default filled in and every list expanded: what the run used, as data. */
export type SweepConfig = { [K in RequiredName]: ResolvedValue<Fields[K]> } & { [K in OptionalName]?: ResolvedValue<Fields[K]> };

/** The settings given as LISTs: the axes of the grid, in the order cells and CSV columns show them. */
export type ListField = { [K in FieldName]: Fields[K] extends { kind: "list" } ? K : never }[FieldName];

export const FIELD_NAMES = Object.keys(SWEEP_FIELDS) as FieldName[];
export const LIST_FIELDS = FIELD_NAMES.filter((k) => SWEEP_FIELDS[k].kind === "list") as ListField[];

/** Every setting that is not optional, with its default: what `sweep` runs when given nothing. */
export const DEFAULT_SWEEP = Object.fromEntries(
  FIELD_NAMES.filter((k) => !isOptional(k)).map((k) => {
    const d = SWEEP_FIELDS[k].default;
    return [k, Array.isArray(d) ? d.slice() : d];
  }),
) as { [K in RequiredName]: ResolvedValue<Fields[K]> };

export function isOptional(name: FieldName): boolean {
  return (SWEEP_FIELDS[name] as FieldBase).optional === true;
}

const LIST_SCHEMA = {
  anyOf: [
    { type: "number" },
    { type: "string", minLength: 1 },
    { type: "array", minItems: 1, items: { type: "number" } },
  ],
};

function schemaOf(f: Field): object {
  switch (f.kind) {
    case "list":
      return LIST_SCHEMA;
    case "integer":
      return f.max === undefined ? { type: "integer", minimum: f.min } : { type: "integer", minimum: f.min, maximum: f.max };
    case "number":
      return { type: "number", minimum: f.min };
    case "seed":
      return { anyOf: [{ type: "integer" }, { type: "string", minLength: 1 }] };
    case "term":
      return f.schema ?? { type: "string" };
    case "choice":
      return { enum: f.values };
    case "toggle":
      return { type: "boolean" };
    case "phases":
      return REGIME_SCHEMA_PROPERTIES.phases;
  }
}

/** JSON Schema (draft-07) of a sweep config file. */
export const SWEEP_CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "bn-collapse sweep config",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    ...Object.fromEntries(FIELD_NAMES.map((k) => [k, schemaOf(SWEEP_FIELDS[k])])),
  } as Record<"$schema" | FieldName, object>,
};

// The builders keep each entry on one line where it fits; `const` keeps the literal types the
// mapped types above read (a choice's values, a toggle's flag).

function list(d: readonly number[], help: string) {
  return { kind: "list", default: d, group: "Grid", meta: "LIST", help: [help] } as const;
}

function integer(d: number, min: number, max: number | undefined, group: Group, meta: string, help: string) {
  return { kind: "integer", default: d, min, max, group, meta, help: [help] } as const;
}

function term(d: string, group: Group, meta: string, help: string | readonly string[]) {
  return { kind: "term", default: d, group, meta, help: typeof help === "string" ? [help] : help } as const;
}

function choice<const V extends readonly string[]>(values: V, d: V[number], group: Group, meta: string, help: string | readonly string[]) {
  return { kind: "choice", values, default: d, group, meta, help: typeof help === "string" ? [help] : help } as const;
}

function toggle(d: boolean, flag: string, sets: boolean, group: Group, help: string) {
  return { kind: "toggle", default: d, flag, sets, group, help: [help] } as const;
}
