import { writeStdout } from "../solution/output.ts";
import { enumerateCells } from "../ensemble/grid.ts";
import { VERSION } from "../solution/result.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import { theoryCells, type TheoryCell, type TheoryOptions } from "../theory/cell-predictions.ts";
import { writeOutput } from "../solution/files.ts";
import { parseSweepInvocation } from "./sweep-command.ts";

/** This command's own flags, one entry each (the sweep's flags are parsed by the sweep's parser). */
const OWN_FLAGS = [
  { name: "moments", choices: ["finite", "gauss"], fallback: "finite", help: "finite (exact law of a standardised Gaussian batch) | gauss (N(0,1))" },
  { name: "predictor", choices: ["2d", "1d", "none"], fallback: "2d", help: "the diffusion predictor: 2d | 1d (gamma frozen) | none" },
  { name: "finite-step", choices: ["on", "check", "off"], fallback: "on", help: "the finite-step predictor: on | check (also on a 1.5x finer grid) | off" },
] as const;

type OwnName = (typeof OWN_FLAGS)[number]["name"];

export const THEORY_HELP = `bn-collapse theory: the theory of every cell of a grid, no simulation.

For each cell (docs/theory.md):
  perStep     the drift and variance of r = beta/|gamma| and of the sparsity 1 - Phi(r) over one step
              from the initial state, to second order in lr (null, with a reason, where not derived:
              momentum, Adam, schedules, the teacher loss)
  tau         lr^2 sigma^2 T / (B gamma0^2)
  diffusion   P(collapse by T) in the small-step limit: the backward Kolmogorov equation of the
              (r, ln gamma) diffusion, given only where that limit exists and the solve converges (a
              1.5x finer grid and moved cut-offs change it by < 1% or 1e-4); else null and the reason
  finiteStep  P(collapse by T) from the exact one-step law of plain SGD, iterated on a grid (no
              small-step limit: it covers the dead cone); null and the reason outside its scope

Usage: bn-collapse theory [flags]

Takes the flags of "bn-collapse sweep" (see bn-collapse sweep --help; LISTs give one entry per cell):
  --lr --gamma --beta --batch --weight-decay --signal --steps --noise --act --collapse --config ...
(--trials, --seed, --workers and the statistics flags are accepted and ignored). And:
${OWN_FLAGS.map((f) => `  --${f.name.padEnd(12)} ${f.help.padEnd(72)} [${f.fallback}]`).join("\n")}
  --format F     json | csv                                                                   [json]
  --out FILE     write there (atomically) instead of stdout
  --quiet        no notes on stderr

Both predictors need plain SGD with a constant lr, no weight decay, zero signal, Gaussian noise and
input, the noise loss and a criterion on r.

Example:
  bn-collapse theory --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 4000 --collapse dead --format json
`;

/** What the JSON's fields mean (printed with it, so that a file explains itself). */
const ABOUT = {
  perStep: "one SGD step from the initial state, to second order in lr: drift and variance of r = beta/|gamma| and of the sparsity 1 - Phi(r)",
  tau: "lr^2 sigma^2 T / (B gamma0^2)",
  diffusion: "P(collapse by T) in the small-step limit (backward Kolmogorov equation); convergence: P on a 1.5x finer grid and with the cut-offs moved out",
  finiteStep: "P(collapse by T) from the exact one-step law of the (gamma, beta) chain, iterated on a grid",
  p: "null where the method does not apply; reason says why",
};

/** Pulls this command's own flags out of argv; the rest goes to the sweep's parser. */
function takeOwnFlags(argv: string[]): { rest: string[]; own: Map<OwnName, string> } {
  const own = new Map<OwnName, string>();
  const rest: string[] = [];
  const names = OWN_FLAGS.map((f) => f.name).join("|");
  const re = new RegExp(`^--(${names})(?:=(.*))?$`);
  for (let i = 0; i < argv.length; i++) {
    const m = re.exec(argv[i]);
    if (!m) {
      rest.push(argv[i]);
      continue;
    }
    const name = m[1] as OwnName;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`--${name}`, "needs a value");
    if (own.has(name)) throw new ConfigError(`--${name}`, "given more than once");
    const flag = OWN_FLAGS.find((f) => f.name === name)!;
    if (!(flag.choices as readonly string[]).includes(value)) throw new ConfigError(`--${name}`, `must be ${flag.choices.join(", ")}, got "${value}"`);
    own.set(name, value);
  }
  return { rest, own };
}

function option(own: Map<OwnName, string>, name: OwnName): string {
  return own.get(name) ?? OWN_FLAGS.find((f) => f.name === name)!.fallback;
}

const CSV_COLUMNS = [
  "lr", "gamma", "beta", "batch", "weightDecay", "signal", "steps", "tau",
  "driftR", "varR", "driftSparsity", "varSparsity", "perStep_reason",
  "diffusion_p", "diffusion_method", "diffusion_change", "diffusion_reason",
  "finiteStep_p", "finiteStep_method", "finiteStep_refined", "finiteStep_reason",
] as const;

function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function theoryToCsv(cells: readonly TheoryCell[]): string {
  const rows = cells.map((c) =>
    [
      c.lr, c.gamma, c.beta, c.batch, c.weightDecay, c.signal, c.steps, c.tau,
      c.perStep.driftR, c.perStep.varR, c.perStep.driftSparsity, c.perStep.varSparsity, c.perStep.reason,
      c.diffusion.p, c.diffusion.method, c.diffusion.convergence?.change, c.diffusion.reason,
      c.finiteStep.p, c.finiteStep.method, c.finiteStep.refined, c.finiteStep.reason,
    ].map(csvField).join(","),
  );
  return [CSV_COLUMNS.join(","), ...rows].join("\n") + "\n";
}

export async function theoryCommand(argv: string[]): Promise<void> {
  const { rest, own } = takeOwnFlags(argv);
  // theory computes every cell at once, with no checkpoint: a shard would be silently ignored
  for (const flag of ["--shard", "--shards"]) {
    if (rest.some((a) => a === flag || a.startsWith(`${flag}=`))) throw new ConfigError(flag, "theory has no shards: it computes the whole grid in one run (sweep --shard splits a simulation)");
  }
  const inv = parseSweepInvocation(rest);
  if (inv === "help") {
    writeStdout(THEORY_HELP);
    return;
  }
  const t0 = performance.now();
  const options: TheoryOptions = {
    moments: option(own, "moments") as TheoryOptions["moments"],
    diffusion: option(own, "predictor") as TheoryOptions["diffusion"],
    finiteStep: option(own, "finite-step") as TheoryOptions["finiteStep"],
    // long work is reported, short work is not (the progress convention of sweep)
    note: (m) => {
      if (!inv.quiet && performance.now() - t0 > 2000) process.stderr.write(`theory: ${m}\n`);
    },
  };
  const cells = theoryCells(enumerateCells(inv.spec), options);
  const text =
    inv.format === "csv"
      ? theoryToCsv(cells)
      : stringifyResults({
          tool: "bn-collapse", version: VERSION, kind: "theory",
          moments: options.moments, predictor: options.diffusion, finiteStep: options.finiteStep,
          about: ABOUT, config: inv.spec.config, cells,
        });
  writeOutput(text, inv.out);
}
