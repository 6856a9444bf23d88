import { ConfigError } from "../model/errors.ts";
import { MAX_SHARDS } from "../ensemble/shards.ts";
import type { ShardId } from "../solution/shard-file.ts";

/**
 * `--shard auto`: which shard i/n this process is, read from the environment a scheduler gives each
 * task of an array. Every scheduler numbers its tasks its own way; all are mapped onto 1-based i:
 *
 * - Slurm job arrays: SLURM_ARRAY_TASK_ID, within SLURM_ARRAY_TASK_MIN..MAX in steps of
 *   SLURM_ARRAY_TASK_STEP, SLURM_ARRAY_TASK_COUNT tasks. Task ids MIN, MIN+STEP, ... are shards 1, 2, ...,
 *   so --array=0-15, 1-16, 5-20 and 1-31:2 all make 16 shards. An array with gaps (--array=1,3,7, whose
 *   COUNT is below (MAX-MIN)/STEP+1) has no such numbering and is refused.
 * - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX from 0; the count (spec.completions) is not in the
 *   pod's environment and must be declared (--shards N, or "shards" in the config).
 * - AWS Batch array jobs: AWS_BATCH_JOB_ARRAY_INDEX from 0, AWS_BATCH_JOB_ARRAY_SIZE children.
 *
 * A declared count must agree with what the scheduler says, and two schedulers' variables (rare, but
 * a Slurm job inside a container can carry both) must name the same shard.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A shard count the user gave, and where (for messages): "--shards" or "grid.json: field \"shards\"". */
export interface DeclaredCount {
  count: number;
  from: string;
}

export interface EnvironmentShard {
  shard: ShardId;
  /** how it was found, for the log: `Slurm array task SLURM_ARRAY_TASK_ID=7 of 5..20` */
  source: string;
}

const FIELD = "--shard auto";

const refuse = (message: string) => new ConfigError(FIELD, message);

/** The variable as a non-negative integer, undefined when unset or empty. */
function readCount(env: Environment, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\s*\d{1,9}\s*$/.test(raw)) throw refuse(`${name}=${JSON.stringify(raw)} is not a non-negative integer`);
  return Number(raw);
}

function checkCount(n: number, what: string): void {
  if (n < 1 || n > MAX_SHARDS) throw refuse(`${what} gives ${n} shards; a sweep takes 1..${MAX_SHARDS}`);
}

/** Slurm: the task's place in the arithmetic progression MIN, MIN+STEP, ..., MAX. */
export function slurmShard(env: Environment, declared: DeclaredCount | null): EnvironmentShard | null {
  const id = readCount(env, "SLURM_ARRAY_TASK_ID");
  if (id === undefined) return null;
  const min = readCount(env, "SLURM_ARRAY_TASK_MIN");
  const max = readCount(env, "SLURM_ARRAY_TASK_MAX");
  const step = readCount(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
  const count = readCount(env, "SLURM_ARRAY_TASK_COUNT");
  if (min === undefined) throw refuse(`SLURM_ARRAY_TASK_ID=${id} is set but SLURM_ARRAY_TASK_MIN is not, so the array's numbering is unknown; give --shard i/n`);
  if (step < 1) throw refuse(`SLURM_ARRAY_TASK_STEP=${step} must be at least 1`);
  if (id < min || (max !== undefined && id > max)) {
    throw refuse(`SLURM_ARRAY_TASK_ID=${id} lies outside SLURM_ARRAY_TASK_MIN=${min}..SLURM_ARRAY_TASK_MAX=${max ?? "?"}`);
  }
  if ((id - min) % step !== 0) throw refuse(`SLURM_ARRAY_TASK_ID=${id} is not SLURM_ARRAY_TASK_MIN=${min} plus a multiple of SLURM_ARRAY_TASK_STEP=${step}`);
  let span: number | undefined;
  if (max !== undefined) {
    if ((max - min) % step !== 0) throw refuse(`SLURM_ARRAY_TASK_MAX=${max} is not SLURM_ARRAY_TASK_MIN=${min} plus a multiple of SLURM_ARRAY_TASK_STEP=${step}`);
    span = (max - min) / step + 1;
  }
  if (span !== undefined && count !== undefined && span !== count) {
    throw refuse(
      `the array has gaps: SLURM_ARRAY_TASK_MIN=${min}..SLURM_ARRAY_TASK_MAX=${max} in steps of ${step} would be ${span} tasks, ` +
        `but SLURM_ARRAY_TASK_COUNT=${count}. A list such as --array=1,3,7 cannot be numbered as shards i/n; ` +
        `submit a range (--array=1-N or A-B:S), or give --shard i/n`,
    );
  }
  const n = span ?? count;
  if (n === undefined) throw refuse(`SLURM_ARRAY_TASK_ID=${id} is set but neither SLURM_ARRAY_TASK_MAX nor SLURM_ARRAY_TASK_COUNT, so the number of shards is unknown`);
  const range = `${min}..${max ?? min + (n - 1) * step}${step > 1 ? ` step ${step}` : ""}`;
  checkCount(n, `the Slurm array ${range}`);
  if (declared !== null && declared.count !== n) {
    throw refuse(
      `${declared.from} says ${declared.count} shards but this Slurm array (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_MAX=${max ?? "?"}, ` +
        `SLURM_ARRAY_TASK_STEP=${step}) has ${n} task${n === 1 ? "" : "s"}. To rerun some tasks of a sharded array, requeue them ` +
        `(scontrol requeue JOBID_TASK), which keeps the array's numbering, or give --shard i/n`,
    );
  }
  return { shard: { index: (id - min) / step + 1, count: n }, source: `Slurm array task SLURM_ARRAY_TASK_ID=${id} of ${range}` };
}

/** Kubernetes Indexed Job: index from 0; the count must be declared. */
export function kubernetesShard(env: Environment, declared: DeclaredCount | null): EnvironmentShard | null {
  const index = readCount(env, "JOB_COMPLETION_INDEX");
  if (index === undefined) return null;
  if (declared === null) {
    throw refuse(`JOB_COMPLETION_INDEX=${index} is set (a Kubernetes Indexed Job) but the pod is not told how many indexes there are: give --shards N with N the Job's spec.completions`);
  }
  if (index >= declared.count) throw refuse(`JOB_COMPLETION_INDEX=${index} must be below ${declared.from} ${declared.count} (indexes run from 0)`);
  return { shard: { index: index + 1, count: declared.count }, source: `Kubernetes JOB_COMPLETION_INDEX=${index} of ${declared.count} (${declared.from})` };
}

/** AWS Batch array job: index from 0, size from the environment (or declared). */
export function awsBatchShard(env: Environment, declared: DeclaredCount | null): EnvironmentShard | null {
  const index = readCount(env, "AWS_BATCH_JOB_ARRAY_INDEX");
  if (index === undefined) return null;
  const size = readCount(env, "AWS_BATCH_JOB_ARRAY_SIZE");
  if (size !== undefined && declared !== null && size !== declared.count) {
    throw refuse(`AWS_BATCH_JOB_ARRAY_SIZE=${size} but ${declared.from} says ${declared.count} shards`);
  }
  const n = size ?? declared?.count;
  if (n === undefined) throw refuse(`AWS_BATCH_JOB_ARRAY_INDEX=${index} is set but not AWS_BATCH_JOB_ARRAY_SIZE: give --shards N with N the array size`);
  checkCount(n, size !== undefined ? `AWS_BATCH_JOB_ARRAY_SIZE=${size}` : declared!.from);
  if (index >= n) throw refuse(`AWS_BATCH_JOB_ARRAY_INDEX=${index} must be below the array size ${n} (indexes run from 0)`);
  return { shard: { index: index + 1, count: n }, source: `AWS Batch AWS_BATCH_JOB_ARRAY_INDEX=${index} of ${n}` };
}

/** The shard of this task; refuses, naming the variables, when none is set or they disagree. */
export function shardFromEnvironment(env: Environment, declared: DeclaredCount | null = null): EnvironmentShard {
  const found = [slurmShard, kubernetesShard, awsBatchShard].map((read) => read(env, declared)).filter((s): s is EnvironmentShard => s !== null);
  if (found.length === 0) {
    const slurmJob = env.SLURM_JOB_ID !== undefined && env.SLURM_JOB_ID !== "" ? ` This is Slurm job ${env.SLURM_JOB_ID}, but not a task of a job array (submit with sbatch --array=1-N).` : "";
    throw refuse(
      "found none of the variables a scheduler sets for a task of an array: SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_MIN, " +
        "SLURM_ARRAY_TASK_MAX, SLURM_ARRAY_TASK_STEP, SLURM_ARRAY_TASK_COUNT), JOB_COMPLETION_INDEX (Kubernetes Indexed Job, with --shards N) " +
        `or AWS_BATCH_JOB_ARRAY_INDEX (with AWS_BATCH_JOB_ARRAY_SIZE).${slurmJob} Outside a scheduler, give --shard i/n`,
    );
  }
  const [first, ...rest] = found;
  for (const other of rest) {
    if (other.shard.index !== first.shard.index || other.shard.count !== first.shard.count) {
      throw refuse(`the schedulers' variables disagree: ${first.source} is shard ${first.shard.index}/${first.shard.count}, but ${other.source} is ${other.shard.index}/${other.shard.count}`);
    }
  }
  return found.length === 1 ? first : { shard: first.shard, source: found.map((s) => s.source).join(", agreeing with ") };
}
