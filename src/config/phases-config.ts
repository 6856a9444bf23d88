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
  const noise = parseNoise(noiseText);
  return list.map((ph, k) => {
    if (typeof ph !== "object" || ph === null || typeof ph.steps !== "number" || typeof ph.lr !== "number") {
      throw new ConfigError(field, `phase ${k + 1} needs numeric "steps" and "lr"`);
    }
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
