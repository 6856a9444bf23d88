import { writeStdout } from "../solution/output.ts";
import { runBench } from "../bench/run-bench.ts";
import { formatBenchReport } from "../bench/report.ts";
import { FULL_WORKLOAD, QUICK_WORKLOAD, type BenchWorkload } from "../bench/workload.ts";
import { ConfigError } from "../model/errors.ts";
import { parseArgs, type FlagSpec } from "./args.ts";
import { integerFlag } from "./flag-values.ts";

export const BENCH_HELP = `bn-collapse bench: how fast the engine is, side by side with numpy and C references.

Usage: bn-collapse bench [--json] [--quick] [flags]

  --json            the report as JSON on stdout (fields mechanistic.perSecond1, .perSecondAll,
                    reduced.perSecond1, .perSecondAll, references, agreement, ratios, targets,
                    rare.workRatio: AMS against brute force per P, docs/rare-events.md)
  --quick           a small workload (lr ${QUICK_WORKLOAD.lr}, ${QUICK_WORKLOAD.steps} steps, ${QUICK_WORKLOAD.trials} trajectories), 1 run each,
                    no reproduce timing: for tests and a first look
  --repeat N        timed runs of each measurement, medians reported   [3; 1 with --quick]
  --workers K       workers of the "all cores" runs                     [all cores]
  --no-references   do not run bench/reference.py (numpy) and bench/reference.c (cc -O3)
  --no-reproduce    do not time "reproduce --quick"
  --quiet           no progress on stderr

Workload: lr ${FULL_WORKLOAD.lr}, gamma ${FULL_WORKLOAD.gamma}, beta ${FULL_WORKLOAD.beta}, B ${FULL_WORKLOAD.batch}, ${FULL_WORKLOAD.steps} steps, ${FULL_WORKLOAD.trials} trajectories (reduced model:
${FULL_WORKLOAD.reducedTrials}), criterion ratio:${FULL_WORKLOAD.c} checked every step, trajectories not stopped at collapse; only
executed steps count. The mechanistic model is timed in sample-steps/s, the reduced one in
trajectory-steps/s. Each measurement follows an untimed warm-up run on the same threads (worker
threads stay in a pool between runs); the workers' cold start is reported on its own.
The references implement the same step (exact-sum noise, see docs/conventions.md); the bench checks
that all three agree on the collapse probability and prints the ratios against the targets.
Benchmark numbers need a quiet machine: the report gives the load average. See docs/performance.md.
`;

const FLAGS: FlagSpec[] = [
  { name: "json", value: false },
  { name: "quick", value: false },
  { name: "repeat", value: true },
  { name: "workers", value: true },
  { name: "no-references", value: false },
  { name: "no-reproduce", value: false },
  { name: "quiet", value: false },
  { name: "help", value: false },
];

export async function benchCommand(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.has("help")) {
    writeStdout(BENCH_HELP);
    return;
  }
  if (positional.length > 0) throw new ConfigError(positional[0], "unexpected argument (see --help)");
  const quick = flags.has("quick");
  const base = quick ? QUICK_WORKLOAD : FULL_WORKLOAD;
  const workload: BenchWorkload = { ...base, repeats: integerFlag(flags, "repeat", base.repeats, 1, 100) };
  const workers = flags.has("workers") ? integerFlag(flags, "workers", 1, 1, 256) : undefined;
  const quiet = flags.has("quiet");
  const report = await runBench(workload, {
    quick,
    workers,
    references: !flags.has("no-references"),
    reproduce: flags.has("no-reproduce") ? false : !quick,
    log: quiet ? undefined : (line) => process.stderr.write(`bench: ${line}\n`),
  });
  writeStdout(flags.has("json") ? `${JSON.stringify(report, null, 2)}\n` : formatBenchReport(report));
}
