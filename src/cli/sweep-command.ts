import { readFileSync } from "node:fs";
import { resolveSweep, type RawSweepConfig, type SweepSpec } from "../config/sweep-config.ts";
import { parseNumber } from "../config/lists.ts";
import { checkSweepBudget } from "../ensemble/budget.ts";
import { defaultWorkerCount } from "../ensemble/pool.ts";
import { runSweep, type Progress } from "../ensemble/sweep.ts";
import { sweepToCsv } from "../io/csv.ts";
import { stringifyResults } from "../io/json.ts";
import { ConfigError } from "../model/errors.ts";
import { camel, kebab, parseArgs, type FlagSpec } from "./args.ts";
import { writeFileAtomic } from "./files.ts";
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
  --model mechanistic    the exact unit, a fresh batch each step [mechanistic]
  --act A                relu | leaky:ALPHA                     [relu]
  --noise N              gauss:SIGMA | student:NU[:SIGMA]       [gauss:1]
  --loss L               noise | teacher:GAMMA:BETA:LABELNOISE[:READOUT]  [noise]
  --input I              gauss | linear:D (learned pre-layer)   [gauss]
  --noise-sampling M     exact-sum | per-sample                 [exact-sum]
  --bn-eps E             BN epsilon                             [1e-5]
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
  --out FILE             write there (atomically) instead of stdout
  --quiet                no progress on stderr

Example:
  bn-collapse sweep --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --trials 4000 \\
    --collapse ratio:3 --seed 1 --format json
`;

const CONFIG_FIELDS = [
  "model", "lr", "gamma", "beta", "batch", "weight-decay", "signal", "steps", "trials", "seed",
  "collapse", "act", "noise", "loss", "input", "optimizer", "schedule", "bn-eps", "noise-sampling",
  "interval", "streams",
];
const NUMERIC_FIELDS = new Set(["steps", "trials", "bn-eps"]);

const SWEEP_FLAGS: FlagSpec[] = [
  ...CONFIG_FIELDS.map((name) => ({ name, value: true })),
  { name: "config", value: true },
  { name: "workers", value: true },
  { name: "format", value: true },
  { name: "out", value: true },
  { name: "run-to-horizon", value: false },
  { name: "quiet", value: false },
  { name: "help", value: false },
];

export interface SweepInvocation {
  spec: SweepSpec;
  workers: number;
  format: "json" | "csv";
  out: string | null;
  quiet: boolean;
}

/** Reads flags (over an optional config file) into a checked sweep; ConfigErrors name the flag or field. */
export function parseSweepInvocation(argv: string[]): SweepInvocation | "help" {
  const { flags, positional } = parseArgs(argv, SWEEP_FLAGS);
  if (flags.has("help")) return "help";
  if (positional.length > 0) throw new ConfigError("sweep", `unexpected argument "${positional[0]}"`);

  let raw: Record<string, unknown> = {};
  const configPath = flags.get("config");
  if (typeof configPath === "string") raw = readConfigFile(configPath);
  const fromFile = new Set(Object.keys(raw));

  for (const name of CONFIG_FIELDS) {
    const v = flags.get(name);
    if (typeof v !== "string") continue;
    if (NUMERIC_FIELDS.has(name)) raw[camel(name)] = parseNumber(v, `--${name}`);
    else if (name === "seed") raw.seed = /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
    else raw[camel(name)] = v;
  }
  if (flags.has("run-to-horizon")) raw.stopAtCollapse = false;

  let spec: SweepSpec;
  try {
    spec = resolveSweep(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw renameField(e, flags, fromFile, typeof configPath === "string" ? configPath : "");
    throw e;
  }

  const workersText = flags.get("workers");
  let workers = defaultWorkerCount();
  if (typeof workersText === "string") {
    workers = parseNumber(workersText, "--workers");
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new ConfigError("--workers", `must be an integer in 1..256, got ${workersText}`);
  }
  const format = flags.get("format") ?? "json";
  if (format !== "json" && format !== "csv") throw new ConfigError("--format", `must be json or csv, got "${String(format)}"`);
  const out = flags.get("out");
  try {
    checkSweepBudget(spec, workers);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.field === "grid" ? "--lr/--gamma/--beta/--batch" : `--${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
  return { spec, workers, format, out: typeof out === "string" ? out : null, quiet: flags.has("quiet") };
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
  const reporter = inv.quiet ? null : createProgressReporter("sweep");
  let last: Progress | null = null;
  const result = await runSweep(inv.spec, {
    workers: inv.workers,
    onProgress: (p) => {
      last = p;
      reporter?.update(p);
    },
  });
  reporter?.finish(last);
  const text = inv.format === "csv" ? sweepToCsv(result) : stringifyResults(result);
  if (inv.out === null) process.stdout.write(text);
  else {
    writeFileAtomic(inv.out, text);
    if (!inv.quiet) process.stderr.write(`sweep: wrote ${inv.out} (${result.cells.length} cells)\n`);
  }
}
