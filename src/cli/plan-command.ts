import { writeStdout } from "../solution/output.ts";
import { digestOf } from "../solution/digest.ts";
import { countCells } from "../ensemble/grid.ts";
import { MAX_SHARDS } from "../ensemble/shards.ts";
import { VERSION } from "../solution/result.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import { kubernetesPlan } from "../cluster/plan-kubernetes.ts";
import { slurmPlan } from "../cluster/plan-slurm.ts";
import { RUN_NAME, type PlanInput } from "../cluster/plan.ts";
import { checkOutPath, writeOutput } from "../solution/files.ts";
import { parseSweepInvocation } from "./sweep-command.ts";

export const PLAN_HELP = `bn-collapse plan: a ready job script for a sweep on a cluster, one shard per task.

Usage: bn-collapse plan --tasks N [--cpus-per-task C] [--scheduler slurm|kubernetes] [sweep flags]

Takes the grid as "bn-collapse sweep" does (--config FILE and/or the grid flags) and prints:
  slurm       a bash script that writes NAME/ (config.json, shards.sbatch, merge.sbatch) and submits
              a job array of N tasks, task i running shard i/N with --workers C into
              NAME/parts/part-i.json, then the merge with --dependency=afterok on the array
  kubernetes  a manifest: the config as a ConfigMap, an Indexed Job of N pods (--shard auto --shards N)
              and a merge Job that waits for the N parts on a shared volume
Output paths depend only on the shard, so a task run again resumes from its checkpoint.

  --tasks N            tasks (shards) of the array                                  (required)
  --cpus-per-task C    cores per task, passed to each task's --workers               [1]
  --scheduler S        slurm | kubernetes                                           [slurm]
  --name NAME          the run's folder and job name (a-z, 0-9, -)      [bnc- + the config's digest]
  --launcher CMD       how a task starts bn-collapse     [slurm: npx bn-collapse, kubernetes: node /app/bin/bn-collapse.mjs]
  --time T             slurm: each task's --time (e.g. 12:00:00)                    [the partition's]
  --partition P        slurm: the partition                                         [the default]
  --image I            kubernetes: an image with bn-collapse at /app                [bn-collapse:VERSION]
  --volume-claim C     kubernetes: a ReadWriteMany PersistentVolumeClaim for /data  [bn-collapse-data]
  --out FILE           write the plan there (atomically) instead of stdout

Example (docs/cluster.md shows its output):
  bn-collapse plan --config grid.json --tasks 16 --cpus-per-task 2 > submit.sh && bash submit.sh
`;

const OWN = ["tasks", "cpus-per-task", "scheduler", "name", "launcher", "time", "partition", "image", "volume-claim", "out"] as const;
type Own = (typeof OWN)[number];
/** sweep flags a plan sets for every task itself */
const SET_BY_PLAN = new Set(["shard", "shards", "workers", "format", "quiet"]);

/** Splits argv into this command's flags and the sweep's. */
function splitFlags(argv: string[]): { own: Map<Own, string>; rest: string[] } {
  const own = new Map<Own, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]);
    if (m && SET_BY_PLAN.has(m[1])) throw new ConfigError(`--${m[1]}`, "is set by the plan for each task (see bn-collapse plan --help)");
    if (!m || !(OWN as readonly string[]).includes(m[1])) {
      rest.push(argv[i]);
      continue;
    }
    const name = m[1] as Own;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`--${name}`, "needs a value");
    if (own.has(name)) throw new ConfigError(`--${name}`, "given more than once");
    own.set(name, value);
  }
  return { own, rest };
}

function integer(own: Map<Own, string>, name: Own, fallback: number | null, max: number): number {
  const raw = own.get(name);
  if (raw === undefined) {
    if (fallback === null) throw new ConfigError(`--${name}`, "is required (the number of array tasks, e.g. --tasks 16)");
    return fallback;
  }
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new ConfigError(`--${name}`, `must be an integer in 1..${max}, got "${raw}"`);
  return Number(raw);
}

function matching(own: Map<Own, string>, name: Own, pattern: RegExp, what: string): string | undefined {
  const raw = own.get(name);
  if (raw !== undefined && !pattern.test(raw)) throw new ConfigError(`--${name}`, `must be ${what}, got ${JSON.stringify(raw)}`);
  return raw;
}

/** An argument as the shell would need it typed. */
const shellWord = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export function planText(argv: string[], version = VERSION): { text: string; out: string | undefined } | "help" {
  if (argv.includes("--help")) return "help";
  const { own, rest } = splitFlags(argv);
  const tasks = integer(own, "tasks", null, MAX_SHARDS);
  const cpusPerTask = integer(own, "cpus-per-task", 1, 256);
  const scheduler = own.get("scheduler") ?? "slurm";
  if (scheduler !== "slurm" && scheduler !== "kubernetes") throw new ConfigError("--scheduler", `must be slurm or kubernetes, got "${scheduler}"`);
  const time = matching(own, "time", /^(\d+-)?\d+(:\d+){0,2}$/, "a Slurm time such as 90, 12:00:00 or 2-00:00:00");
  const partition = matching(own, "partition", /^[A-Za-z0-9_.,-]+$/, "a partition name");
  const image = matching(own, "image", /^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/, "an image reference") ?? `bn-collapse:${version}`;
  const volumeClaim = matching(own, "volume-claim", /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "a PersistentVolumeClaim name") ?? "bn-collapse-data";
  const launcher = matching(own, "launcher", /^[^\u0000-\u001f'"`\\]+$/, "a command on one line, without quotes or backslashes")
    ?? (scheduler === "slurm" ? "npx bn-collapse" : "node /app/bin/bn-collapse.mjs");
  const out = own.get("out");
  if (out !== undefined) checkOutPath(out);
  if (scheduler === "slurm" && (own.has("image") || own.has("volume-claim"))) throw new ConfigError(own.has("image") ? "--image" : "--volume-claim", "is for --scheduler kubernetes");
  if (scheduler === "kubernetes" && (time || partition)) throw new ConfigError(time ? "--time" : "--partition", "is for --scheduler slurm");

  const inv = parseSweepInvocation([...rest, "--workers", String(cpusPerTask)]);
  if (inv === "help") return "help";
  const name = matching(own, "name", RUN_NAME, "1 to 40 of a-z, 0-9 and -, starting and ending with a letter or digit")
    ?? `bnc-${digestOf(inv.spec.config).slice(0, 8)}`;
  const input: PlanInput = {
    name,
    configJson: stringifyResults(inv.spec.config),
    gridCells: countCells(inv.spec),
    tasks,
    cpusPerTask,
    launcher,
    madeBy: ["bn-collapse", "plan", ...argv].map(shellWord).join(" "),
  };
  const text = scheduler === "slurm" ? slurmPlan(input, { time, partition }) : kubernetesPlan(input, { image, volumeClaim });
  return { text, out };
}

export async function planCommand(argv: string[]): Promise<void> {
  const plan = planText(argv);
  if (plan === "help") {
    writeStdout(PLAN_HELP);
    return;
  }
  writeOutput(plan.text, plan.out ?? null);
}
