import { VERSION } from "../solution/result.ts";
import { DEFAULT_LAYER, type LayerConfig } from "../model/layer.ts";
import { layerRows, type LayerResultRow } from "../layer/rows.ts";
import type { ResultCache } from "./cache.ts";
import type { LayerMeasurement, Mode } from "./types.ts";

export interface LayerSettings {
  config: LayerConfig;
  lr: number[];
  layers: number;
  singleTrials: number;
  seed: number;
}

/** What a layer measurement runs in this mode: every layer field filled in, the quick overrides applied. */
export function layerSettings(m: LayerMeasurement, mode: Mode): LayerSettings {
  const q = mode === "quick" ? m.quick : {};
  return {
    config: { ...DEFAULT_LAYER, ...m.config, ...q.config },
    lr: q.lr ?? m.lr,
    layers: q.layers ?? m.layers,
    singleTrials: q.singleTrials ?? m.singleTrials,
    seed: m.seed,
  };
}

/** A layer measurement's result, one kind of what `measure` (measure.ts) returns. */
export interface LayerMeasured {
  kind: "layer";
  label: string;
  settings: LayerSettings;
  rows: LayerResultRow[];
}

/** Runs the layer rows (src/layer/rows.ts), or takes them from the cache when these settings ran before. */
export async function measureLayer(m: LayerMeasurement, ctx: { mode: Mode; cache: ResultCache }): Promise<{ value: LayerMeasured; cached: boolean }> {
  const s = layerSettings(m, ctx.mode);
  const key = { version: VERSION, quantity: "layer collapsed fraction vs single unit (src/layer/rows.ts)", ...s };
  const got = await ctx.cache.get("layer", key, async () => layerRows(s.config, s.lr, { seed: s.seed, layers: s.layers, singleTrials: s.singleTrials }));
  return { value: { kind: "layer", label: m.label, settings: s, rows: got.value }, cached: got.cached };
}
