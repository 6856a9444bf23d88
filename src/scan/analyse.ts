/**
 * Which channels of each BN layer are collapsed, by the criteria of `sweep --collapse` (docs/model.md
 * section 4: the same parser and the same thresholds), on r = (beta + shift) / |gamma|. `shift` is
 * psBN's constant alpha (y = BN(x) + alpha, the FixMatch PSBatchNorm2d form, alpha = 0.1 there),
 * whose dead region is beta + alpha <= -|gamma| sqrt(B - 1); 0 for plain BN.
 */
import { criterionTest, formatCriterion, meetsCriterion, ON_RATIO, ratioOf } from "../model/criteria.ts";
import type { Criterion } from "../model/problem.ts";
import type { BnLayer } from "./bn-layers.ts";

export interface ScanOptions {
  /** the batch size of the dead cone r <= -sqrt(B - 1) */
  batch: number;
  criteria: Criterion[];
  /** psBN's constant shift alpha (0: plain BN) */
  shift: number;
  /** BN's epsilon: a running variance at or below it means a (near) constant input */
  bnEps: number;
}

export interface CriterionCount {
  criterion: string;
  /** the test as a formula with its threshold, e.g. "r <= -5.568" */
  test: string;
  count: number;
  fraction: number;
  channels: number[];
}

export interface LayerScan {
  name: string;
  channels: number;
  dtype: string;
  identifiedBy: BnLayer["identifiedBy"];
  numBatchesTracked: number | null;
  collapsed: CriterionCount[];
  /** channels whose gamma or beta is NaN or infinite (counted by no criterion) */
  nonFinite: number;
  /** channels with running_var <= eps; null without running statistics */
  constantInput: { count: number; channels: number[] } | null;
  /** quantiles of r over the channels (null where every r is infinite or NaN) */
  r: { min: number; q25: number; median: number; q75: number; max: number } | null;
  /** r of every channel, for the figure (+-Infinity at gamma = 0, NaN where non-finite) */
  ratios: Float64Array;
}

export function effectiveRatios(layer: BnLayer, shift: number): Float64Array {
  const r = new Float64Array(layer.channels);
  for (let c = 0; c < layer.channels; c++) r[c] = ratioOf(layer.gamma[c], layer.beta[c] + shift);
  return r;
}

export function criterionFormula(criterion: Criterion, batch: number): string {
  const { on, threshold } = criterionTest(criterion, batch);
  const t = round(threshold);
  if (on !== ON_RATIO) return `|gamma| <= ${t}`;
  if (criterion.kind === "dead") return `r <= -sqrt(B-1) = ${t}`;
  if (criterion.kind === "sparsity") return `r <= ${t} (Phi(r) <= ${round(1 - criterion.s)})`;
  return `r <= ${t}`;
}

export function scanLayer(layer: BnLayer, options: ScanOptions): LayerScan {
  const ratios = effectiveRatios(layer, options.shift);
  const collapsed = options.criteria.map((criterion) => {
    const { on, threshold } = criterionTest(criterion, options.batch);
    const channels: number[] = [];
    for (let c = 0; c < layer.channels; c++) {
      if (meetsCriterion(on, threshold, layer.gamma[c], layer.beta[c] + options.shift)) channels.push(c);
    }
    return { criterion: formatCriterion(criterion), test: criterionFormula(criterion, options.batch), count: channels.length, fraction: channels.length / layer.channels, channels };
  });
  let nonFinite = 0;
  for (let c = 0; c < layer.channels; c++) if (!Number.isFinite(layer.gamma[c]) || !Number.isFinite(layer.beta[c])) nonFinite++;
  let constantInput: LayerScan["constantInput"] = null;
  if (layer.runningVar) {
    const channels: number[] = [];
    for (let c = 0; c < layer.channels; c++) if (layer.runningVar[c] <= options.bnEps) channels.push(c);
    constantInput = { count: channels.length, channels };
  }
  return {
    name: layer.name,
    channels: layer.channels,
    dtype: layer.dtype,
    identifiedBy: layer.identifiedBy,
    numBatchesTracked: layer.numBatchesTracked,
    collapsed,
    nonFinite,
    constantInput,
    r: quantiles(ratios),
    ratios,
  };
}

function quantiles(values: Float64Array): LayerScan["r"] {
  const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const q = (p: number) => {
    const x = p * (finite.length - 1);
    const lo = Math.floor(x);
    return finite[lo] + (x - lo) * ((finite[Math.min(lo + 1, finite.length - 1)] ?? finite[lo]) - finite[lo]);
  };
  return { min: finite[0], q25: q(0.25), median: q(0.5), q75: q(0.75), max: finite[finite.length - 1] };
}

const round = (v: number) => Number(v.toPrecision(4));
