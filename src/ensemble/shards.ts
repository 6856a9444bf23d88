import { AXES, resolveSweep, type SweepProblem } from "./problem.ts";
import { ConfigError } from "../model/errors.ts";
import { brief, firstDifference, stableStringify } from "../solution/digest.ts";
import { sweepResult, VERSION, type CellResult, type SweepResult } from "../solution/result.ts";
import { formatShard, readShard, type Shard, type ShardId, type ShardInput } from "../solution/shard-file.ts";
import { enumerateCells } from "./grid.ts";

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

/** The grid indices of a shard, ascending. Every cell belongs to exactly one shard of n. */
export function shardCellIndices(gridCells: number, shard: ShardId): number[] {
  const out: number[] = [];
  for (let k = shard.index - 1; k < gridCells; k += shard.count) out.push(k);
  return out;
}

/**
 * Combines the shard files of one sweep into the result a single machine would have produced (the same
 * bytes once written). Refuses, with a ConfigError naming the file and the problem: unreadable or edited
 * files, different versions, seeds or configs, mixed shard counts, duplicate or missing shards.
 * It lives with the grid, not with the files (src/solution), because it puts each cell back at its
 * grid position and checks it is the cell the grid has there.
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
  // the output's config and template are the resolved ones, not the files' (which a digest recomputed after an edit would pass)
  return sweepResult({ config: spec.config, template: spec.template }, cells);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The shards' config, checked again as a config: it must resolve to itself. */
function resolveConfig(s: Shard): SweepProblem {
  let spec: SweepProblem;
  try {
    spec = resolveSweep(structuredClone(s.file.config));
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${s.name}: config`, e.message);
    throw e;
  }
  const field = firstDifference(spec.config as unknown as Record<string, unknown>, s.file.config as unknown as Record<string, unknown>);
  if (field !== null) throw new ConfigError(s.name, `config field "${field}" is not in resolved form`);
  if (stableStringify(spec.template) !== stableStringify(s.file.template) || Object.keys(s.file.template).length !== Object.keys(spec.template).length) {
    throw new ConfigError(s.name, "its template is not the problem its config resolves to (edited?)");
  }
  if (s.file.seed !== s.file.config.seed) throw new ConfigError(s.name, "seed differs from its config's seed");
  return spec;
}
