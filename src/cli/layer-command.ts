import { checkStdoutOpen, writeStdout } from "../solution/output.ts";
import { parseList, parseNumber } from "../config/lists.ts";
import { VERSION } from "../solution/result.ts";
import { stringifyResults } from "../solution/json.ts";
import { DEFAULT_LAYER, type LayerConfig } from "../model/layer.ts";
import { layerRows, layerRowsCsv } from "../layer/rows.ts";
import { ConfigError } from "../model/errors.ts";
import { parseArgs } from "./args.ts";
import { choiceFlag, integerFlag } from "./flag-values.ts";
import { checkOutPath, writeOutput } from "../solution/files.ts";

export const LAYER_HELP = `bn-collapse layer: a BN layer of K units against the single-unit prediction (docs/layer.md).

K BN + ReLU units share one input batch (fixed random features w_i in R^d), feed a learned linear readout,
and are trained with plain SGD on a teacher layer of the same shape plus label noise. For each lr: the
collapsed fraction of the units at T (dead: beta/|gamma| <= -sqrt(B-1)) over independent layers, its 95%
interval from the cluster SE (units of one layer share the residual), the measured per-unit upstream
noise sigma_eff, and the single-unit engine's collapse probability at noise gauss:sigma_eff (same B, lr, T).

Usage: bn-collapse layer [flags]

  --lr LIST              learning rates (a,b,c | a:b:n | a:b:nlog)                     [0.05,0.1,0.2,0.4]
  --units K              units per layer                                               [${DEFAULT_LAYER.units}]
  --input-dim d          input dimension of the features                               [${DEFAULT_LAYER.inputDim}]
  --batch B              batch size, >= 2                                              [${DEFAULT_LAYER.batch}]
  --steps T              SGD updates                                                   [${DEFAULT_LAYER.steps}]
  --layers N             independent layers per lr (the trials)                        [40]
  --single-trials N      single-unit trajectories per lr for the prediction            [1000]
  --label-noise S        standard deviation of the teacher's label noise               [${DEFAULT_LAYER.labelNoise}]
  --seed S               random seed (same seed, same numbers)                         [1]
  --format F             json | csv (csv: one line per lr, no over-time fractions)     [json]
  --out FILE             write there (atomically) instead of stdout

Example (about 10 s on one core):
  bn-collapse layer --lr 0.1,0.2,0.4 --units 16 --input-dim 32 --batch 8 --steps 1000 --layers 40 --format csv
`;

const FLAGS = ["lr", "units", "input-dim", "batch", "steps", "layers", "single-trials", "label-noise", "seed", "format", "out"].map((name) => ({ name, value: true }));

export interface LayerInvocation {
  config: Partial<LayerConfig>;
  lr: number[];
  layers: number;
  singleTrials: number;
  seed: number | string;
  format: "json" | "csv";
  out: string | null;
}


export function parseLayerInvocation(argv: string[]): LayerInvocation | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (positional.length) throw new ConfigError(positional[0], "unexpected argument (see --help)");
  const lr = parseList(String(flags.get("lr") ?? "0.05,0.1,0.2,0.4"), "--lr");
  for (const v of lr) if (!(v > 0)) throw new ConfigError("--lr", `every lr must be > 0, got ${v}`);
  const noiseRaw = flags.get("label-noise");
  const labelNoise = noiseRaw === undefined ? DEFAULT_LAYER.labelNoise : parseNumber(String(noiseRaw), "--label-noise");
  if (labelNoise < 0) throw new ConfigError("--label-noise", `must be >= 0, got ${labelNoise}`);
  const format = choiceFlag(flags, "format", ["json", "csv"], "json");
  const seedRaw = flags.get("seed");
  const seed = seedRaw === undefined ? 1 : /^\d+$/.test(String(seedRaw)) ? Number(seedRaw) : String(seedRaw);
  const out = flags.get("out");
  if (typeof out === "string") checkOutPath(out);
  else checkStdoutOpen();
  return {
    config: {
      units: integerFlag(flags, "units", DEFAULT_LAYER.units, 1, 4096),
      inputDim: integerFlag(flags, "input-dim", DEFAULT_LAYER.inputDim, 1, 4096),
      batch: integerFlag(flags, "batch", DEFAULT_LAYER.batch, 2, 65536),
      steps: integerFlag(flags, "steps", DEFAULT_LAYER.steps, 1, 1e7),
      labelNoise,
    },
    lr,
    layers: integerFlag(flags, "layers", 40, 2, 1e7),
    singleTrials: integerFlag(flags, "single-trials", 1000, 1, 1e7),
    seed,
    format,
    out: out === undefined ? null : String(out),
  };
}

export async function layerCommand(argv: string[]): Promise<void> {
  const inv = parseLayerInvocation(argv);
  if (inv === "help") {
    writeStdout(LAYER_HELP);
    return;
  }
  const rows = layerRows(inv.config, inv.lr, { seed: inv.seed, layers: inv.layers, singleTrials: inv.singleTrials });
  const text =
    inv.format === "csv"
      ? layerRowsCsv(rows)
      : stringifyResults({ tool: "bn-collapse", version: VERSION, kind: "layer", seed: inv.seed, config: { ...DEFAULT_LAYER, ...inv.config, lr: inv.lr, layers: inv.layers, singleTrials: inv.singleTrials }, rows });
  writeOutput(text, inv.out);
}
