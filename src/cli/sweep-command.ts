import { checkStdoutOpen, writeStdout } from "../solution/output.ts";
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { GROUPS, type Group } from "../config/fields.ts";
import { checkSweepBudget } from "../ensemble/budget.ts";
import { countCells, enumerateCells } from "../ensemble/grid.ts";
import { defaultWorkerCount } from "../ensemble/pool.ts";
import { resolveSweep, type SweepProblem } from "../ensemble/problem.ts";
import { shardCellIndices } from "../ensemble/shards.ts";
import { chooseShard, takeShardsField } from "../cluster/shard-option.ts";
import { runSweep, type Progress } from "../ensemble/sweep.ts";
import { sweepWarnings } from "../ensemble/warnings.ts";
import { ConfigError } from "../model/errors.ts";
import { checkpointPath, checkpointWriter, loadCheckpoint, lockPath, removeCheckpoint, takeLock, type CheckpointIdentity } from "../solution/checkpoint.ts";
import { sweepCsvChunks } from "../solution/csv.ts";
import { checkOutPath, writeOutput } from "../solution/files.ts";
import { resultsChunks } from "../solution/json.ts";
import { sweepResult, VERSION, type CellResult } from "../solution/result.ts";
import { formatShard, shardResult, type ShardId } from "../solution/shard-file.ts";
import { helpRows, kebab, parseArgs, type FlagSpec } from "./args.ts";
import { choiceFlag, integerFlag } from "./flag-values.ts";
import { createProgressReporter } from "./progress.ts";
import { applySettingFlags, SETTING_FLAGS } from "./setting-flags.ts";

/** The flags of the run itself, not of what it computes (those are SETTING_FLAGS). */
const RUN_FLAGS: FlagSpec[] = [
  { name: "config", value: true, meta: "FILE", help: ["JSON config with the same fields in camelCase; flags override it"] },
  { name: "workers", value: true, meta: "K", help: ["worker threads"], shown: "all cores" },
  { name: "format", value: true, meta: "F", help: ["json | csv"], shown: "json", values: ["json", "csv"] },
  {
    name: "out", value: true, meta: "FILE",
    help: ["write there (atomically) instead of stdout; completed cells are", "kept in FILE.checkpoint.jsonl, so rerunning a killed sweep resumes it"],
  },
  {
    name: "shard", value: true, meta: "i/n",
    help: ["run only the cells k with k % n = i-1 (1-based i) and write a shard", `file (JSON) for "bn-collapse merge"`],
    forms: [
      {
        meta: "auto",
        help: ["take i/n from a scheduler's array task: Slurm (SLURM_ARRAY_TASK_*), a", "Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or AWS Batch (docs/cluster.md)"],
      },
    ],
  },
  {
    name: "shards", value: true, meta: "N",
    help: ["with --shard auto: the number of shards (needed on Kubernetes; checked", "against the scheduler's count elsewhere)"],
  },
  { name: "quiet", value: false, help: ["no progress on stderr"] },
  { name: "help", value: false },
];

const SWEEP_FLAGS: FlagSpec[] = [...SETTING_FLAGS, ...RUN_FLAGS];

const GROUP_TITLES: Record<Group, string> = {
  Grid: "Grid (LIST = a,b,c | a:b:n linear | a:b:nlog log-spaced):",
  Run: "Run:",
  Model: "Model (docs/model.md):",
  Optimiser: "Optimiser:",
  Statistics: "Statistics and output:",
};

/** `sweep --help`: every setting by group from the table of settings, then the run's own flags. */
export const SWEEP_HELP = `bn-collapse sweep: Monte Carlo collapse probability of a BN+ReLU unit under noisy SGD,
for every cell of a grid lr x gamma x beta x batch (x weight-decay x signal).

Usage: bn-collapse sweep [flags]        (every flag is optional; defaults in brackets)

${GROUPS.map((g) => `${GROUP_TITLES[g]}\n${helpRows(SETTING_FLAGS.filter((f) => f.group === g))}`).join("")}${helpRows(RUN_FLAGS.filter((f) => f.help))}
Example:
  bn-collapse sweep --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --trials 4000 \\
    --collapse ratio:3 --seed 1 --format json
`;

export interface SweepInvocation {
  spec: SweepProblem;
  workers: number;
  format: "json" | "csv";
  out: string | null;
  quiet: boolean;
  shard: ShardId | null;
  /** for --shard auto: the scheduler variables it came from */
  shardSource: string | null;
}

/** Reads flags (over an optional config file) into a checked sweep; ConfigErrors name the flag or field. */
export function parseSweepInvocation(argv: string[]): SweepInvocation | "help" {
  const { flags, positional } = parseArgs(argv, SWEEP_FLAGS);
  if (flags.has("help")) return "help";
  if (positional.length > 0) throw new ConfigError("sweep", `unexpected argument "${positional[0]}"`);

  let raw: Record<string, unknown> = {};
  const configPath = flags.get("config");
  if (typeof configPath === "string") raw = readConfigFile(configPath);
  const shardsInConfig = typeof configPath === "string" ? takeShardsField(raw, configPath) : null;
  const fromFile = new Set(Object.keys(raw));

  applySettingFlags(flags, raw);

  const workers = integerFlag(flags, "workers", defaultWorkerCount(), 1, 256);

  // the flags that cost nothing to check go first: resolving a config tabulates its schedule
  const format = choiceFlag(flags, "format", ["json", "csv"] as const, "json");
  const out = flags.get("out");
  if (typeof out === "string") {
    const inputs = typeof configPath === "string" ? [configPath] : [];
    checkOutPath(out, inputs);
    checkOutPath(checkpointPath(out), inputs);
  }
  else checkStdoutOpen();
  const shardFlag = (name: string) => flags.get(name) as string | undefined; // both take a value
  const { shard, source: shardSource } = chooseShard(shardFlag("shard"), shardFlag("shards"), shardsInConfig, process.env);
  if (shard !== null && format === "csv") throw new ConfigError("--format", "a shard is written as JSON for bn-collapse merge; choose csv when merging");

  let spec: SweepProblem;
  try {
    checkStepsFit(raw.steps, workers);
    spec = resolveSweep(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw renameField(e, flags, fromFile, typeof configPath === "string" ? configPath : "");
    throw e;
  }

  try {
    checkSweepBudget(spec, workers, undefined, shard ? shardCellIndices(countCells(spec), shard).length : countCells(spec));
  } catch (e) {
    if (e instanceof ConfigError && e.field === "grid") throw new ConfigError("--lr/--gamma/--beta/--batch", e.message.slice(e.field.length + 2));
    if (e instanceof ConfigError) throw renameField(e, flags, fromFile, typeof configPath === "string" ? configPath : "");
    throw e;
  }
  return { spec, workers, format, out: typeof out === "string" ? out : null, quiet: flags.has("quiet"), shard, shardSource };
}

/**
 * Resolving a config tabulates the schedule (8 bytes a step) and every thread holds such a table:
 * refuse a horizon that cannot fit before allocating it, naming steps rather than the whole budget.
 */
function checkStepsFit(steps: unknown, workers: number): void {
  if (typeof steps !== "number" || !Number.isSafeInteger(steps) || steps < 1) return; // the schema names it
  const need = (workers + 1) * steps * 8;
  if (need > totalmem() / 2) {
    throw new ConfigError("steps", `${steps} updates need ${(need / 2 ** 30).toFixed(1)} GiB of learning-rate tables (${workers + 1} threads), more than half this machine's memory`);
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("--config", `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError("--config", `${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigError("--config", `${path} must hold a JSON object`);
  return value as Record<string, unknown>;
}

/** Restates a config field as the flag the user typed, or as the config file's field. */
function renameField(e: ConfigError, flags: Map<string, string | true>, fromFile: Set<string>, configPath: string): ConfigError {
  const message = e.message.slice(e.field.length + 2);
  const flag = SETTING_FLAGS.find((f) => f.field === e.field)?.name ?? kebab(e.field);
  if (!flags.has(flag) && fromFile.has(e.field)) return new ConfigError(`${configPath}: field "${e.field}"`, message);
  if (e.field === "config") return new ConfigError(configPath ? `--config ${configPath}` : "config", message);
  return new ConfigError(`--${flag}`, message);
}

export async function sweepCommand(argv: string[]): Promise<void> {
  const inv = parseSweepInvocation(argv);
  if (inv === "help") {
    writeStdout(SWEEP_HELP);
    return;
  }
  // one sweep at a time writes FILE and FILE.checkpoint.jsonl: a second one would mix its cells in
  const release = inv.out === null ? () => undefined : takeLock(lockPath(inv.out), inv.out);
  try {
    await sweepLocked(inv);
  } finally {
    release();
  }
}

async function sweepLocked(inv: SweepInvocation): Promise<void> {
  const gridCells = countCells(inv.spec);
  if (inv.shard && inv.shardSource && !inv.quiet) process.stderr.write(`sweep: shard ${formatShard(inv.shard)} from ${inv.shardSource}\n`);
  const indices = inv.shard ? shardCellIndices(gridCells, inv.shard) : [...Array(gridCells).keys()];
  const cells = await runWithCheckpoint(inv, indices);
  const ordered = indices.map((k) => cells.get(k)!);
  // written as it is serialised: a grid's JSON may be longer than the runtime's longest string
  const chunks = inv.shard
    ? resultsChunks(shardResult(inv.spec, inv.shard, gridCells, ordered))
    : inv.format === "csv"
      ? sweepCsvChunks(sweepResult(inv.spec, ordered))
      : resultsChunks(sweepResult(inv.spec, ordered));
  writeOutput(chunks, inv.out);
  if (inv.out !== null) {
    removeCheckpoint(checkpointPath(inv.out));
    if (!inv.quiet) process.stderr.write(`sweep: wrote ${inv.out} (${ordered.length} cells)\n`);
  }
}

/**
 * Runs the cells not yet in the checkpoint (all of them without --out), saving each as it completes.
 * Cell results depend only on the cell, so resumed and uninterrupted runs give the same bytes.
 */
async function runWithCheckpoint(inv: SweepInvocation, indices: number[]): Promise<Map<number, CellResult>> {
  const id: CheckpointIdentity = {
    version: VERSION,
    shard: inv.shard ? formatShard(inv.shard) : null,
    config: inv.spec.config as unknown as Record<string, unknown>,
  };
  const path = inv.out === null ? null : checkpointPath(inv.out);
  const grid = path === null ? [] : enumerateCells(inv.spec);
  const mine = new Set(indices);
  const done = path === null ? new Map<number, CellResult>() : loadCheckpoint(path, id, (k) => (mine.has(k) ? grid[k].at : undefined));
  if (done.size > 0 && !inv.quiet) process.stderr.write(`sweep: resuming from ${path}: ${done.size} of ${indices.length} cells done\n`);
  const writer = path === null ? null : checkpointWriter(path, id);
  // after every check on the input, so a refused run still prints exactly one line
  if (!inv.quiet) for (const w of sweepWarnings(inv.spec)) process.stderr.write(`sweep: warning: ${w}\n`);
  const reporter = inv.quiet ? null : createProgressReporter("sweep");
  let last: Progress | null = null;
  try {
    await runSweep(inv.spec, {
      workers: inv.workers,
      cellIndices: indices.filter((k) => !done.has(k)),
      onProgress: (p) => {
        last = p;
        reporter?.update(p);
      },
      onCell: (cell, k) => {
        writer?.append(k, cell);
        done.set(k, cell);
        if (!inv.quiet) for (const w of cell.ams?.warnings ?? []) process.stderr.write(`sweep: warning: cell ${k} (lr ${cell.lr}, gamma ${cell.gamma}, beta ${cell.beta}, batch ${cell.batch}): AMS ${w}\n`);
      },
    });
  } finally {
    writer?.close();
  }
  reporter?.finish(last);
  return done;
}
