import type { SweepSpec } from "../config/sweep-config.ts";
import { ConfigError } from "../model/errors.ts";
import { digestOf } from "./checkpoint-digest.ts";
import { VERSION, type CellResult } from "./sweep.ts";

/** Shard i of n (1-based): the cells whose grid index k has k % n === i - 1. */
export interface ShardId {
  index: number;
  count: number;
}

export const MAX_SHARDS = 1_000_000;

/** Parses "i/n" with integers 1 <= i <= n. */
export function parseShard(text: string, field = "--shard"): ShardId {
  const m = /^(\d{1,7})\/(\d{1,7})$/.exec(text.trim());
  if (!m) throw new ConfigError(field, `"${text}" is not i/n (shard i of n, e.g. 2/8)`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new ConfigError(field, `shard count ${count} must be in 1..${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new ConfigError(field, `shard index ${index} must be in 1..${count}`);
  return { index, count };
}

export const formatShard = (s: ShardId) => `${s.index}/${s.count}`;

/** The grid indices of a shard, ascending. Every cell belongs to exactly one shard of n. */
export function shardCellIndices(gridCells: number, shard: ShardId): number[] {
  const out: number[] = [];
  for (let k = shard.index - 1; k < gridCells; k += shard.count) out.push(k);
  return out;
}

/** A shard's output file: what `merge` needs to rebuild the single-machine result exactly. */
export interface ShardResult {
  tool: "bn-collapse";
  version: string;
  kind: "sweep-shard";
  seed: string | number;
  shard: ShardId & { gridCells: number };
  config: SweepSpec["config"];
  template: SweepSpec["template"];
  /** this shard's cells, in ascending grid index */
  cells: CellResult[];
  /** SHA-256 of every other field (canonical JSON): a damaged or edited file is refused by merge */
  digest: string;
}

export function shardResult(spec: Pick<SweepSpec, "config" | "template">, shard: ShardId, gridCells: number, cells: CellResult[]): ShardResult {
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
