import type { SweepProblem } from "../ensemble/problem.ts";
import type { UnitProblem } from "../model/problem.ts";

type Config = SweepProblem["config"];

const list = (v: number[]) => (v.length === 1 ? `${v[0]}` : `{${v.join(", ")}}`);

/**
 * Every parameter of a resolved config as (name, text) parts: the grid, the run, and each model
 * setting. Student-t noise is always drawn per sample, whatever noiseSampling says (it applies to
 * Gaussian noise only), so the part says what ran.
 */
export function configParts(c: Config, opts: { trialsWord?: string } = {}): [string, string][] {
  const sampling = c.noise.startsWith("gauss") ? c.noiseSampling : "per-sample";
  return [
    ["η", `η ∈ ${list(c.lr)}`],
    ["γ₀", `γ₀ ∈ ${list(c.gamma)}`],
    ["β₀", `β₀ = ${list(c.beta)}`],
    ["B", `B = ${list(c.batch)}`],
    ["weight decay", `weight decay ${list(c.weightDecay)}`],
    ["signal", `signal ${list(c.signal)}`],
    ["T", `T = ${c.steps} updates`],
    ["runs", `${c.trials} ${opts.trialsWord ?? "trajectories per cell"}`],
    ["seed", `seed ${c.seed}`],
    ["criterion", `criterion ${c.collapse}`],
    ["optimiser", `optimiser ${c.optimizer}`],
    ["schedule", `schedule ${c.schedule}`],
    ["activation", `activation ${c.act}`],
    ["noise", `noise ${c.noise} (${sampling})`],
    ["loss", `loss ${c.loss}`],
    ["input", `input ${c.input}`],
    ["BN ε", `BN ε = ${c.bnEps}`],
    ["intervals", `${c.interval} 95% intervals`],
    ["streams", `streams ${c.streams}`],
    ...(c.norm && c.norm !== "bn" ? ([["norm", `norm ${c.norm}`]] as [string, string][]) : []),
    ...(c.phases && c.phases.length ? ([["phases", `earlier phases ${phasesText(c.phases)}`]] as [string, string][]) : []),
    ...(c.keepOptimizerState ? ([["optimiser state", "optimiser state kept across phases"]] as [string, string][]) : []),
  ];
}

function phasesText(phases: NonNullable<Config["phases"]>): string {
  if (typeof phases === "string") return phases;
  return phases.map((ph) => Object.entries(ph).map(([k, v]) => `${k} ${v}`).join(" ")).map((t) => `(${t})`).join(", ");
}

/** Every parameter of a resolved config in one line (configParts joined). */
export function describeConfig(c: Config, opts: { trialsWord?: string } = {}): string {
  return configParts(c, opts).map(([, t]) => t).join(", ");
}

/**
 * The settings of a figure's series as a caption: a table of the parts that differ between series
 * (a column each, the series' name first) and one line of the parts they share.
 */
export function settingsCaption(series: readonly { name: string; config: Config; trialsWord?: string }[]): string[] {
  const parts = series.map((s) => new Map(configParts(s.config, { trialsWord: s.trialsWord })));
  const keys = [...new Set(parts.flatMap((m) => [...m.keys()]))];
  const differs = keys.filter((k) => new Set(parts.map((m) => m.get(k) ?? "—")).size > 1);
  const shared = keys.filter((k) => !differs.includes(k)).map((k) => parts[0].get(k)!);
  const out: string[] = [];
  if (series.length > 1 && differs.length) {
    const cell = (t: string) => t.replace(/\|/g, "\\|");
    out.push(`| series | ${differs.join(" | ")} |`, `| --- |${differs.map(() => " --- |").join("")}`);
    for (const [i, s] of series.entries()) out.push(`| ${cell(s.name)} | ${differs.map((k) => cell(parts[i].get(k) ?? "—")).join(" | ")} |`);
    out.push("");
  }
  out.push(`${series.length > 1 ? "Shared by every series" : "Settings"}: ${shared.join(", ")}.`);
  return out;
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
