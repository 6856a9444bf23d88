import { predictorScope } from "../theory/predictor-scope.ts";
import type { SweepProblem } from "../ensemble/problem.ts";
import { criterionTest } from "../engine/criteria.ts";
import { VERSION } from "../solution/result.ts";
import { enumerateCells } from "../ensemble/grid.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import type { UnitProblem } from "../model/problem.ts";
import type { MomentsKind } from "../theory/moments-choice.ts";
import { perStepTheory } from "../theory/per-step.ts";
import { predictCollapse } from "../theory/predictor.ts";
import { tau } from "../theory/scaling.ts";
import { writeFileAtomic } from "../solution/files.ts";
import { parseSweepInvocation } from "./sweep-command.ts";

export const THEORY_HELP = `bn-collapse theory: the leading-order theory of every cell of a grid, no simulation.

For each cell: the per-step drift and variance of r = beta/|gamma| and of the sparsity 1 - Phi(r) at the
initial state (to second order in lr), tau = lr^2 sigma^2 T / (B gamma0^2), and the collapse probability
by T predicted by the backward Kolmogorov equation of the (r, ln gamma) diffusion (docs/theory.md).

Usage: bn-collapse theory [flags]

Takes the flags of "bn-collapse sweep" (see bn-collapse sweep --help; LISTs give one entry per cell):
  --lr --gamma --beta --batch --weight-decay --signal --steps --noise --act --collapse --config ...
(--trials, --seed, --workers and the statistics flags are accepted and ignored). And:
  --moments M            finite (exact law of a standardised Gaussian batch) | gauss (N(0,1))  [finite]
  --predictor P          2d | 1d (gamma frozen) | none                                        [2d]
  --format json          output format (JSON only)                                            [json]
  --out FILE             write there (atomically) instead of stdout

The prediction needs plain SGD, no weight decay, zero signal, Gaussian input, the noise loss, a constant
schedule and a criterion on r; elsewhere "predicted.p" is null with the reason.

Example:
  bn-collapse theory --lr 0.05,0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --collapse ratio:3 --format json
`;

export interface TheoryCell {
  lr: number;
  gamma: number;
  beta: number;
  batch: number;
  weightDecay: number;
  signal: number;
  perStep: { driftR: number; varR: number; driftSparsity: number; varSparsity: number };
  tau: number;
  predicted: { p: number | null; method: string; ms?: number; reason?: string };
}

/** Pulls this command's own flags out of argv; the rest goes to the sweep's parser. */
function takeOwnFlags(argv: string[]): { rest: string[]; own: Map<string, string> } {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(moments|predictor)(?:=(.*))?$/.exec(argv[i]);
    if (!m) {
      rest.push(argv[i]);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === "") throw new ConfigError(`--${m[1]}`, "needs a value");
    if (own.has(m[1])) throw new ConfigError(`--${m[1]}`, "given more than once");
    own.set(m[1], value);
  }
  return { rest, own };
}

export function theoryCells(spec: SweepProblem, moments: MomentsKind, predictor: "1d" | "2d" | "none"): TheoryCell[] {
  return enumerateCells(spec).map(({ at, problem }) => {
    const sigma = problem.loss.kind === "noise" ? problem.loss.noise.sigma : problem.loss.labelNoise;
    const alpha = problem.activation.kind === "leaky" ? problem.activation.alpha : 0;
    const s = perStepTheory({
      lr: at.lr, gamma: at.gamma, beta: at.beta, batch: at.batch, sigma, alpha,
      signal: at.signal, weightDecay: at.weightDecay, moments,
    });
    const t = tau(at.lr, sigma, problem.steps, at.batch, at.gamma);
    return {
      lr: at.lr, gamma: at.gamma, beta: at.beta, batch: at.batch, weightDecay: at.weightDecay, signal: at.signal,
      perStep: { driftR: s.driftR, varR: s.varR, driftSparsity: s.driftSparsity, varSparsity: s.varSparsity },
      tau: t,
      predicted: predict(problem, s.r, t, s.kappa, alpha, moments, predictor),
    };
  });
}

function predict(
  problem: UnitProblem, r0: number, t: number, kappa0: number, alpha: number, moments: MomentsKind, predictor: "1d" | "2d" | "none",
): TheoryCell["predicted"] {
  const method = `kolmogorov-${predictor}`;
  const reason = predictorScope(problem);
  if (predictor === "none") return { p: null, method: "none", reason: "--predictor none" };
  if (reason) return { p: null, method, reason };
  const test = criterionTest(problem.collapse, problem.batch);
  const p = predictCollapse({ r0, tau: t, batch: problem.batch, alpha, threshold: test.threshold, moments, monitoringKappa: kappa0, dims: predictor });
  return { p: p.p, method: p.method, ms: Math.round(p.ms) };
}

export async function theoryCommand(argv: string[]): Promise<void> {
  const { rest, own } = takeOwnFlags(argv);
  const inv = parseSweepInvocation(rest);
  if (inv === "help") {
    process.stdout.write(THEORY_HELP);
    return;
  }
  if (inv.format !== "json") throw new ConfigError("--format", `theory prints json only, got "${inv.format}"`);
  const moments = own.get("moments") ?? "finite";
  if (moments !== "finite" && moments !== "gauss") throw new ConfigError("--moments", `must be finite or gauss, got "${moments}"`);
  const predictor = own.get("predictor") ?? "2d";
  if (predictor !== "1d" && predictor !== "2d" && predictor !== "none") throw new ConfigError("--predictor", `must be 2d, 1d or none, got "${predictor}"`);
  const cells = theoryCells(inv.spec, moments, predictor);
  const text = stringifyResults({ tool: "bn-collapse", version: VERSION, kind: "theory", moments, config: inv.spec.config, cells });
  if (inv.out === null) process.stdout.write(text);
  else writeFileAtomic(inv.out, text);
}
