import type { SweepConfig } from "../config/fields.ts";
import { ConfigError } from "../model/errors.ts";
import type { UnitProblem } from "../model/problem.ts";
import { brief, digestOf } from "./digest.ts";
import { VERSION, type CellResult } from "./result.ts";
import { checkAgainstSchema } from "./schema.ts";

/** Shard i of n (1-based): the cells whose grid index k has k % n === i - 1. */
export interface ShardId {
  index: number;
  count: number;
}

export const formatShard = (s: ShardId) => `${s.index}/${s.count}`;

/** A shard's output file: what `merge` needs to rebuild the single-machine result exactly. */
export interface ShardResult {
  tool: "bn-collapse";
  version: string;
  kind: "sweep-shard";
  seed: string | number;
  shard: ShardId & { gridCells: number };
  config: SweepConfig;
  template: UnitProblem;
  /** this shard's cells, in ascending grid index */
  cells: CellResult[];
  /** SHA-256 of every other field (canonical JSON): a damaged or edited file is refused by merge */
  digest: string;
}

export function shardResult(spec: { config: SweepConfig; template: UnitProblem }, shard: ShardId, gridCells: number, cells: CellResult[]): ShardResult {
  const body = {
    tool: "bn-collapse" as const,
    version: VERSION,
    kind: "sweep-shard" as const,
    seed: spec.config.seed,
    shard: { index: shard.index, count: shard.count, gridCells },
    config: spec.config,
    template: spec.template,
    cells,
  };
  return { ...body, digest: digestOf(body) };
}

/** A shard file as read: its name (for messages) and its text. */
export interface ShardInput {
  name: string;
  text: string;
}

/** A shard file, checked as a file: its digest, its shard id and the fields merge reads. */
export interface Shard {
  name: string;
  file: ShardResult;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Parses a shard file; a ConfigError names the file and what is wrong with it. */
export function readShard({ name, text }: ShardInput): Shard {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(name, `is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(value) || value.tool !== "bn-collapse") throw new ConfigError(name, "is not a bn-collapse file");
  if (value.kind === "sweep") throw new ConfigError(name, "is a whole sweep's result, not a shard (make shards with sweep --shard i/n)");
  if (value.kind !== "sweep-shard") throw new ConfigError(name, `is not a shard file (kind ${brief(value.kind)})`);
  const { digest, ...body } = value;
  if (typeof digest !== "string" || digest !== digestOf(body)) throw new ConfigError(name, "is damaged or was edited: its digest does not match its contents");
  const shard = value.shard;
  if (typeof value.version !== "string") throw new ConfigError(name, "has no version");
  if (!isObject(shard) || !isCount(shard.index) || !isCount(shard.count) || !isCount(shard.gridCells) || shard.index < 1 || shard.index > shard.count) {
    throw new ConfigError(name, `has no valid shard id i/n (${brief(shard)})`);
  }
  if (!isObject(value.config) || !isObject(value.template) || !Array.isArray(value.cells)) throw new ConfigError(name, "lacks its config, template or cells");
  checkAgainstSchema("shard", value, name);
  return { name, file: value as unknown as ShardResult };
}
