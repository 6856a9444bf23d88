/**
 * Draws the rare-event figures from scripts/rare-events.ts's data into figures/ and prints the
 * numbers docs/rare-events.md quotes (local exponents, the large-deviation rate, the work ratios).
 *
 *   node --import tsx scripts/rare-figures.ts [DATA.json] [OUTDIR]
 */
import { readFileSync } from "node:fs";
import { largeDeviationRate, localExponents } from "../src/analysis/rare-events.ts";
import { LOG_INTERVAL_NOTE, logInterval, rareExponentSpec, rareProbabilitySpec, rareRateSpec, rareWorkSpec, type ExponentRow, type RareRow, type RateRow, type WorkRow } from "../src/plot/rare-events.ts";
import { tQuantile975 } from "../src/digits/cells.ts";
import { SYMBOL } from "../src/plot/theme.ts";
import { writeFigure } from "../src/render/figure-files.ts";

interface Row { series: string; gamma0: number; steps: number; lr: number; tau: number; p: number; se: number; lo: number; hi: number }
const data = JSON.parse(readFileSync(process.argv[2] ?? "figures/rare-events.json", "utf8"));
const dir = process.argv[3] ?? "figures";
const rows: Row[] = data.rows;
const seriesOf = [...new Set(rows.map((r) => r.series))];
const T200 = rows.filter((r) => r.steps === 200);
const runs: number = data.setting.amsRuns;
const setting = `B = 8, SGD, β₀ = 0, ratio:2, σ = 1; AMS ams:100:10:time, ${runs} runs per cell`;
// the JSON's lo/hi are the runs' t interval p ± t·se; the log-axis figures draw it on log P instead
const t = tQuantile975(runs - 1);
const withLog = (r: RareRow) => ({ ...r, ...logInterval(r) });

const pLr = T200.map((r) => withLog({ series: `γ₀ = ${r.gamma0}`, x: r.lr, p: r.p, lo: r.lo, hi: r.hi, se: r.se, t }));
await writeFigure(dir, { name: "rare-p-vs-lr", spec: rareProbabilitySpec(pLr, SYMBOL.lr, "P(collapse by T = 200) down to 1e-12, by AMS", [setting, LOG_INTERVAL_NOTE]), rows: pLr });

const pTau = rows.map((r) => withLog({ series: r.series.replace("gamma0", "γ₀"), x: r.tau, p: r.p, lo: r.lo, hi: r.hi, se: r.se, t }));
await writeFigure(dir, { name: "rare-p-vs-tau", spec: rareProbabilitySpec(pTau, SYMBOL.tau, "P against τ: γ₀ and T fall onto one curve", [setting, LOG_INTERVAL_NOTE]), rows: pTau });

const exps: ExponentRow[] = [];
for (const s of seriesOf.filter((s) => s.endsWith("T=200"))) {
  const g = rows.find((r) => r.series === s)!.gamma0;
  for (const e of localExponents(rows.filter((r) => r.series === s).map((r) => ({ x: r.lr / g, p: r.p, se: r.se })))) {
    exps.push({ series: `γ₀ = ${g}`, x: e.x, slope: e.slope, lo: e.ci95[0], hi: e.ci95[1] });
  }
}
await writeFigure(dir, { name: "rare-exponent", spec: rareExponentSpec(exps, "η / γ₀ (midpoint of neighbouring cells)", "Local exponent d log P / d log η: no power law", [`${setting}; T = 200`, "bars: slope ± 1.96 SE, SE from the cells' SE of log P (delta method)"]), rows: exps });

const TAU_MAX = 0.0625;
const all = rows.map((r) => ({ x: r.tau, p: r.p, se: r.se }));
const fit = largeDeviationRate(all, TAU_MAX)!;
const perSeries = seriesOf.map((s) => ({ s, f: largeDeviationRate(rows.filter((r) => r.series === s).map((r) => ({ x: r.tau, p: r.p, se: r.se })), TAU_MAX)! }));
const rate: RateRow[] = rows.map((r) => ({
  // −ln P ± t·se/p: the same interval on log P as the log-axis figures draw
  series: r.series.replace("gamma0", "γ₀"), invTau: 1 / r.tau, minusLogP: -Math.log(r.p), lo: -Math.log(r.p) - (t * r.se) / r.p, hi: -Math.log(r.p) + (t * r.se) / r.p,
}));
const u = rows.map((r) => 1 / r.tau);
await writeFigure(dir, {
  name: "rare-large-deviation",
  spec: rareRateSpec(rate, { rate: fit.rate, intercept: fit.intercept, from: Math.min(...u), to: Math.max(...u), label: `fit τ ≤ ${TAU_MAX}: I = ${fit.rate.toFixed(2)} ± ${(fit.ci95[1] - fit.rate).toFixed(2)}` }, "Large deviations: −ln P against 1/τ", [setting, "bars: 95% interval −ln P ± t·SE/P (the runs' t interval taken on log P, delta method)"]),
  rows: rate,
});

const work: WorkRow[] = [];
const pts = data.work.points as { target: string; score: string; p: number; workBrute: number; workAms: number; extrapolated: boolean }[];
for (const pt of pts.filter((q) => q.score === "time")) work.push({ method: "brute force", p: pt.p, work: pt.workBrute, extrapolated: pt.extrapolated });
for (const score of ["time", "extreme"]) for (const pt of pts.filter((q) => q.score === score)) work.push({ method: `AMS, ${score} score`, p: pt.p, work: pt.workAms, extrapolated: false });
await writeFigure(dir, { name: "rare-work-vs-p", spec: rareWorkSpec(work, "Work to a 10% relative SE: AMS against brute force", [data.work.setting, `${data.work.estimator}, 32 runs`]), rows: work });

// the numbers the docs quote
const f = (x: number, d = 2) => x.toFixed(d);
console.log(`large-deviation rate, all series, tau <= ${TAU_MAX}: I = ${f(fit.rate, 3)} [${f(fit.ci95[0], 3)}, ${f(fit.ci95[1], 3)}], n = ${fit.n}, chi2/dof = ${f(fit.chi2PerDof)}`);
for (const { s, f: g } of perSeries) console.log(`  ${s}: I = ${f(g.rate, 3)} [${f(g.ci95[0], 3)}, ${f(g.ci95[1], 3)}], n = ${g.n}, chi2/dof = ${f(g.chi2PerDof)}`);
for (const e of exps) console.log(`exponent ${e.series} at lr/gamma0 ${e.x.toPrecision(3)}: ${f(e.slope, 1)} [${f(e.lo, 1)}, ${f(e.hi, 1)}]`);
for (const pt of pts) console.log(`work P ~ ${pt.target} ${pt.score}: p ${pt.p.toExponential(2)}, brute ${pt.workBrute.toExponential(2)}${pt.extrapolated ? " (extrapolated)" : ""}, AMS ${pt.workAms.toExponential(2)}, ratio ${f(pt.workBrute / pt.workAms, 0)}`);
const rates: (Row & { r0: number; c: number })[] = data.rates ?? [];
for (const s of [...new Set(rates.map((r) => r.series))]) {
  const line = rates.filter((r) => r.series === s);
  const g = largeDeviationRate(line.map((r) => ({ x: r.tau, p: r.p, se: r.se })), Infinity);
  const ps = line.map((r) => r.p).filter((p) => p > 0);
  const warned = line.filter((r) => (r as unknown as { warnings: string[] }).warnings.length > 0).length;
  console.log(`rate ${s}: P ${Math.min(...ps).toExponential(1)} .. ${Math.max(...ps).toExponential(1)}, I = ${g ? `${f(g.rate, 3)} [${f(g.ci95[0], 3)}, ${f(g.ci95[1], 3)}], n = ${g.n}, chi2/dof = ${f(g.chi2PerDof)}` : "no fit"}; ${warned} cells warned`);
}
const small = [...rows, ...rates].filter((r) => r.p > 0).sort((a, b) => a.p - b.p)[0];
console.log(`smallest P: ${small.p.toExponential(3)} [${small.lo.toExponential(3)}, ${small.hi.toExponential(3)}] at ${small.series}, lr ${small.lr}`);
