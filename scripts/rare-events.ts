/**
 * The rare-event measurements of docs/rare-events.md, with AMS (the sweep's default, ams:100:10:time)
 * on one worker: P(T) against lr for gamma0 = 0.5, 1, 2 (T = 200) and against tau for T = 200 and
 * T = 800, down to P ~ 1e-10; the work of AMS and brute force to a 10% relative SE (the bench's
 * measurement). Writes the data as JSON; scripts/rare-figures.ts draws the figures from it.
 *
 *   node --import tsx scripts/rare-events.ts [OUT.json]      (about 5 minutes on one core)
 */
import { writeFileSync } from "node:fs";
import { measureRareWork } from "../src/bench/rare-work.ts";
import { resolveSweep } from "../src/ensemble/problem.ts";
import { runSweep } from "../src/ensemble/sweep.ts";

const out = process.argv[2] ?? "figures/rare-events.json";
const SETTING = { beta: 0, batch: 8, collapse: "ratio:2", optimizer: "sgd", estimator: "ams:100:10:time", amsRuns: 16, seed: 1 };
/** lr / gamma0: from P ~ 0.3 down to P ~ 1e-10 at T = 200, B = 8, ratio:2 */
const X = [0.032, 0.036, 0.04, 0.045, 0.05, 0.056, 0.063, 0.071, 0.08, 0.1, 0.125, 0.16];

interface Row { series: string; gamma0: number; steps: number; lr: number; tau: number; p: number; se: number; lo: number; hi: number; workSteps: number; iterations: number; warnings: string[] }
const rows: Row[] = [];

async function scan(series: string, gamma0: number, steps: number, lrs: number[]) {
  const t0 = Date.now();
  const r = await runSweep(resolveSweep({ ...SETTING, gamma: gamma0, steps, lr: lrs }), { workers: 1 });
  for (const c of r.cells) {
    const a = c.ams!;
    rows.push({
      series, gamma0, steps, lr: c.lr, tau: (c.lr * c.lr * steps) / (SETTING.batch * gamma0 * gamma0),
      p: a.p, se: a.se ?? NaN, lo: a.ci95[0], hi: a.ci95[1], workSteps: a.work.steps, iterations: a.iterations.mean, warnings: a.warnings,
    });
  }
  process.stderr.write(`${series}: ${lrs.length} cells in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

for (const g of [0.5, 1, 2]) await scan(`gamma0=${g}, T=200`, g, 200, X.map((x) => Number((x * g).toPrecision(6))));
// T = 800 at lr halved: the same tau = lr^2 T / (B gamma0^2) as the T = 200 line of gamma0 = 1
await scan("gamma0=1, T=800", 1, 800, X.map((x) => x / 2));
// the large-deviation rate against r0 = beta0 / gamma0 and the threshold: cells with tau chosen so
// that P spans ~1e-4 .. 1e-12 (gamma0 = 1, T = 200, lr = sqrt(tau B / T))
const RATES = [
  { r0: 0, c: 1.5, taus: [0.016, 0.02, 0.025, 0.032, 0.04] },
  { r0: 0, c: 2.5, taus: [0.04, 0.05, 0.063, 0.08, 0.1] },
  { r0: 0.5, c: 2, taus: [0.02, 0.025, 0.032, 0.04, 0.05] },
  { r0: -0.5, c: 2, taus: [0.016, 0.02, 0.025, 0.032, 0.04] },
];
const rates: (Row & { r0: number; c: number })[] = [];
for (const { r0, c, taus } of RATES) {
  const t0 = Date.now();
  const lrs = taus.map((tau) => Number(Math.sqrt((tau * SETTING.batch) / 200).toPrecision(6)));
  const r = await runSweep(resolveSweep({ ...SETTING, gamma: 1, beta: r0, steps: 200, collapse: `ratio:${c}`, lr: lrs }), { workers: 1 });
  for (const cell of r.cells) {
    const a = cell.ams!;
    rates.push({
      series: `r0=${r0}, ratio:${c}`, r0, c, gamma0: 1, steps: 200, lr: cell.lr, tau: (cell.lr * cell.lr * 200) / SETTING.batch,
      p: a.p, se: a.se ?? NaN, lo: a.ci95[0], hi: a.ci95[1], workSteps: a.work.steps, iterations: a.iterations.mean, warnings: a.warnings,
    });
  }
  process.stderr.write(`rate r0 = ${r0}, ratio:${c}: ${lrs.length} cells in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
const work = await measureRareWork(false, (l) => process.stderr.write(`${l}\n`));
writeFileSync(out, JSON.stringify({ setting: SETTING, rows, rates, work }, null, 1) + "\n");
process.stderr.write(`wrote ${out}\n`);
