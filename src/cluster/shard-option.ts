import { ConfigError } from "../model/errors.ts";
import { MAX_SHARDS, parseShard } from "../ensemble/shards.ts";
import type { ShardId } from "../solution/shard-file.ts";
import { shardFromEnvironment, type DeclaredCount, type Environment } from "./shard-env.ts";

/** What --shard (i/n or auto) and --shards N come to: the shard to run, and for auto how it was found. */
export interface ShardChoice {
  shard: ShardId | null;
  source: string | null;
}

/**
 * A config file may say how many shards it is cut into ("shards": N), for `--shard auto` under a
 * scheduler that does not tell its tasks (Kubernetes). It is placement, not part of the sweep: it is
 * taken out before the config is resolved, so results, checkpoints and merges never see it.
 */
export function takeShardsField(raw: Record<string, unknown>, configPath: string): DeclaredCount | null {
  if (!Object.hasOwn(raw, "shards")) return null;
  const v = raw.shards;
  delete raw.shards;
  const field = `${configPath}: field "shards"`;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_SHARDS) throw new ConfigError(field, `must be an integer in 1..${MAX_SHARDS}, got ${JSON.stringify(v)}`);
  return { count: v, from: field };
}

export function chooseShard(shardText: string | undefined, shardsText: string | undefined, fromConfig: DeclaredCount | null, env: Environment): ShardChoice {
  if (shardsText !== undefined && shardText !== "auto") {
    throw new ConfigError("--shards", "only goes with --shard auto (with --shard i/n the count is n)");
  }
  if (shardText === undefined) return { shard: null, source: null };
  if (shardText.trim() !== "auto") return { shard: parseShard(shardText), source: null };
  let declared = fromConfig;
  if (shardsText !== undefined) {
    const n = /^\s*\d{1,7}\s*$/.test(shardsText) ? Number(shardsText) : NaN;
    if (!(n >= 1 && n <= MAX_SHARDS)) throw new ConfigError("--shards", `must be an integer in 1..${MAX_SHARDS}, got "${shardsText}"`);
    declared = { count: n, from: "--shards" };
  }
  const found = shardFromEnvironment(env, declared);
  return { shard: found.shard, source: found.source };
}
