/**
 * The reduced model against the mechanistic one (docs/reduced-model.md):
 *
 *   node --import tsx bench/reduced-vs-mechanistic.ts [--part speed|accuracy|all] [--trials N]
 *        [--seed S] [--workers K] [--reps R] [--out PREFIX]
 *
 * speed: trajectory-steps per second on one thread (simulateTrajectories, every run to the horizon),
 *   both models on the same workload, R alternating repetitions, medians.
 * accuracy: collapse probability by T = 1000 of both models over lr/gamma x B x r0 (gamma0 = 1), with
 *   the two-proportion z statistic. The models use independent streams (seeds "S/mechanistic" and
 *   "S/reduced"), so the z statistic's null distribution is N(0, 1).
 * Writes PREFIX.json and PREFIX.md (default bench/out/reduced-vs-mechanistic).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { simulateTrajectories } from "../src/engine/simulate.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import type { CellResult } from "../src/solution/result.ts";
import { defineProblem } from "../src/model/problem.ts";

type Model = "mechanistic" | "reduced";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const part = option("part", "all");
const trials = Number(option("trials", "4000"));
const seed = option("seed", "1");
const workers = Number(option("workers", "1"));
const reps = Number(option("reps", "5"));
const prefix = option("out", "bench/out/reduced-vs-mechanistic");

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

interface SpeedRow {
  batch: number;
  trajectories: number;
  steps: number;
  stepsPerSecond: Record<Model, number[]>;
  median: Record<Model, number>;
  speedup: number;
}

/** lr 0.2, gamma 1, beta 0, T = 1000, every run to the horizon, one thread. */
function measureSpeed(batch: number, trajectories: number): SpeedRow {
  const steps = 1000;
  const sps: Record<Model, number[]> = { mechanistic: [], reduced: [] };
  const problem = (model: Model) =>
    defineProblem({ model, batch, steps, gamma0: 1, beta0: 0, collapse: { kind: "ratio", c: 3 }, optimizer: { kind: "sgd", lr: 0.2 } });
  for (const model of ["mechanistic", "reduced"] as const) simulateTrajectories(problem(model), { seed: "warm-up", trials: 20, stopAtCollapse: false });
  for (let k = 0; k < reps; k++) {
    for (const model of ["mechanistic", "reduced"] as const) {
      const t0 = performance.now();
      simulateTrajectories(problem(model), { seed: `speed/${k}`, trials: trajectories, stopAtCollapse: false });
      sps[model].push((trajectories * steps) / ((performance.now() - t0) / 1000));
    }
  }
  const med = { mechanistic: median(sps.mechanistic), reduced: median(sps.reduced) };
  return { batch, trajectories, steps, stepsPerSecond: sps, median: med, speedup: med.reduced / med.mechanistic };
}

const LRS = [0.02, 0.05, 0.1, 0.2, 0.5];
const BETAS = [0, -1, -2];
const BATCHES = [8, 32, 128];
const STEPS = 1000;

/** ratio:3 where it lies above the absorbing boundary -sqrt(B - 1), else dead (B = 8: sqrt 7 < 3). */
const criterionFor = (batch: number) => (Math.sqrt(batch - 1) > 3 ? "ratio:3" : "dead");

interface AccuracyRow {
  batch: number;
  criterion: string;
  r0: number;
  lrOverGamma: number;
  tau: number;
  mechanistic: { p: number | null; se: number | null; collapsed: number; n: number };
  reduced: { p: number | null; se: number | null; collapsed: number; n: number };
  diff: number | null;
  /** (p_reduced - p_mechanistic) / pooled SE; null when both are 0 or 1 */
  z: number | null;
}

async function measureAccuracy(): Promise<{ rows: AccuracyRow[]; seconds: Record<Model, number> }> {
  const rows: AccuracyRow[] = [];
  const seconds: Record<Model, number> = { mechanistic: 0, reduced: 0 };
  for (const batch of BATCHES) {
    const criterion = criterionFor(batch);
    const cells: Record<Model, CellResult[]> = { mechanistic: [], reduced: [] };
    for (const model of ["mechanistic", "reduced"] as const) {
      const spec = resolveSweep({ model, lr: LRS, gamma: [1], beta: BETAS, batch: [batch], steps: STEPS, trials, collapse: criterion, seed: `${seed}/${model}` });
      const t0 = performance.now();
      cells[model] = (await runSweep(spec, { workers })).cells;
      seconds[model] += (performance.now() - t0) / 1000;
      process.stderr.write(`accuracy: B=${batch} ${model} done (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
    for (const m of cells.mechanistic) {
      const r = cells.reduced.find((c) => c.lr === m.lr && c.beta === m.beta);
      if (!r) throw new Error("cell missing");
      const nm = m.trials - m.nonFinite, nr = r.trials - r.nonFinite;
      const pool = (m.collapsed + r.collapsed) / (nm + nr);
      const sePool = Math.sqrt(pool * (1 - pool) * (1 / nm + 1 / nr));
      const diff = m.p !== null && r.p !== null ? r.p - m.p : null;
      rows.push({
        batch,
        criterion,
        r0: m.beta,
        lrOverGamma: m.lr / m.gamma,
        tau: (m.lr * m.lr * STEPS) / (batch * m.gamma * m.gamma),
        mechanistic: { p: m.p, se: m.se, collapsed: m.collapsed, n: nm },
        reduced: { p: r.p, se: r.se, collapsed: r.collapsed, n: nr },
        diff,
        z: diff !== null && sePool > 0 ? diff / sePool : null,
      });
    }
  }
  return { rows, seconds };
}

const fmt = (x: number | null, d = 3) => (x === null ? "-" : x.toFixed(d));

function speedMarkdown(rows: SpeedRow[]): string {
  const lines = [
    "| B | trajectories x steps | mechanistic steps/s (median) | reduced steps/s (median) | speed-up |",
    "| ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    lines.push(`| ${r.batch} | ${r.trajectories} x ${r.steps} | ${r.median.mechanistic.toExponential(2)} | ${r.median.reduced.toExponential(2)} | ${r.speedup.toFixed(1)}x |`);
  }
  return lines.join("\n");
}

function accuracyMarkdown(rows: AccuracyRow[]): string {
  const lines = [
    "| B | criterion | r0 | lr/gamma | tau | p mechanistic | p reduced | reduced - mech | z (SE) |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const flag = r.z !== null && Math.abs(r.z) >= 3 ? " **" : "";
    lines.push(
      `| ${r.batch} | ${r.criterion} | ${r.r0} | ${r.lrOverGamma} | ${fmt(r.tau, 4)} | ${fmt(r.mechanistic.p)} +- ${fmt(r.mechanistic.se)} | ${fmt(r.reduced.p)} +- ${fmt(r.reduced.se)} | ${fmt(r.diff)} | ${fmt(r.z, 1)}${flag} |`,
    );
  }
  return lines.join("\n");
}

const result: Record<string, unknown> = {
  tool: "bn-collapse bench/reduced-vs-mechanistic.ts",
  command: `node --import tsx bench/reduced-vs-mechanistic.ts ${process.argv.slice(2).join(" ")}`.trim(),
  runtime: typeof process !== "undefined" ? `node ${process.version}` : "unknown",
  date: new Date().toISOString(),
  seed,
  trials,
  workers,
  reps,
};
let md = `# reduced vs mechanistic\n\n\`${result.command}\` (${result.runtime}, ${result.date})\n`;

if (part === "speed" || part === "all") {
  const speed = [measureSpeed(32, 1000), measureSpeed(8, 1000), measureSpeed(128, 250)];
  result.speed = speed;
  md += `\n## Speed (one thread, lr 0.2, gamma 1, beta 0, T = 1000, run to the horizon, ${reps} repetitions)\n\n${speedMarkdown(speed)}\n`;
  process.stderr.write(`${speedMarkdown(speed)}\n`);
}
if (part === "accuracy" || part === "all") {
  const { rows, seconds } = await measureAccuracy();
  result.accuracy = { lrs: LRS, betas: BETAS, batches: BATCHES, steps: STEPS, gamma: 1, seconds, rows };
  const zs = rows.filter((r) => r.z !== null).map((r) => Math.abs(r.z as number));
  const worst = rows.reduce((w, r) => (r.z !== null && (w.z === null || Math.abs(r.z) > Math.abs(w.z)) ? r : w), rows[0]);
  md += `\n## Collapse probability by T = ${STEPS}, ${trials} trials per cell and model (seed ${seed}; wall time mechanistic ${seconds.mechanistic.toFixed(0)} s, reduced ${seconds.reduced.toFixed(0)} s on ${workers} worker(s))\n\n`;
  md += `${accuracyMarkdown(rows)}\n\n`;
  md += `${zs.filter((z) => z >= 3).length} of ${zs.length} comparable cells differ by 3 SE or more (**); largest |z| = ${fmt(worst.z, 1)} at B = ${worst.batch}, r0 = ${worst.r0}, lr/gamma = ${worst.lrOverGamma}.\n`;
}

mkdirSync(dirname(prefix), { recursive: true });
writeFileSync(`${prefix}.json`, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(`${prefix}.md`, md);
process.stderr.write(`wrote ${prefix}.json and ${prefix}.md\n`);
