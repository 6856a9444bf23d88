import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { resolveSweep, type SweepSpec } from "../config/sweep-config.ts";
import { parseNumber } from "../config/lists.ts";
import { sweepWarnings } from "../config/warnings.ts";
import { checkSweepBudget } from "../ensemble/budget.ts";
import { defaultWorkerCount } from "../ensemble/pool.ts";
import { checkpointPath, checkpointWriter, loadCheckpoint, removeCheckpoint, type CheckpointIdentity } from "../solution/checkpoint.ts";
import { countCells } from "../ensemble/grid.ts";
import { formatShard, shardResult, type ShardId } from "../solution/shard-file.ts";
import { shardCellIndices } from "../ensemble/shards.ts";
import { chooseShard, takeShardsField } from "../cluster/shard-option.ts";
import { runSweep, type Progress } from "../ensemble/sweep.ts";
import { sweepResult, VERSION, type CellResult } from "../solution/result.ts";
import { sweepToCsv } from "../solution/csv.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import { camel, kebab, parseArgs, type FlagSpec } from "./args.ts";
import { choiceFlag, integerFlag } from "./flag-values.ts";
import { writeFileAtomic } from "../solution/files.ts";
import { createProgressReporter } from "./progress.ts";

export const SWEEP_HELP = `bn-collapse sweep: Monte Carlo collapse probability of a BN+ReLU unit under noisy SGD,
for every cell of a grid lr x gamma x beta x batch (x weight-decay x signal).

Usage: bn-collapse sweep [flags]        (every flag is optional; defaults in brackets)

Grid (LIST = a,b,c | a:b:n linear | a:b:nlog log-spaced):
  --lr LIST              learning rate                          [0.05,0.1,0.2,0.4]
  --gamma LIST           initial BN scale gamma0 (non-zero)     [1]
  --beta LIST            initial BN shift beta0                 [0]
  --batch LIST           mini-batch size B >= 2                 [32]
  --weight-decay LIST    L2 weight decay lambda                 [0]
  --signal LIST          mean mu_g of the upstream gradient     [0]
Run:
  --steps T              updates per trajectory (horizon)       [1000]
  --trials N             trajectories per cell                  [2000]
  --seed S               master seed (integer or text)          [1]
  --collapse CRIT        dead | ratio:C | sparsity:S | gamma:E  [ratio:3]
  --run-to-horizon       do not stop trajectories at first passage
Model (conventions: MODEL.md):
  --model M              mechanistic (a fresh batch each step) | reduced (Gaussian  [mechanistic]
                         gradients at r = beta/|gamma|; gauss noise, noise loss, gauss input)
  --act A                relu | leaky:ALPHA                     [relu]
  --noise N              gauss:SIGMA | student:NU[:SIGMA]       [gauss:1]
  --loss L               noise | teacher:GAMMA:BETA:LABELNOISE[:READOUT]  [noise]
  --input I              gauss | linear:D (learned pre-layer)   [gauss]
  --noise-sampling M     exact-sum | per-sample                 [exact-sum]
  --bn-eps E             BN epsilon                             [1e-5]
  --norm N               bn | psbn[:MARGIN[:PATIENCE]] (post-shifted BN, a       [bn]
                         reconstruction: docs/psbn.md) | rshift (r is the learned shift)
  --phases JSON          phases run before the main one, e.g. '[{"steps":1000,"lr":0.05,
                         "optimizer":"sgd","loss":"teacher:0.3:-0.6:0.5"}]' (docs/regimes.md)
  --keep-optimizer-state carry momentum/Adam state across phase boundaries (default: reset)
Optimiser:
  --optimizer O          sgd | momentum:M | adam[:B1:B2] | adamw[:B1:B2]  [sgd]
  --schedule S           constant | step:EVERY:FACTOR | cosine[:MIN] | EXPR in t, T  [constant]
                         (a factor on lr at update t = 0..T-1, e.g. "0.5^floor(t/500)")
Statistics and output:
  --interval I           wilson | clopper-pearson (95%)         [wilson]
  --streams S            per-cell | common random numbers       [per-cell]
  --config FILE          JSON config with the same fields in camelCase; flags override it
  --workers K            worker threads                         [all cores]
  --format F             json | csv                             [json]
  --out FILE             write there (atomically) instead of stdout; completed cells are
                         kept in FILE.checkpoint.jsonl, so rerunning a killed sweep resumes it
  --shard i/n            run only the cells k with k % n = i-1 (1-based i) and write a shard
                         file (JSON) for "bn-collapse merge"
  --shard auto           take i/n from a scheduler's array task: Slurm (SLURM_ARRAY_TASK_*), a
                         Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or AWS Batch (docs/cluster.md)
  --shards N             with --shard auto: the number of shards (needed on Kubernetes; checked
                         against the scheduler's count elsewhere)
  --quiet                no progress on stderr

Example:
  bn-collapse sweep --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --trials 4000 \\
    --collapse ratio:3 --seed 1 --format json
`;

const CONFIG_FIELDS = [
  "model", "lr", "gamma", "beta", "batch", "weight-decay", "signal", "steps", "trials", "seed",
  "collapse", "act", "noise", "loss", "input", "optimizer", "schedule", "bn-eps", "noise-sampling",
  "interval", "streams", "norm", "phases",
];
const NUMERIC_FIELDS = new Set(["steps", "trials", "bn-eps"]);

const SWEEP_FLAGS: FlagSpec[] = [
  ...CONFIG_FIELDS.map((name) => ({ name, value: true })),
  { name: "config", value: true },
  { name: "workers", value: true },
  { name: "format", value: true },
  { name: "out", value: true },
  { name: "shard", value: true },
  { name: "shards", value: true },
  { name: "run-to-horizon", value: false },
  { name: "keep-optimizer-state", value: false },
  { name: "quiet", value: false },
  { name: "help", value: false },
];

export interface SweepInvocation {
  spec: SweepSpec;
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

  for (const name of CONFIG_FIELDS) {
    const v = flags.get(name);
    if (typeof v !== "string") continue;
    if (NUMERIC_FIELDS.has(name)) raw[camel(name)] = parseNumber(v, `--${name}`);
    else if (name === "seed") raw.seed = /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
    else raw[camel(name)] = v;
  }
  if (flags.has("run-to-horizon")) raw.stopAtCollapse = false;
  if (flags.has("keep-optimizer-state")) raw.keepOptimizerState = true;

  const workers = integerFlag(flags, "workers", defaultWorkerCount(), 1, 256);

  // the flags that cost nothing to check go first: resolving a config tabulates its schedule
  const format = choiceFlag(flags, "format", ["json", "csv"], "json");
  const out = flags.get("out");
  if (typeof out === "string") checkOutPath(out);
  const shardFlag = (name: string) => flags.get(name) as string | undefined; // both take a value
  const { shard, source: shardSource } = chooseShard(shardFlag("shard"), shardFlag("shards"), shardsInConfig, process.env);
  if (shard !== null && format === "csv") throw new ConfigError("--format", "a shard is written as JSON for bn-collapse merge; choose csv when merging");

  let spec: SweepSpec;
  try {
    checkStepsFit(raw.steps, workers);
    spec = resolveSweep(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw renameField(e, flags, fromFile, typeof configPath === "string" ? configPath : "");
    throw e;
  }

  try {
    checkSweepBudget(spec, workers);
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

/** Refuses an --out that cannot be written, before any work is done. */
export function checkOutPath(out: string): void {
  let at = resolve(out);
  if (existsSync(at) && statSync(at).isDirectory()) throw new ConfigError("--out", `${out} is a directory`);
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (existsSync(at) && !statSync(at).isDirectory() && at !== resolve(out)) throw new ConfigError("--out", `${at} is not a directory`);
  try {
    accessSync(existsSync(resolve(out)) ? resolve(out) : at, constants.W_OK);
  } catch {
    throw new ConfigError("--out", `cannot write ${out} (no permission)`);
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
  const flag = kebab(e.field);
  if (!flags.has(flag) && fromFile.has(e.field)) return new ConfigError(`${configPath}: field "${e.field}"`, message);
  if (e.field === "config") return new ConfigError(configPath ? `--config ${configPath}` : "config", message);
  return new ConfigError(`--${flag}`, message);
}

export async function sweepCommand(argv: string[]): Promise<void> {
  const inv = parseSweepInvocation(argv);
  if (inv === "help") {
    process.stdout.write(SWEEP_HELP);
    return;
  }
  const gridCells = countCells(inv.spec);
  if (inv.shard && inv.shardSource && !inv.quiet) process.stderr.write(`sweep: shard ${formatShard(inv.shard)} from ${inv.shardSource}\n`);
  const indices = inv.shard ? shardCellIndices(gridCells, inv.shard) : [...Array(gridCells).keys()];
  const cells = await runWithCheckpoint(inv, indices);
  const ordered = indices.map((k) => cells.get(k)!);
  const text = inv.shard
    ? stringifyResults(shardResult(inv.spec, inv.shard, gridCells, ordered))
    : inv.format === "csv"
      ? sweepToCsv(sweepResult(inv.spec, ordered))
      : stringifyResults(sweepResult(inv.spec, ordered));
  if (inv.out === null) process.stdout.write(text);
  else {
    writeFileAtomic(inv.out, text);
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
  const done = path === null ? new Map<number, CellResult>() : loadCheckpoint(path, id, new Set(indices));
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
      },
    });
  } finally {
    writer?.close();
  }
  reporter?.finish(last);
  return done;
}
