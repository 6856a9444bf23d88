import { isFiniteLayerRow, type LayerResultRow, type LayerRow } from "../layer/rows.ts";
import { comparisonSpec } from "../plot/comparison.ts";
import type { VariantPoint } from "../plot/data.ts";
import type { Built } from "./built.ts";
import { effectiveWilson } from "../plot/probability-rows.ts";
import { fmt } from "./caption.ts";
import type { LayerSettings } from "./measure-layer.ts";
import type { Experiment } from "./types.ts";

/**
 * The layer's collapsed fraction against lr (95%: cluster SE over layers) next to the single-unit
 * engine's P at each lr's measured per-unit noise sigma_eff (95%: Wilson), and the gap in units of
 * the combined SE.
 */
/**
 * The layer's interval on the plot's log axis: Wilson at the effective number of independent units
 * n_eff = p(1 − p)/SE² (units of one layer are correlated, so n_eff < layers × units; the cluster SE
 * carries that), capped at layers × units. Asymmetric like the single unit's, so its lower end stays
 * above 0; the symmetric p ± 1.96 SE would run to 0 on a log axis.
 */
function layerInterval(r: LayerRow): { lo: number; hi: number; nEff: number } {
  return effectiveWilson(r.fraction, r.se, r.layers * r.units);
}

export function buildLayerVsUnit(exp: Experiment, s: LayerSettings, all: readonly LayerResultRow[]): Built {
  const rows = all.filter(isFiniteLayerRow); // an lr where every layer diverged has nothing to compare
  const c = s.config;
  const layerName = `layer (K = ${c.units} units)`;
  const unitName = "single unit at the measured σ_eff";
  const points: VariantPoint[] = rows.flatMap((r) => [
    { variant: layerName, lr: r.lr, p: r.fraction, lo: layerInterval(r).lo, hi: layerInterval(r).hi, trials: r.layers * r.units, collapsed: r.collapsed },
    { variant: unitName, lr: r.lr, p: r.single.p, lo: r.single.ci95[0], hi: r.single.ci95[1], trials: r.single.trials, collapsed: r.single.collapsed },
  ]);
  const spec = comparisonSpec(points, {
    title: exp.title,
    subtitle: [
      `T = ${c.steps} updates · B = ${c.batch} · collapse: dead cone r ≤ −√(B−1) · ${s.layers} layers of ${c.units} units, ${s.singleTrials} single-unit runs per η`,
      "bands: Wilson 95%, the layer's at its effective n from the cluster SE over layers",
    ],
    legendTitle: null,
  });
  const csvRows = rows.map((r) => ({
    lr: r.lr, layer_fraction: r.fraction, layer_se: r.se, layer_lo: layerInterval(r).lo, layer_hi: layerInterval(r).hi, layer_n_eff: layerInterval(r).nEff, sigma_eff: r.sigmaEff,
    single_p: r.single.p, single_se: r.single.se, single_lo: r.single.ci95[0], single_hi: r.single.ci95[1],
  }));
  const each = rows.map((r) => {
    const z = (r.fraction - r.single.p) / Math.hypot(r.se, r.single.se);
    return `η = ${r.lr}: layer ${fmt(r.fraction)} ± ${fmt(r.se)} (σ_eff = ${fmt(r.sigmaEff)}) vs single unit ${fmt(r.single.p)} ± ${fmt(r.single.se)} (${Number.isFinite(z) ? `${z >= 0 ? "+" : ""}${fmt(z)} SE` : "both 0"})`;
  });
  const grows = rows.every((r, i) => i === 0 || r.fraction >= rows[i - 1].fraction);
  const below = (r: LayerRow) => r.single.p - r.fraction > 3 * Math.hypot(r.se, r.single.se);
  const within = rows.filter((r) => Math.abs(r.fraction - r.single.p) <= 3 * Math.hypot(r.se, r.single.se)).map((r) => r.lr);
  return {
    figure: { name: exp.id, spec, rows: csvRows },
    plotted: "The collapsed fraction of a BN layer's units at T against η, next to a lone unit's collapse probability at the noise the layer's units measured (σ_eff), with 95% bands.",
    headline: [
      `The layer's fraction ${grows ? "grows with η, as the single unit's P" : "does not grow monotonically with η"}; they agree within 3 SE at η ∈ {${within.join(", ")}}${within.length === rows.length ? " (every η)" : ` of {${rows.map((r) => r.lr).join(", ")}}`}.`,
      ...(below(rows[0]) ? ["At the smallest η the layer collapses less than the single unit predicts."] : []),
    ],
    simulated: [
      `${s.layers} layers per η of K = ${c.units} BN + ReLU units, shared input x ~ N(0, I_${c.inputDim}), learned readout, teacher (γ* = ${c.teacherGamma}, β* = ${c.teacherBeta}) with label noise ${c.labelNoise}, η ∈ {${s.lr.join(", ")}}, γ₀ = ${c.gamma0}, β₀ = ${c.beta0}, B = ${c.batch}, T = ${c.steps} updates, plain SGD, criterion dead (β/|γ| ≤ −√(B−1)), seed ${s.seed}, the same w, teachers and batches at every η`,
      `single unit: ${s.singleTrials} trajectories per η, noise gauss:σ_eff (σ_eff = RMS of a_i·res_b over alive unit-updates of the layer), same B, η, γ₀, β₀, T and criterion`,
    ],
    measured: [
      `Collapsed fraction at T (± SE): ${each.join("; ")}.`,
      `The layer's fraction ${grows ? "grows with η, as the single unit's P" : "does not grow monotonically with η"}; they agree within 3 SE at η ∈ {${within.join(", ")}}${within.length === rows.length ? " (every η)" : ""}.`,
      ...(below(rows[0]) ? ["At the smallest η the layer collapses less than predicted: the teacher signal through the learned readout holds units away from the dead cone, which pure noise of the same size lacks (docs/layer.md)."] : []),
    ],
  };
}
