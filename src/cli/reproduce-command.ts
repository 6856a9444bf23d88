import { writeStdout } from "../solution/output.ts";
import { defaultWorkerCount } from "../ensemble/pool.ts";
import type { Progress } from "../ensemble/sweep.ts";
import { EXPERIMENTS } from "../experiments/set.ts";
import { reproduce } from "../experiments/run.ts";
import type { Experiment, Mode } from "../experiments/types.ts";
import type { PrintOptions } from "../render/figure-files.ts";
import { ConfigError } from "../model/errors.ts";
import { parseArgs, type FlagSpec } from "./args.ts";
import { integerFlag } from "./flag-values.ts";
import { checkOutPath } from "../solution/files.ts";
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** --out DIR: a folder, created if missing, in a folder that exists (the rule of every --out: README). */
function checkOutDir(dir: string): void {
  const at = resolve(dir);
  if (existsSync(at)) {
    if (!statSync(at).isDirectory()) throw new ConfigError("--out", `${dir} exists and is not a folder`);
    return;
  }
  if (!existsSync(dirname(at))) throw new ConfigError("--out", `the folder ${dirname(dir)} does not exist (it is not created; make it first)`);
}
import { createProgressReporter } from "./progress.ts";

export const REPRODUCE_HELP = `bn-collapse reproduce: run the figure set and write every figure with an index.

Usage: bn-collapse reproduce [--quick] [--out DIR] [flags]

  --quick           the quick set: shorter horizons, fewer trials, under a minute  [off]
  --out DIR         where the figures go           [figures/, or figures/quick/ with --quick]
  --only IDS        only these figures, comma-separated (ids below); no findings are written
  --findings FILE   where the findings go            [docs/findings.md for the full set into
                    figures/; DIR/findings.md otherwise, so --quick never touches docs/]
  --width PT        scale every figure to PT points wide, fonts with it (one column ~240,
                    two ~500)                      [the layout: 1 px = 1 pt]
  --font-size N     axis labels N px in the layout, titles and legends in proportion  [11]
  --dpi N           PNG resolution at the printed size             [144]
  --fresh           recompute everything instead of reusing DIR/.cache
  --workers K       worker threads                 [all cores]
  --quiet           no progress on stderr

Each figure is written as ID.png, ID.svg, ID.vl.json (the vega-lite spec, opens in the Vega
editor), ID.pdf (vector, fonts embedded) and ID.csv (the plotted data); DIR/README.md shows
them with their captions (--only replaces those figures' sections and keeps the others). The findings
(for each estimator and regime: does the lr^2/gamma^2 law hold, the exponent and its interval, where
it fails) are generated from the same numbers. Results are cached in DIR/.cache by a hash of their
config, so a re-run recomputes only what changed.

Figures: ${EXPERIMENTS.map((e) => e.id).join(", ")}
`;

const FLAGS: FlagSpec[] = [
  { name: "quick", value: false },
  { name: "out", value: true },
  { name: "only", value: true },
  { name: "findings", value: true },
  { name: "width", value: true },
  { name: "font-size", value: true },
  { name: "dpi", value: true },
  { name: "fresh", value: false },
  { name: "workers", value: true },
  { name: "quiet", value: false },
  { name: "help", value: false },
];

export interface ReproduceInvocation {
  mode: Mode;
  out: string;
  experiments: Experiment[];
  fresh: boolean;
  workers: number;
  quiet: boolean;
  /** the findings file, or null when the run does not write one (--only) */
  findings: string | null;
  /** --only's ids, to name in the index */
  only: string[] | null;
  print: PrintOptions;
}

/** The committed figure set and the findings generated from it. */
export const DEFAULT_OUT = "figures";
export const DEFAULT_FINDINGS = "docs/findings.md";

export function parseReproduceInvocation(argv: string[]): ReproduceInvocation | "help" {
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (flags.has("help")) return "help";
  if (positional.length > 0) throw new ConfigError(positional[0], "unexpected argument (see --help)");
  const mode: Mode = flags.has("quick") ? "quick" : "full";
  const givenOut = flags.get("out") as string | undefined;
  const out = givenOut ?? (mode === "quick" ? `${DEFAULT_OUT}/quick` : DEFAULT_OUT);
  let experiments = EXPERIMENTS;
  const only = flags.get("only");
  if (typeof only === "string") {
    const ids = only.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !EXPERIMENTS.some((e) => e.id === id));
    if (unknown.length) throw new ConfigError("--only", `unknown figure "${unknown[0]}" (figures: ${EXPERIMENTS.map((e) => e.id).join(", ")})`);
    experiments = EXPERIMENTS.filter((e) => ids.includes(e.id));
  }
  const workers = integerFlag(flags, "workers", defaultWorkerCount(), 1, 256);
  const givenFindings = flags.get("findings");
  if (givenFindings !== undefined && typeof only === "string") throw new ConfigError("--findings", "needs the whole figure set: it cannot be combined with --only");
  if (givenFindings !== undefined && (typeof givenFindings !== "string" || givenFindings === "")) throw new ConfigError("--findings", "expects a file name");
  // only the full set written to the committed folder replaces docs/findings.md: quick numbers never do
  const findings = typeof only === "string" ? null : ((givenFindings as string | undefined) ?? (mode === "full" && givenOut === undefined ? DEFAULT_FINDINGS : `${out}/findings.md`));
  const print: PrintOptions = {
    width: flags.has("width") ? integerFlag(flags, "width", 0, 72, 2000) : undefined,
    fontSize: flags.has("font-size") ? integerFlag(flags, "font-size", 0, 4, 40) : undefined,
    dpi: flags.has("dpi") ? integerFlag(flags, "dpi", 0, 36, 1200) : undefined,
  };
  if (givenOut !== undefined) checkOutDir(givenOut);
  if (typeof givenFindings === "string") checkOutPath(givenFindings);
  const onlyIds = typeof only === "string" ? experiments.map((e) => e.id) : null;
  return { mode, out, experiments, fresh: flags.has("fresh"), workers, quiet: flags.has("quiet"), findings, only: onlyIds, print };
}

export async function reproduceCommand(argv: string[]): Promise<void> {
  const inv = parseReproduceInvocation(argv);
  if (inv === "help") {
    writeStdout(REPRODUCE_HELP);
    return;
  }
  const started = Date.now();
  const log = inv.quiet
    ? undefined
    : (line: string) => {
        finish();
        finish = () => {};
        process.stderr.write(`reproduce ${line}\n`);
      };
  // one reporter per measurement; the previous one finishes its line before anything else is printed
  let finish = () => {};
  const onProgress = inv.quiet
    ? undefined
    : (label: string) => {
        finish();
        const reporter = createProgressReporter(`reproduce ${label}`);
        let last: Progress | null = null;
        finish = () => reporter.finish(last);
        return (p: Progress) => {
          last = p;
          reporter.update(p);
        };
      };
  const command = inv.mode === "quick" ? "bn-collapse reproduce --quick" : "bn-collapse reproduce";
  const findings = inv.findings ? { path: inv.findings, command } : null;
  const printFlags = [inv.print.width && `--width ${inv.print.width}`, inv.print.fontSize && `--font-size ${inv.print.fontSize}`, inv.print.dpi && `--dpi ${inv.print.dpi}`].filter(Boolean).join(" ");
  const named = `${command}${printFlags ? ` ${printFlags}` : ""}${inv.only ? ` --only ${inv.only.join(",")}` : ""}`;
  const summary = await reproduce(inv.experiments, { mode: inv.mode, out: inv.out, workers: inv.workers, fresh: inv.fresh, findings, log, onProgress, set: EXPERIMENTS, command: named, print: inv.print });
  log?.(
    `${summary.figures.length} figures in ${inv.out}/ (${summary.computed} measurements computed, ${summary.cached} from cache) in ${((Date.now() - started) / 1000).toFixed(1)} s; index: ${inv.out}/README.md; ` +
      (summary.findings ? `findings: ${summary.findings}` : "no findings written (--only runs part of the set)"),
  );
}
