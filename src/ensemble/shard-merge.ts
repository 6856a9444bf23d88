import { AXES, resolveSweep, type SweepSpec } from "../config/sweep-config.ts";
import { ConfigError } from "../model/errors.ts";
import { brief, digestOf, firstDifference, stableStringify } from "./checkpoint-digest.ts";
import { enumerateCells } from "./grid.ts";
import { formatShard, shardCellIndices, type ShardResult } from "./shard.ts";
import { sweepResult, VERSION, type CellResult, type SweepResult } from "./sweep.ts";

/** A shard file as read: its name (for messages) and its text. */
export interface ShardInput {
  name: string;
  text: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Combines the shard files of one sweep into the result a single machine would have produced (the same
 * bytes once written). Refuses, with a ConfigError naming the file and the problem: unreadable or edited
 * files, different versions, seeds or configs, mixed shard counts, duplicate or missing shards.
 */
export function mergeShards(inputs: ShardInput[]): SweepResult {
  if (inputs.length === 0) throw new ConfigError("FILES", "no shard files given (bn-collapse merge FILES... [--out FILE])");
  const shards = inputs.map(readShard);
  const [first, ...rest] = shards;
  for (const s of rest) {
    if (s.file.version !== first.file.version) throw new ConfigError(s.name, `made by bn-collapse ${s.file.version}, but ${first.name} by ${first.file.version}`);
  }
  if (first.file.version !== VERSION) throw new ConfigError(first.name, `made by bn-collapse ${first.file.version}; this is ${VERSION}, rerun the shards with it`);
  for (const s of rest) {
    if (stableStringify(s.file.seed) !== stableStringify(first.file.seed)) {
      throw new ConfigError(s.name, `seed ${brief(s.file.seed)} differs from ${first.name}'s ${brief(first.file.seed)}`);
    }
    const a = s.file.config as unknown as Record<string, unknown>, b = first.file.config as unknown as Record<string, unknown>;
    const field = firstDifference(a, b);
    if (field !== null) {
      throw new ConfigError(s.name, `config field "${field}" is ${brief(a[field])}, but ${brief(b[field])} in ${first.name}: not shards of one sweep`);
    }
    if (stableStringify(s.file.template) !== stableStringify(first.file.template)) throw new ConfigError(s.name, `resolved problem differs from ${first.name}'s`);
    if (s.file.shard.count !== first.file.shard.count) {
      throw new ConfigError(s.name, `is shard ${formatShard(s.file.shard)}, but ${first.name} is ${formatShard(first.file.shard)}: shard counts differ`);
    }
  }

  const count = first.file.shard.count;
  const byIndex = new Map<number, Shard>();
  for (const s of shards) {
    const twin = byIndex.get(s.file.shard.index);
    if (twin) throw new ConfigError(s.name, `shard ${formatShard(s.file.shard)} given twice (also ${twin.name})`);
    byIndex.set(s.file.shard.index, s);
  }
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0) {
    const list = missing.length <= 8 ? missing.join(", ") : `${missing.slice(0, 8).join(", ")} and ${missing.length - 8} more`;
    throw new ConfigError("shards", `missing shard${missing.length > 1 ? "s" : ""} ${list}`);
  }

  const spec = resolveConfig(first);
  const grid = enumerateCells(spec);
  if (grid.length !== first.file.shard.gridCells) throw new ConfigError(first.name, `says the grid has ${first.file.shard.gridCells} cells, its config gives ${grid.length}`);
  const cells = new Array<CellResult>(grid.length);
  for (const s of shards) {
    const indices = shardCellIndices(grid.length, s.file.shard);
    if (s.file.cells.length !== indices.length) {
      throw new ConfigError(s.name, `has ${s.file.cells.length} cells; shard ${formatShard(s.file.shard)} of a ${grid.length}-cell grid has ${indices.length}`);
    }
    indices.forEach((k, j) => {
      const cell = s.file.cells[j];
      const at = grid[k].at;
      if (!isObject(cell) || AXES.some((a) => cell[a] !== at[a])) throw new ConfigError(s.name, `cell ${j + 1} is not grid cell ${k} (${brief(at)})`);
      cells[k] = cell;
    });
  }
  return sweepResult({ config: first.file.config, template: first.file.template }, cells);
}

interface Shard {
  name: string;
  file: ShardResult;
}

function readShard({ name, text }: ShardInput): Shard {
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
  return { name, file: value as unknown as ShardResult };
}

/** The shards' config, checked again as a config: it must resolve to itself. */
function resolveConfig(s: Shard): SweepSpec {
  let spec: SweepSpec;
  try {
    spec = resolveSweep(structuredClone(s.file.config));
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${s.name}: config`, e.message);
    throw e;
  }
  const field = firstDifference(spec.config as unknown as Record<string, unknown>, s.file.config as unknown as Record<string, unknown>);
  if (field !== null) throw new ConfigError(s.name, `config field "${field}" is not in resolved form`);
  if (s.file.seed !== s.file.config.seed) throw new ConfigError(s.name, "seed differs from its config's seed");
  return spec;
}
