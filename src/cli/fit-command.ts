import { writeStdout } from "../solution/output.ts";
import { readFileSync } from "node:fs";
import { DEFAULT_FIT_TRIALS, DEFAULT_GAP, fitSweep } from "../analysis/fit-sweep.ts";
import { parseSweepResult } from "../solution/load.ts";
import { fitReportText } from "../analysis/text.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import { parseArgs, type FlagSpec } from "./args.ts";
import { choiceFlag, integerFlag, numberFlag } from "./flag-values.ts";

/** Bounds of fit's one-step simulation: past them it would run for days (or allocate past memory). */
const MAX_FIT_TRIALS = 100_000_000;
const MAX_FIT_WORK = 1e10;
/** r0 = threshold + gap; far from the threshold one step never reaches it, and beta0 would overflow */
const MAX_GAP = 1e3;

export const FIT_HELP = `bn-collapse fit: scaling exponents of a sweep's result in lr and in gamma, for four estimators,
each with a 95% profile-likelihood interval, a goodness-of-fit test of the power law and a verdict
against the paper's law (P ~ lr^2/gamma^2), and a test of the data collapse onto
tau = lr^2 sigma^2 T/(B gamma0^2). It prints a summary table first, then every line of the grid.
Method: docs/scaling-analysis.md.

Usage: bn-collapse fit RESULTS.json [--trials N] [--gap D] [--format text|json]

  (a) P(T), the collapse probability by T           from the cells         expected +2 (lr), -2 (gamma)
  (b) the median first-passage time                  from the KM curves     expected -2 (lr), +2 (gamma)
  (c) the per-step sparsity drift at the initial r   fresh one-step runs    expected +2 (lr), -2 (gamma)
  (d) the one-step collapse probability from         fresh one-step runs    expected +2 (lr), -2 (gamma)
      r0 = threshold + gap

(a) and (d) are binomial maximum-likelihood fits (complementary log-log link) of every cell,
zero and full counts included; (c) is fitted on the linear scale, (b) on the log scale. A verdict
needs 3 cells and a passed goodness-of-fit test; line verdicts are Holm-corrected per axis.

  --trials N     one-step runs per cell for (c) and (d), with the sweep's seed   [${DEFAULT_FIT_TRIALS}]
  --gap D        r0 - threshold for (d), in units of r = beta/|gamma|            [${DEFAULT_GAP}]
  --format F     text | json                                                     [text]

RESULTS.json is the JSON output of "bn-collapse sweep" (or "merge") with at least two values of lr
or of gamma. Example:
  bn-collapse sweep --lr 0.05:0.4:6log --gamma 0.5:2:6log --batch 8 --steps 200 --trials 400 \\
    --collapse ratio:1.5 --out grid.json --quiet
  bn-collapse fit grid.json --trials 2000
`;

const FIT_FLAGS: FlagSpec[] = [
  { name: "trials", value: true },
  { name: "gap", value: true },
  { name: "format", value: true },
  { name: "help", value: false },
];

export async function fitCommand(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, FIT_FLAGS);
  if (flags.has("help")) {
    writeStdout(FIT_HELP);
    return;
  }
  const format = choiceFlag(flags, "format", ["text", "json"], "text");
  if (positional.length !== 1) throw new ConfigError("RESULTS.json", positional.length === 0 ? "missing: give the JSON result of a sweep (see --help)" : `expected one file, got ${positional.length}`);
  const trials = integerFlag(flags, "trials", DEFAULT_FIT_TRIALS, 2, MAX_FIT_TRIALS);
  const gap = numberFlag(flags, "gap", DEFAULT_GAP);
  if (!(gap > 0 && gap <= MAX_GAP)) throw new ConfigError("--gap", `must be in (0, ${MAX_GAP}] (r0 - threshold in units of r = beta/|gamma|), got ${gap}`);
  const name = positional[0];
  const result = parseSweepResult(readResults(name), name);
  const work = result.cells.length * trials * Math.max(...result.cells.map((c) => c.batch));
  if (work > MAX_FIT_WORK) throw new ConfigError("--trials", `${trials} one-step runs for each of ${result.cells.length} cells is about ${work.toExponential(1)} batch updates, more than ${MAX_FIT_WORK.toExponential(0)}; lower --trials`);
  const report = fitSweep(result, { trials, gap }, name);
  writeStdout(format === "json" ? stringifyResults(report) : fitReportText(report, name));
}


function readResults(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
