/**
 * The layer against the single unit along lr (docs/layer.md): for each lr, the collapsed fraction of
 * `layers` simulated layers at T, its 95% interval, the measured per-unit noise sigma_eff, and the
 * single-unit engine's collapse probability at that noise. Used by `bn-collapse layer` and the
 * reproduce figure `layer-vs-unit`.
 */
import { Z95 } from "../stats/special.ts";
import { defineLayer, type LayerConfig } from "../model/layer.ts";
import { simulateLayer } from "./layer.ts";
import { singleUnitPrediction, summariseLayer } from "./summary.ts";

export interface LayerRow {
  lr: number;
  units: number;
  layers: number;
  nonFinite: number;
  collapsed: number;
  /** collapsed units / units at T */
  fraction: number;
  /** cluster SE (spread of the per-layer fractions: units of one layer are not independent) */
  se: number;
  /** fraction +- 1.96 cluster SE, clamped to [0, 1] (the Wilson interval over units where the SE is 0) */
  ci95: [number, number];
  sigmaEff: number;
  single: { trials: number; collapsed: number; p: number; se: number; ci95: [number, number] };
  /** the collapsed fraction every `every` updates (the last one is T) */
  overTime: { step: number; fraction: number }[];
}

/**
 * An lr at which every simulated layer went non-finite: no fraction, no sigma_eff and so no
 * single-unit prediction (null, as sweep reports p for a cell without a finite run).
 */
export interface DivergedLayerRow {
  lr: number;
  units: number;
  layers: number;
  nonFinite: number;
  collapsed: 0;
  fraction: null;
  se: null;
  ci95: [0, 1];
  sigmaEff: null;
  single: null;
  overTime: [];
}

export type LayerResultRow = LayerRow | DivergedLayerRow;

export const isFiniteLayerRow = (r: LayerResultRow): r is LayerRow => r.single !== null;

export interface LayerRowsOptions {
  seed: string | number;
  /** layers per lr */
  layers: number;
  /** single-unit trajectories per lr */
  singleTrials: number;
}

export function layerRows(base: Partial<LayerConfig>, lrs: readonly number[], opts: LayerRowsOptions): LayerResultRow[] {
  return lrs.map((lr): LayerResultRow => {
    const cfg = defineLayer({ ...base, lr });
    const o = simulateLayer(cfg, { seed: opts.seed, trials: opts.layers });
    const s = summariseLayer(o);
    if (s.nonFinite === s.layers || !Number.isFinite(s.sigmaEff)) {
      return { lr, units: s.units, layers: opts.layers, nonFinite: s.nonFinite, collapsed: 0, fraction: null, se: null, ci95: [0, 1], sigmaEff: null, single: null, overTime: [] };
    }
    const su = singleUnitPrediction(o, s.sigmaEff, { seed: opts.seed, trials: opts.singleTrials });
    const f = s.final;
    const n = s.layers * s.units;
    const ci95: [number, number] =
      Number.isFinite(f.clusterSe) && f.clusterSe > 0
        ? [Math.max(0, f.fraction - Z95 * f.clusterSe), Math.min(1, f.fraction + Z95 * f.clusterSe)]
        : f.wilson95;
    return {
      lr,
      units: s.units,
      layers: s.layers,
      nonFinite: s.nonFinite,
      collapsed: Math.round(f.fraction * n),
      fraction: f.fraction,
      se: f.clusterSe,
      ci95,
      sigmaEff: s.sigmaEff,
      single: { trials: su.trials, collapsed: su.collapsed, p: su.p, se: su.se, ci95: su.wilson95 },
      overTime: s.overTime.map((p) => ({ step: p.step, fraction: p.fraction })),
    };
  });
}

const CSV_COLUMNS = [
  "lr", "units", "layers", "nonFinite", "collapsed", "fraction", "se", "ci95_lo", "ci95_hi",
  "sigma_eff", "single_trials", "single_collapsed", "single_p", "single_se", "single_ci95_lo", "single_ci95_hi",
] as const;

/** One line per lr (over-time fractions are in the JSON only). */
export function layerRowsCsv(rows: readonly LayerResultRow[]): string {
  const cell = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "" : String(v));
  const lines = rows.map((r) =>
    [r.lr, r.units, r.layers, r.nonFinite, r.collapsed, r.fraction, r.se, r.ci95[0], r.ci95[1], r.sigmaEff,
      r.single?.trials, r.single?.collapsed, r.single?.p, r.single?.se, r.single?.ci95[0], r.single?.ci95[1]].map(cell).join(","),
  );
  return [CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
