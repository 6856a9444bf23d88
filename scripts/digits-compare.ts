/**
 * The digits MLP against the single unit: reads the measured table that reference/pytorch/digits_mlp.py
 * wrote, runs the single-unit engine at every cell's optimiser, lr, weight decay, B, T and measured
 * sigma_eff (src/digits/predict.ts), and writes the comparison table and its figure. No Python needed.
 *
 *   npx tsx scripts/digits-compare.ts [--runs FILE] [--out DIR] [--figures DIR] [--trials N] [--workers K]
 *
 * Defaults: --runs reference/pytorch/results/digits-runs.json, --out reference/pytorch/results,
 * --figures reference/pytorch/figures, --trials 2000 (single sigma; each mixture group gets half).
 * The predictions are seeded by cell, so the same table gives the same bytes. --reuse-predictions takes
 * them from the existing OUT/digits-comparison.json instead (to redraw the figure in seconds).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "../src/cli/args.ts";
import { writeFileAtomic } from "../src/solution/files.ts";
import { integerFlag } from "../src/cli/flag-values.ts";
import { digitsCells, type CellLayer, type DigitsCell } from "../src/digits/cells.ts";
import { predictLayer, type LayerPrediction } from "../src/digits/predict.ts";
import { parseDigitsTable } from "../src/digits/runs.ts";
import { stringifyResults } from "../src/solution/json.ts";
import { measuredVsPredictedSpec, type MeasuredPredictedPoint } from "../src/plot/measured-vs-predicted.ts";
import { writeFigure } from "../src/render/figure-files.ts";
import { rowsToCsv } from "../src/render/csv.ts";
import { wilsonInterval } from "../src/stats/binomial.ts";
import { effectiveWilson } from "../src/plot/probability-rows.ts";

const { flags } = parseArgs(process.argv.slice(2), [
  ...["runs", "out", "figures", "trials", "workers"].map((name) => ({ name, value: true })),
  { name: "reuse-predictions", value: false },
]);
const runsFile = String(flags.get("runs") ?? "reference/pytorch/results/digits-runs.json");
const outDir = String(flags.get("out") ?? "reference/pytorch/results");
const figDir = String(flags.get("figures") ?? "reference/pytorch/figures");
const trials = integerFlag(flags, "trials", 2000, 10, 1e7);
const workers = integerFlag(flags, "workers", 2, 1, 256);

const table = parseDigitsTable(readFileSync(runsFile, "utf8"), runsFile);
const cells = digitsCells(table);

interface Row {
  cell: DigitsCell;
  layer: CellLayer;
  prediction: LayerPrediction;
}

// predictions of an earlier run of this script, by cell and layer, when asked to reuse them
const cached = flags.has("reuse-predictions")
  ? new Map<string, LayerPrediction>(
      (JSON.parse(readFileSync(join(outDir, "digits-comparison.json"), "utf8")).rows as { optimizer: string; lr: number; weightDecay: number; predicted: LayerPrediction }[])
        .map((r) => [`${r.optimizer}|${r.lr}|${r.weightDecay}|${r.predicted.layer}`, r.predicted]),
    )
  : null;
const previousCommand = cached ? (JSON.parse(readFileSync(join(outDir, "digits-comparison.json"), "utf8")).command as string) : null;
async function prediction(cell: DigitsCell, layer: CellLayer): Promise<LayerPrediction> {
  if (!cached) return predictLayer(cell, layer, { singleTrials: trials, groupTrials: Math.ceil(trials / 2), workers });
  const p = cached.get(`${cell.optimizer}|${cell.lr}|${cell.weightDecay}|${layer.layer}`);
  if (!p) throw new Error(`--reuse-predictions: no prediction for ${cell.optimizer} lr ${cell.lr} wd ${cell.weightDecay} layer ${layer.layer}`);
  return p;
}

const rows: Row[] = [];
const t0 = Date.now();
for (const [k, cell] of cells.entries()) {
  const perLayer: Row[] = [];
  for (const layer of cell.layers.filter((l) => l.layer !== "all")) {
    perLayer.push({ cell, layer, prediction: await prediction(cell, layer) });
  }
  // the network: the unit-weighted mean of the layers' predictions (a mixture over layers)
  const all = cell.layers.find((l) => l.layer === "all")!;
  const w = perLayer.map((r) => r.layer.units / all.units);
  const combine = (get: (p: LayerPrediction) => { p: number; se: number; trials: number }) => ({
    p: perLayer.reduce((a, r, i) => a + w[i] * get(r.prediction).p, 0),
    se: Math.sqrt(perLayer.reduce((a, r, i) => a + (w[i] * get(r.prediction).se) ** 2, 0)),
    trials: perLayer.reduce((a, r) => a + get(r.prediction).trials, 0),
  });
  rows.push(...perLayer, {
    cell,
    layer: all,
    prediction: { layer: "all", sigma: all.sigmaEff, single: { ...combine((p) => p.single), early: combine((p) => p.single.early) }, mixture: { ...combine((p) => p.mixture), groups: [] } },
  });
  process.stderr.write(`[${k + 1}/${cells.length}] ${cell.optimizer} lr=${cell.lr} wd=${cell.weightDecay}: measured ${all.everDead.mean.toFixed(3)}, single unit ${rows.at(-1)!.prediction.mixture.p.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
}

const flat = rows.map(({ cell, layer, prediction }) => ({
  optimizer: cell.optimizer,
  lr: cell.lr,
  weightDecay: cell.weightDecay,
  layer: layer.layer,
  units: layer.units,
  seeds: cell.seeds.length,
  diverged: cell.diverged,
  trainAcc: round(cell.trainAcc.mean),
  testAcc: round(cell.testAcc.mean),
  everDead: round(layer.everDead.mean),
  everDead_se: round(layer.everDead.se),
  dead: round(layer.dead.mean),
  neverFireEval: round(layer.neverFireEval.mean),
  neverFireTrain: round(layer.neverFireTrain.mean),
  earlyShare: layer.early.byT ? round(layer.early.byEarly / layer.early.byT) : null,
  sigmaEff: round(layer.sigmaEff),
  meanShare: round(layer.meanShare),
  single_p: round(prediction.single.p),
  single_se: round(prediction.single.se),
  single_earlyShare: prediction.single.p > 0 ? round(prediction.single.early.p / prediction.single.p) : null,
  mixture_p: round(prediction.mixture.p),
  mixture_se: round(prediction.mixture.se),
}));

const meta = {
  tool: "bn-collapse scripts/digits-compare.ts",
  command: previousCommand ?? `npx tsx scripts/digits-compare.ts --runs ${runsFile} --trials ${trials}`,
  measuredBy: table.command,
  batch: table.batch,
  steps: table.steps,
  hidden: table.hidden,
  prediction: "sweep at gamma0 = 1, beta0 = 0, the cell's optimiser, lr, weight decay, B and T, noise gauss:sigma, collapse dead (src/digits/predict.ts)",
};
writeFileAtomic(join(outDir, "digits-comparison.json"), stringifyResults({ ...meta, rows: rows.map(({ cell, layer, prediction }) => ({ optimizer: cell.optimizer, lr: cell.lr, weightDecay: cell.weightDecay, diverged: cell.diverged, trainAcc: cell.trainAcc, testAcc: cell.testAcc, measured: layer, predicted: prediction })) }));
writeFileAtomic(join(outDir, "digits-comparison.csv"), rowsToCsv(flat));

const PANEL: Record<string, string> = { sgd: "SGD", "momentum:0.9": "SGD, momentum 0.9", adam: "Adam" };
const wdLabel = (wd: number) => (wd === 0 ? "none" : String(wd));
const seedRange = (cs: DigitsCell[]) => {
  const n = cs.map((c) => c.seeds.length);
  return Math.min(...n) === Math.max(...n) ? `${n[0]}` : `${Math.min(...n)}-${Math.max(...n)}`;
};
const points: MeasuredPredictedPoint[] = rows
  .filter((r) => r.layer.layer === "all")
  .flatMap(({ cell, layer, prediction }) => {
    const z = 1.959963984540054;
    const pr = prediction.mixture;
    // where nothing collapsed the seed spread is 0: the bound is then Wilson's for 0 of every unit of every seed
    // (for 0 events the units' correlation does not matter); likewise for the prediction over its trajectories
    const measuredHi = layer.everDead.mean > 0 ? layer.everDead.hi : wilsonInterval(0, layer.units * cell.seeds.length)[1];
    // drawn on a log axis, so asymmetric: Wilson at the effective n of the seed spread (measured, from the
    // t interval's half-width) and of the prediction's SE, never the symmetric mean ± z SE that runs to 0
    const predicted = pr.p > 0 ? effectiveWilson(pr.p, pr.se, pr.trials) : { lo: 0, hi: wilsonInterval(0, pr.trials)[1] };
    const m = layer.everDead;
    const measured = m.mean > 0 ? effectiveWilson(m.mean, (m.hi - m.lo) / (2 * z), layer.units * cell.seeds.length) : { lo: 0, hi: measuredHi };
    return [
      { panel: PANEL[cell.optimizer] ?? cell.optimizer, lr: cell.lr, group: wdLabel(cell.weightDecay), kind: "measured" as const, p: m.mean, lo: measured.lo, hi: measured.hi, flagged: cell.diverged > 0 },
      { panel: PANEL[cell.optimizer] ?? cell.optimizer, lr: cell.lr, group: wdLabel(cell.weightDecay), kind: "predicted" as const, p: pr.p, lo: predicted.lo, hi: predicted.hi },
    ];
  });
const spec = measuredVsPredictedSpec(points, {
  title: "Digits MLP (3 × 128 BN+ReLU units): units that entered the dead cone by T, against the single unit",
  subtitle: `B = ${table.batch}, T = ${table.steps} updates, ${seedRange(cells)} seeds per point (95%: Wilson at the effective n of the seed spread); single unit at each layer's measured spread of σ_eff`,
  yTitle: "fraction of units with β/|γ| ≤ −√(B−1) by T",
  groupTitle: "weight decay (coupled L2)",
  measuredLabel: "measured (torch)",
  predictedLabel: "single unit at σ_eff",
  flaggedLabel: "some seeds diverged (training accuracy < 0.5)",
});
await writeFigure(figDir, { name: "digits-vs-single-unit", spec, rows: points });
process.stderr.write(`wrote ${join(outDir, "digits-comparison.json")}, .csv and ${join(figDir, "digits-vs-single-unit")}.{png,svg,vl.json,csv}\n`);

function round(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(5)) : null;
}
