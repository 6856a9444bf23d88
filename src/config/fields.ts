import { REGIME_SCHEMA_PROPERTIES, type RawPhase } from "./phases-config.ts";

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
 * every earlier output byte for byte as it was; its `default` is what applies when it is absent.
 */
export const SWEEP_FIELDS = {
  model: {
    kind: "choice", values: ["mechanistic", "reduced"], default: "mechanistic", group: "Model", meta: "M",
    help: ["mechanistic (a fresh batch each step) | reduced (Gaussian", "gradients at r = beta/|gamma|; gauss noise, noise loss, gauss input)"],
  },
  lr: { kind: "list", default: [0.05, 0.1, 0.2, 0.4], group: "Grid", meta: "LIST", help: ["learning rate"] },
  gamma: { kind: "list", default: [1], group: "Grid", meta: "LIST", help: ["initial BN scale gamma0 (non-zero)"] },
  beta: { kind: "list", default: [0], group: "Grid", meta: "LIST", help: ["initial BN shift beta0"] },
  batch: { kind: "list", default: [32], group: "Grid", meta: "LIST", help: ["mini-batch size B >= 2"] },
  weightDecay: { kind: "list", default: [0], group: "Grid", meta: "LIST", help: ["L2 weight decay lambda"] },
  signal: { kind: "list", default: [0], group: "Grid", meta: "LIST", help: ["mean mu_g of the upstream gradient"] },
  // at most 2^31 - 1: first-passage times are Int32
  steps: { kind: "integer", default: 1000, min: 1, max: 2147483647, group: "Run", meta: "T", help: ["updates per trajectory (horizon)"] },
  trials: { kind: "integer", default: 2000, min: 1, group: "Run", meta: "N", help: ["trajectories per cell"] },
  seed: { kind: "seed", default: 1 as number | string, group: "Run", meta: "S", help: ["master seed (integer or text)"] },
  collapse: { kind: "term", default: "ratio:3", group: "Run", meta: "CRIT", help: ["dead | ratio:C | sparsity:S | gamma:E"] },
  act: { kind: "term", default: "relu", group: "Model", meta: "A", help: ["relu | leaky:ALPHA"] },
  noise: { kind: "term", default: "gauss:1", group: "Model", meta: "N", help: ["gauss:SIGMA | student:NU[:SIGMA]"] },
  loss: { kind: "term", default: "noise", group: "Model", meta: "L", help: ["noise | teacher:GAMMA:BETA:LABELNOISE[:READOUT]"] },
  input: { kind: "term", default: "gauss", group: "Model", meta: "I", help: ["gauss | linear:D (learned pre-layer)"] },
  optimizer: { kind: "term", default: "sgd", group: "Optimiser", meta: "O", help: ["sgd | momentum:M | adam[:B1:B2] | adamw[:B1:B2]"] },
  schedule: {
    kind: "term", default: "constant", group: "Optimiser", meta: "S",
    help: ["constant | step:EVERY:FACTOR | cosine[:MIN] | EXPR in t, T", `(a factor on lr at update t = 0..T-1, e.g. "0.5^floor(t/500)")`],
  },
  bnEps: { kind: "number", default: 1e-5, min: 0, group: "Model", meta: "E", help: ["BN epsilon"], shown: "1e-5" },
  noiseSampling: { kind: "choice", values: ["exact-sum", "per-sample"], default: "exact-sum", group: "Model", meta: "M", help: ["exact-sum | per-sample"] },
  stopAtCollapse: { kind: "toggle", default: true, flag: "run-to-horizon", sets: false, group: "Run", help: ["do not stop trajectories at first passage"] },
  interval: { kind: "choice", values: ["wilson", "clopper-pearson"], default: "wilson", group: "Statistics", meta: "I", help: ["wilson | clopper-pearson (95%)"] },
  streams: { kind: "choice", values: ["per-cell", "common"], default: "per-cell", group: "Statistics", meta: "S", help: ["per-cell | common random numbers"] },
  norm: {
    kind: "term", default: "bn", optional: true, schema: REGIME_SCHEMA_PROPERTIES.norm, group: "Model", meta: "N",
    help: ["bn | psbn[:ALPHA] (BN + ALPHA, default 0.1) |", "revive[:MARGIN[:PATIENCE]] | rshift (docs/psbn.md)"],
  },
  phases: {
    kind: "phases", default: [] as RawPhase[] | string, optional: true, group: "Model", meta: "JSON", shown: "",
    help: [`phases run before the main one, e.g. '[{"steps":1000,"lr":0.05,`, `"optimizer":"sgd","loss":"teacher:0.3:-0.6:0.5"}]' (docs/regimes.md)`],
  },
  keepOptimizerState: {
    kind: "toggle", default: false, flag: "keep-optimizer-state", sets: true, optional: true, group: "Model",
    help: ["carry momentum/Adam state across phase boundaries (default: reset)"],
  },
  kmPoints: {
    kind: "integer", default: 200, min: 2, max: 1_000_000, optional: true, group: "Statistics", meta: "N",
    help: ["Kaplan-Meier curve points per cell", "(evenly thinned; fit's median band reads them)"],
  },
  estimator: {
    kind: "term", default: "mc", optional: true, group: "Statistics", meta: "E",
    help: ["mc (plain Monte Carlo) | ams[:REPLICAS[:KILL[:SCORE]]] (adaptive", "multilevel splitting for rare collapse, default ams:100:10:time;", "SCORE time | extreme; docs/rare-events.md)"],
  },
  amsRuns: {
    kind: "integer", default: 16, min: 1, max: 1_000_000, optional: true, group: "Statistics", meta: "M",
    help: ["independent AMS runs per cell: p is their mean, its SE their spread"],
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
) as unknown as { [K in RequiredName]: ResolvedValue<Fields[K]> };

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
