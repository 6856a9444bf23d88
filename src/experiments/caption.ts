import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";

type Config = SweepProblem["config"];

const list = (v: number[]) => (v.length === 1 ? `${v[0]}` : `{${v.join(", ")}}`);

/**
 * Every parameter of a resolved config in one line: the grid, the run, and each model setting, with
 * the ones left at their defaults marked as such so a reader can tell what was chosen.
 */
export function describeConfig(c: Config, opts: { trialsWord?: string } = {}): string {
  const parts = [
    `η ∈ ${list(c.lr)}`,
    `γ₀ ∈ ${list(c.gamma)}`,
    `β₀ = ${list(c.beta)}`,
    `B = ${list(c.batch)}`,
    `weight decay ${list(c.weightDecay)}`,
    `signal ${list(c.signal)}`,
    `T = ${c.steps} updates`,
    `${c.trials} ${opts.trialsWord ?? "trajectories per cell"}`,
    `seed ${c.seed}`,
    `criterion ${c.collapse}`,
    `optimiser ${c.optimizer}`,
    `schedule ${c.schedule}`,
    `activation ${c.act}`,
    `noise ${c.noise} (${c.noiseSampling})`,
    `loss ${c.loss}`,
    `input ${c.input}`,
    `BN ε = ${c.bnEps}`,
    `${c.interval} 95% intervals`,
    `streams ${c.streams}`,
  ];
  return parts.join(", ");
}

/** The noise scale sigma of a problem's noise loss, which tau and kappa are defined with. */
export function noiseSigma(p: UnitProblem): number {
  if (p.loss.kind !== "noise") throw new Error(`tau and kappa need the noise loss's sigma; this problem has a ${p.loss.kind} loss`);
  return p.loss.noise.sigma;
}

/** A number for a caption: 3 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(3)).toString();
}

/** A criterion string of a config in words, e.g. "ratio:3" -> "r = β/|γ| ≤ −3". */
export function criterionWords(collapse: string): string {
  if (collapse === "dead") return "dead cone r = β/|γ| ≤ −√(B−1)";
  const [kind, v] = collapse.split(":");
  if (kind === "ratio") return `r = β/|γ| ≤ −${v}`;
  if (kind === "sparsity") return `sparsity ≥ ${v}`;
  if (kind === "gamma") return `|γ| ≤ ${v}`;
  return collapse;
}

const values = (cs: readonly Config[], f: (c: Config) => (string | number)[]) => [...new Set(cs.flatMap(f))];

/**
 * The line every probability figure carries under its title: horizon T, batch size B, the
 * criterion and the runs per point, each once when the series share it, else its values.
 */
export function runSubtitle(configs: readonly Config[], opts: { criterion?: boolean; runsWord?: string } = {}): string {
  const part = (name: string, vs: (string | number)[], unit = "") => (vs.length === 1 ? `${name} = ${vs[0]}${unit}` : `${name} ∈ {${vs.join(", ")}}${unit}`);
  const out = [part("T", values(configs, (c) => [c.steps]), " updates"), part("B", values(configs, (c) => c.batch))];
  if (opts.criterion !== false) {
    const crit = values(configs, (c) => [c.collapse]).map(String);
    out.push(crit.length === 1 ? `collapse: ${criterionWords(crit[0])}` : `collapse: ${crit.map(criterionWords).join(" or ")} by series`);
  }
  const trials = values(configs, (c) => [c.trials]);
  out.push(trials.length === 1 ? `${trials[0]} ${opts.runsWord ?? "runs per point"}` : `${trials.join("/")} ${opts.runsWord ?? "runs per point"}`);
  return out.join(" · ");
}
