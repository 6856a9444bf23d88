import { parseLoss, parseNoise, parseOptimizer, parseSchedule } from "./terms.ts";
import { parseNumber } from "./lists.ts";
import { ConfigError } from "../model/errors.ts";
import { DEFAULT_OPTIMIZER, type Norm, type Phase } from "../model/problem.ts";

/**
 * The sweep-config fields of training phases and norms (docs/regimes.md, docs/psbn.md). They are
 * optional and absent from a resolved config unless given, so configs without them are unchanged.
 */
export interface RawPhase {
  steps: number;
  /** sgd | momentum:M | adam[:B1:B2] | adamw[:B1:B2]; default sgd */
  optimizer?: string;
  lr: number;
  weightDecay?: number;
  /** default constant */
  schedule?: string;
  /** noise | teacher:GAMMA:BETA:LABELNOISE[:READOUT]; default the sweep's loss */
  loss?: string;
}

export interface RegimeFields {
  /** bn | psbn[:ALPHA] | revive[:MARGIN[:PATIENCE]] | rshift (default bn) */
  norm?: string;
  /** phases run before the sweep's own (a JSON array as text on the command line) */
  phases?: RawPhase[] | string;
  /** carry momentum / Adam state across phase boundaries (default false) */
  keepOptimizerState?: boolean;
}

export const REGIME_SCHEMA_PROPERTIES = {
  norm: { type: "string", minLength: 1 },
  phases: {
    anyOf: [
      { type: "string", minLength: 1 },
      {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["steps", "lr"],
          properties: {
            steps: { type: "integer", minimum: 1 },
            optimizer: { type: "string" },
            lr: { type: "number" },
            weightDecay: { type: "number", minimum: 0 },
            schedule: { type: "string" },
            loss: { type: "string" },
          },
        },
      },
    ],
  },
  keepOptimizerState: { type: "boolean" },
} as const;

const PHASE_KEYS = Object.keys(REGIME_SCHEMA_PROPERTIES.phases.anyOf[1].items.properties);

/**
 * The same check of a phase list whether it came as JSON text (a flag) or as an array (a config
 * file): each phase an object with only the known keys, steps an integer >= 1, lr a finite number
 * > 0, weightDecay >= 0, the texts strings. The message names the phase and the key.
 */
export function checkPhaseList(list: unknown, field = "phases"): asserts list is RawPhase[] {
  if (!Array.isArray(list)) throw new ConfigError(field, "must be a JSON array of phases");
  if (list.length === 0) throw new ConfigError(field, "is empty: give at least one phase, or leave the field out");
  list.forEach((ph: unknown, k) => {
    const at = `phase ${k + 1}`;
    if (ph === null || typeof ph !== "object" || Array.isArray(ph)) throw new ConfigError(field, `${at} must be an object {"steps": N, "lr": X, ...}`);
    const o = ph as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!PHASE_KEYS.includes(key)) throw new ConfigError(field, `${at}: unknown key "${key}" (keys: ${PHASE_KEYS.join(", ")})`);
    }
    if (!(typeof o.steps === "number" && Number.isSafeInteger(o.steps) && o.steps >= 1)) throw new ConfigError(field, `${at}: "steps" must be an integer >= 1, got ${JSON.stringify(o.steps)}`);
    if (!(typeof o.lr === "number" && Number.isFinite(o.lr) && o.lr > 0)) throw new ConfigError(field, `${at}: "lr" must be a finite number > 0, got ${JSON.stringify(o.lr)}`);
    if (o.weightDecay !== undefined && !(typeof o.weightDecay === "number" && Number.isFinite(o.weightDecay) && o.weightDecay >= 0)) {
      throw new ConfigError(field, `${at}: "weightDecay" must be a finite number >= 0, got ${JSON.stringify(o.weightDecay)}`);
    }
    for (const key of ["optimizer", "schedule", "loss"]) {
      if (o[key] !== undefined && typeof o[key] !== "string") throw new ConfigError(field, `${at}: "${key}" must be a string, got ${JSON.stringify(o[key])}`);
    }
  });
}

const NORMS = "bn, psbn[:ALPHA], revive[:MARGIN[:PATIENCE]], rshift";

/** "bn", "psbn[:ALPHA]" (default 0.1), "revive[:MARGIN[:PATIENCE]]" (defaults 0.5 and 20) or "rshift". */
export function parseNorm(text: string, field = "norm"): Norm {
  const [head, ...args] = text.trim().split(":");
  const kind = head.toLowerCase();
  if (kind === "bn" && args.length === 0) return { kind: "bn" };
  if (kind === "rshift" && args.length === 0) return { kind: "rshift" };
  if (kind === "psbn" && args.length <= 1) return { kind: "psbn", alpha: args.length ? parseNumber(args[0], field) : 0.1 };
  if (kind === "psbn") {
    throw new ConfigError(field, `"${text}": psbn takes one argument, ALPHA (y = BN(x) + ALPHA); the reconstruction with MARGIN:PATIENCE is now revive:${args.join(":")} (docs/psbn.md)`);
  }
  if (kind === "revive" && args.length <= 2) {
    return { kind: "revive", margin: args.length ? parseNumber(args[0], field) : 0.5, patience: args.length > 1 ? parseNumber(args[1], field) : 20 };
  }
  throw new ConfigError(field, `unknown norm "${text}" (${NORMS})`);
}

/** The phases of a config (array, or its JSON text), with the sweep's noise and loss text as defaults. */
export function parsePhases(raw: RawPhase[] | string | undefined, noiseText: string, lossText: string, field = "phases"): Phase[] | undefined {
  if (raw === undefined) return undefined;
  let list: RawPhase[];
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw) as RawPhase[];
    } catch (e) {
      throw new ConfigError(field, `is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(list)) throw new ConfigError(field, "must be a JSON array of phases");
  } else list = raw;
  checkPhaseList(list, field);
  const noise = parseNoise(noiseText);
  return list.map((ph) => {
    const opt = parseOptimizer(ph.optimizer ?? "sgd", field);
    return {
      steps: ph.steps,
      optimizer: {
        ...DEFAULT_OPTIMIZER,
        ...opt,
        lr: ph.lr,
        weightDecay: ph.weightDecay ?? 0,
        schedule: parseSchedule(ph.schedule ?? "constant", field),
      },
      loss: parseLoss(ph.loss ?? lossText, noise, 0, field),
    };
  });
}
