import { checkStdoutOpen, writeStdout } from "../solution/output.ts";
import { readFileSync, statSync } from "node:fs";
import { parseCriterion } from "../config/terms.ts";
import { VERSION } from "../version.ts";
import { stringifyResults } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import type { Criterion } from "../model/problem.ts";
import { ratioDistributionSpec } from "../plot/ratio-distribution.ts";
import { svgToPng } from "../render/png.ts";
import { renderSvg } from "../render/svg.ts";
import { scanLayer, type ScanOptions } from "../scan/analyse.ts";
import { findBnLayers } from "../scan/bn-layers.ts";
import { scanCsv, scanJson, scanReport, scanText } from "../scan/report.ts";
import { readSafetensors } from "../scan/safetensors.ts";
import { parseArgs, type FlagSpec } from "./args.ts";
import { checkOutPath, writeFileAtomic, writeOutput } from "../solution/files.ts";
import { choiceFlag, integerFlag, numberFlag } from "./flag-values.ts";

export const DEFAULT_SCAN_CRITERIA = "dead,gamma:0.001,ratio:3,sparsity:0.99";

export const SCAN_HELP = `bn-collapse scan: the collapsed channels of every BN layer of a checkpoint (safetensors).

Usage: bn-collapse scan FILE.safetensors [flags]

A BN layer is a name prefix X with X.weight and X.bias of one length and X.running_mean beside them
(or, saved without buffers, a name that says bn / batch_norm); dtypes F32, F16, BF16, F64. For each
layer, the channels collapsed by each criterion of sweep's --collapse (docs/model.md section 4), on
r = (beta + shift)/|gamma|:
  dead          r <= -sqrt(B - 1): no batch of B samples can make the ReLU fire again
  ratio:C       r <= -C
  sparsity:S    Phi(r) <= 1 - S (at most a fraction 1 - S of Gaussian inputs gives output > 0)
  gamma:E       |gamma| <= E (1e-3: the threshold of the implicit filter sparsity literature)
and, where running statistics are present, the channels whose running_var <= eps: their input is
(nearly) constant, the mark of a filter upstream that no longer responds. docs/real-networks.md.

  --batch B        batch size of the dead cone r <= -sqrt(B - 1)                 [32]
  --collapse LIST  comma-separated criteria                        [${DEFAULT_SCAN_CRITERIA}]
  --shift ALPHA    psBN's constant shift (y = BN(x) + alpha): r = (beta + alpha)/|gamma|  [0]
  --bn-eps E       BN's epsilon, for the running_var view                        [1e-5]
  --format F       text | json | csv                                              [text]
  --out FILE       write the table there (atomically) instead of stdout
  --figure OUT     also draw the distribution of r per layer: OUT.png and OUT.svg

A file that is not a well-formed safetensors checkpoint (truncated, a header past the end of the
file or over 100 MB, offsets out of range, overlapping or leaving holes, an unknown dtype, a shape
that does not match its bytes, not JSON) gets one line naming the problem and exit code 2.

Example:
  bn-collapse scan reference/pytorch/checkpoints/digits-adam-lr0.1-wd0-seed1-f32.safetensors --batch 32
`;

const FLAGS: FlagSpec[] = ["batch", "collapse", "shift", "bn-eps", "format", "out", "figure"].map((name) => ({ name, value: true }));

export interface ScanInvocation {
  file: string;
  options: ScanOptions;
  format: "text" | "json" | "csv";
  out: string | null;
  figure: string | null;
}

export function parseScanInvocation(argv: string[]): ScanInvocation | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const { flags, positional } = parseArgs(argv, FLAGS);
  if (positional.length !== 1) throw new ConfigError("FILE", positional.length === 0 ? "missing: give a .safetensors checkpoint (see --help)" : `expected one file, got ${positional.length}`);
  const criteria: Criterion[] = String(flags.get("collapse") ?? DEFAULT_SCAN_CRITERIA)
    .split(",")
    .map((text) => parseCriterion(text.trim(), "--collapse"));
  for (const c of criteria) {
    if (c.kind === "sparsity" && !(c.s > 0 && c.s < 1)) throw new ConfigError("--collapse", `sparsity:S needs 0 < S < 1, got ${c.s}`);
    if (c.kind === "gamma" && !(c.e >= 0)) throw new ConfigError("--collapse", `gamma:E needs E >= 0, got ${c.e}`);
  }
  const bnEps = numberFlag(flags, "bn-eps", 1e-5);
  if (bnEps < 0) throw new ConfigError("--bn-eps", `must be >= 0, got ${bnEps}`);
  const out = flags.get("out");
  const figure = flags.get("figure");
  if (typeof out === "string") checkOutPath(out, [positional[0]]);
  else checkStdoutOpen();
  if (typeof figure === "string") for (const ext of [".svg", ".png"]) checkOutPath(`${figure}${ext}`, [positional[0]], "--figure");
  return {
    file: positional[0],
    options: { batch: integerFlag(flags, "batch", 32, 2, 1e9), criteria, shift: numberFlag(flags, "shift", 0), bnEps },
    format: choiceFlag(flags, "format", ["text", "json", "csv"], "text"),
    out: out === undefined ? null : String(out),
    figure: figure === undefined ? null : String(figure),
  };
}

export async function scanCommand(argv: string[]): Promise<void> {
  const inv = parseScanInvocation(argv);
  if (inv === "help") {
    writeStdout(SCAN_HELP);
    return;
  }
  const file = readSafetensors(readCheckpoint(inv.file), inv.file);
  const { layers, skipped } = findBnLayers(file);
  const scans = layers.map((l) => scanLayer(l, inv.options));
  const report = scanReport(inv.file, file.tensors.size, file.metadata, scans, skipped, inv.options);
  const text =
    inv.format === "json"
      ? stringifyResults({ tool: "bn-collapse", version: VERSION, ...scanJson(report) })
      : inv.format === "csv"
        ? scanCsv(report)
        : scanText(report);
  if (inv.figure !== null) {
    if (scans.length === 0) throw new ConfigError("--figure", `no BN layers in ${inv.file}: nothing to draw`);
    const cone = -Math.sqrt(inv.options.batch - 1);
    const spec = ratioDistributionSpec(
      scans.map((s) => ({ layer: s.name, r: Array.from(s.ratios) })),
      { title: `r = β/|γ| per BN layer: ${baseName(inv.file)}`, subtitle: inv.options.shift ? `psBN shift α = ${inv.options.shift} included in β` : undefined, cone, batch: inv.options.batch },
    );
    const svg = await renderSvg(spec);
    const png = await svgToPng(svg);
    writeFileAtomic(`${inv.figure}.svg`, svg);
    writeFileAtomic(`${inv.figure}.png`, png);
  }
  writeOutput(text, inv.out);
}

function readCheckpoint(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new ConfigError(path, "is a folder, not a checkpoint file");
    return readFileSync(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
