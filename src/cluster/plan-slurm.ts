import { shardSizes, type PlanInput } from "./plan.ts";

export interface SlurmOptions {
  /** sbatch --time for each task, e.g. "12:00:00"; the partition's default when absent */
  time?: string;
  partition?: string;
}

/**
 * A bash script that, run from a folder every node sees, writes the run's folder (the config, the
 * array's and the merge's sbatch scripts) and submits the array and, after it, the merge
 * (--dependency=afterok). Output paths depend only on the shard number, so a task run again (requeued,
 * resubmitted, or the whole script rerun) finds its own checkpoint and resumes.
 */
export function slurmPlan(p: PlanInput, o: SlurmOptions = {}): string {
  const n = p.tasks;
  const run = p.name;
  const extra = [o.partition ? `#SBATCH --partition=${o.partition}` : null, o.time ? `#SBATCH --time=${o.time}` : null].filter((l) => l !== null);
  const lines = [
    "#!/bin/bash",
    `# bn-collapse plan for Slurm: ${shardSizes(p.gridCells, n)}, as a job array of ${n} tasks with`,
    `# ${p.cpusPerTask} core${p.cpusPerTask === 1 ? "" : "s"} each, then a merge job that starts once every task has succeeded.`,
    `#   made by: ${p.madeBy}`,
    "#",
    `# Run it with bash from a folder that every node sees. It writes ${run}/ there:`,
    "#   config.json     the sweep, every default filled in: what every task runs",
    `#   shards.sbatch   the array; task i runs shard i/${n} into parts/part-i.json, checkpointing each cell`,
    `#   merge.sbatch    merges parts/part-1..${n}.json into ${run}/sweep.json`,
    "#   logs/           shard-i.log per task (appended across attempts) and merge.log",
    "# and submits both. \"bash THIS_SCRIPT 3,7\" submits only those tasks (and a merge after them).",
    "# A task that was cancelled, preempted or timed out resumes from its checkpoint when run again, and",
    "# a task whose part is written does nothing: after a failure, rerun this script.",
    "set -euo pipefail",
    `run=${run}`,
    `tasks="\${1:-1-${n}}"`,
    `[[ "$tasks" =~ ^[0-9][0-9,-]*$ ]] || { echo "tasks must be a Slurm index list such as 3,7 or 1-${n}, got '$tasks'" >&2; exit 2; }`,
    `queued="$(squeue --user="$(id -un)" --noheader --name="$run,$run-merge" --format=%i)"`,
    `[[ -z "$queued" ]] || { echo "jobs of $run are still queued or running ($(echo $queued)): wait for them or scancel them first" >&2; exit 2; }`,
    `mkdir -p "$run/parts" "$run/logs"`,
    `cat > "$run/config.json.new" <<'CONFIG'`,
    p.configJson.trimEnd(),
    "CONFIG",
    `if [[ -e "$run/config.json" ]] && ! cmp -s "$run/config.json" "$run/config.json.new"; then`,
    `  rm "$run/config.json.new"`,
    `  echo "$run/config.json holds another sweep: plan with another --name, or move $run away" >&2`,
    "  exit 2",
    "fi",
    `mv "$run/config.json.new" "$run/config.json"`,
    "",
    `cat > "$run/shards.sbatch" <<'SHARDS'`,
    "#!/bin/bash",
    `#SBATCH --job-name=${run}`,
    `#SBATCH --array=1-${n}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --cpus-per-task=${p.cpusPerTask}`,
    ...extra,
    `#SBATCH --output=${run}/logs/shard-%a.log`,
    "#SBATCH --open-mode=append",
    "set -euo pipefail",
    'i="${SLURM_ARRAY_TASK_ID:?submit this with sbatch: it is a job array}"',
    `part="${run}/parts/part-$i.json"`,
    `echo "shard $i/${n}: job \${SLURM_JOB_ID:-?} on $(hostname), restart \${SLURM_RESTART_COUNT:-0}, $(date -u +%FT%TZ)"`,
    'if [[ -f "$part" && ! -f "$part.checkpoint.jsonl" ]]; then',
    `  echo "shard $i/${n}: $part is already written; nothing to do"`,
    "  exit 0",
    "fi",
    `exec ${p.launcher} sweep --config ${run}/config.json --workers ${p.cpusPerTask} --shard "$i/${n}" --out "$part"`,
    "SHARDS",
    "",
    `cat > "$run/merge.sbatch" <<'MERGE'`,
    "#!/bin/bash",
    `#SBATCH --job-name=${run}-merge`,
    "#SBATCH --ntasks=1",
    "#SBATCH --cpus-per-task=1",
    ...extra,
    `#SBATCH --output=${run}/logs/merge.log`,
    "#SBATCH --open-mode=append",
    "set -euo pipefail",
    `exec ${p.launcher} merge ${run}/parts/part-{1..${n}}.json --out ${run}/sweep.json`,
    "MERGE",
    "",
    `array="$(sbatch --parsable --array="$tasks" "$run/shards.sbatch")"`,
    'array="${array%%;*}"',
    `merge="$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$run/merge.sbatch")"`,
    'merge="${merge%%;*}"',
    `echo "submitted: tasks $tasks of $run as job array $array; the merge as job $merge, after all of them"`,
    `echo "result: $run/sweep.json; logs: $run/logs/; queue: squeue -j $array,$merge"`,
  ];
  return lines.join("\n") + "\n";
}
