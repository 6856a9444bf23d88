/**
 * Finds the batch-norm layers of a checkpoint by their tensors. A layer is a name prefix X with a
 * scale X.weight and a shift X.bias (X.gamma / X.beta in checkpoints converted from other
 * frameworks), both vectors of one length C, and
 * - running statistics X.running_mean (PyTorch; X.moving_mean in Keras conversions) of length C:
 *   the BN signal, whatever X is called (torchvision's `norm1`, a `downsample.1`, ...);
 * - or, without running statistics, a last name segment that says batch norm (`bn`, `bn1`,
 *   `batch_norm`, `BatchNorm2d`): a checkpoint saved without buffers.
 * LayerNorm and GroupNorm have scale and shift but no running statistics and are not BN: the
 * dead cone argument needs BN's standardisation over the batch, so they are left out.
 */
import type { SafetensorsFile, Tensor } from "./safetensors.ts";

export interface BnLayer {
  name: string;
  channels: number;
  dtype: string;
  gamma: Float64Array;
  beta: Float64Array;
  runningMean: Float64Array | null;
  runningVar: Float64Array | null;
  numBatchesTracked: number | null;
  identifiedBy: "running stats" | "name";
}

export interface SkippedLayer {
  name: string;
  reason: string;
}

const SCALE = ["weight", "gamma"];
const SHIFT = ["bias", "beta"];
const MEAN = ["running_mean", "moving_mean"];
const VAR = ["running_var", "moving_variance"];
const BN_NAME = /(^|[^a-z])bn|batch_?norm/i;

/** The BN layers in natural name order (layer2 before layer10), and near-misses with the reason. */
export function findBnLayers(file: SafetensorsFile): { layers: BnLayer[]; skipped: SkippedLayer[] } {
  const byPrefix = new Map<string, Map<string, Tensor>>();
  for (const t of file.tensors.values()) {
    const dot = t.name.lastIndexOf(".");
    const prefix = dot < 0 ? "" : t.name.slice(0, dot);
    const leaf = t.name.slice(dot + 1);
    if (!byPrefix.has(prefix)) byPrefix.set(prefix, new Map());
    byPrefix.get(prefix)!.set(leaf, t);
  }
  const layers: BnLayer[] = [];
  const skipped: SkippedLayer[] = [];
  for (const [prefix, parts] of byPrefix) {
    const pick = (names: string[]) => names.map((n) => parts.get(n)).find((t) => t !== undefined);
    const scale = pick(SCALE);
    const shift = pick(SHIFT);
    const mean = pick(MEAN);
    const variance = pick(VAR);
    const lastSegment = prefix.slice(prefix.lastIndexOf(".") + 1);
    const named = BN_NAME.test(lastSegment);
    const label = prefix || "(top level)";
    if (!scale || !shift) {
      if (mean) skipped.push({ name: label, reason: "running statistics without scale and shift (BN with affine=False): no (gamma, beta) to test" });
      continue;
    }
    if (!mean && !named) continue; // a Linear, a LayerNorm, an embedding, ...
    const isVector = (t: Tensor) => t.shape.length === 1;
    if (!isVector(scale) || !isVector(shift) || scale.shape[0] !== shift.shape[0]) {
      if (mean || isVector(scale)) skipped.push({ name: label, reason: `scale ${fmtShape(scale)} and shift ${fmtShape(shift)} are not vectors of one length` });
      continue;
    }
    const channels = scale.shape[0];
    if (mean && (!isVector(mean) || mean.shape[0] !== channels)) {
      skipped.push({ name: label, reason: `running mean ${fmtShape(mean)} does not match ${channels} channels` });
      continue;
    }
    if (!scale.values || !shift.values) {
      skipped.push({ name: label, reason: `dtype ${scale.values ? shift.dtype : scale.dtype} is not decoded (F64, F32, F16, BF16 are)` });
      continue;
    }
    const matching = (t: Tensor | undefined) => (t && isVector(t) && t.shape[0] === channels && t.values ? t.values : null);
    const tracked = parts.get("num_batches_tracked");
    layers.push({
      name: label,
      channels,
      dtype: scale.dtype === shift.dtype ? scale.dtype : `${scale.dtype}/${shift.dtype}`,
      gamma: scale.values,
      beta: shift.values,
      runningMean: matching(mean),
      runningVar: matching(variance),
      numBatchesTracked: tracked?.values && tracked.values.length === 1 ? tracked.values[0] : null,
      identifiedBy: mean ? "running stats" : "name",
    });
  }
  layers.sort((a, b) => NATURAL.compare(a.name, b.name));
  return { layers, skipped };
}

const NATURAL = new Intl.Collator("en", { numeric: true });

const fmtShape = (t: Tensor) => `[${t.shape.join(", ")}]`;
