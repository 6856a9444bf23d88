/** The scan of a checkpoint as plain data, and its three printed forms: a text table, CSV, JSON. */
import { rowsToCsv } from "../render/csv.ts";
import type { LayerScan, ScanOptions } from "./analyse.ts";
import type { SkippedLayer } from "./bn-layers.ts";

export interface ScanReport {
  file: string;
  tensors: number;
  metadata: Record<string, string>;
  batch: number;
  shift: number;
  bnEps: number;
  layers: LayerScan[];
  skipped: SkippedLayer[];
  /** per criterion, over every channel of every layer */
  total: { criterion: string; test: string; count: number; channels: number; fraction: number }[];
  totalChannels: number;
}

export function scanReport(file: string, tensors: number, metadata: Record<string, string>, layers: LayerScan[], skipped: SkippedLayer[], options: ScanOptions): ScanReport {
  const totalChannels = layers.reduce((a, l) => a + l.channels, 0);
  const total = options.criteria.map((_, k) => {
    const count = layers.reduce((a, l) => a + l.collapsed[k].count, 0);
    const first = layers[0]?.collapsed[k];
    return { criterion: first?.criterion ?? "", test: first?.test ?? "", count, channels: totalChannels, fraction: totalChannels ? count / totalChannels : 0 };
  });
  return { file, tensors, metadata, batch: options.batch, shift: options.shift, bnEps: options.bnEps, layers, skipped, total, totalChannels };
}

/** JSON: every layer with the indices of its collapsed channels (the per-channel r stays out). */
export function scanJson(report: ScanReport): object {
  return {
    kind: "scan",
    file: report.file,
    tensors: report.tensors,
    metadata: report.metadata,
    batch: report.batch,
    shift: report.shift,
    bnEps: report.bnEps,
    layers: report.layers.map(({ ratios: _ratios, ...layer }) => layer),
    skipped: report.skipped,
    total: report.total,
  };
}

/** CSV: one row per layer, a count column per criterion. */
export function scanCsv(report: ScanReport): string {
  return rowsToCsv(
    report.layers.map((l) => ({
      layer: l.name,
      channels: l.channels,
      dtype: l.dtype,
      identifiedBy: l.identifiedBy,
      numBatchesTracked: l.numBatchesTracked,
      ...Object.fromEntries(l.collapsed.map((c) => [c.criterion, c.count])),
      nonFinite: l.nonFinite,
      constantInput: l.constantInput?.count ?? null,
      r_median: l.r?.median ?? null,
      r_min: l.r?.min ?? null,
    })),
  );
}

/** The text table: a header saying what each column tests, then a row per layer and the total. */
export function scanText(report: ScanReport): string {
  const lines: string[] = [];
  const byStats = report.layers.filter((l) => l.identifiedBy === "running stats").length;
  lines.push(`${report.file}: ${report.tensors} tensors, ${report.layers.length} BN layers (${byStats} by running statistics, ${report.layers.length - byStats} by name), ${report.totalChannels} channels`);
  const shift = report.shift === 0 ? "r = beta/|gamma|" : `r = (beta + ${report.shift})/|gamma| (psBN shift alpha = ${report.shift})`;
  lines.push(`${shift}; batch size B = ${report.batch} for the dead cone. A count is channels collapsed by the criterion:`);
  for (const t of report.total) lines.push(`  ${t.criterion.padEnd(14)} ${t.test}`);
  if (report.layers.some((l) => l.constantInput)) lines.push(`  ${"var<=eps".padEnd(14)} running_var <= ${report.bnEps}: the input to BN is (nearly) constant`);
  lines.push("");
  if (report.layers.length === 0) {
    lines.push("no BN layers found (no weight/bias pairs with running statistics or a BN name)");
  } else {
    const head = ["layer", "channels", ...report.total.map((t) => t.criterion), "var<=eps", "r median", "r min"];
    const rows = report.layers.map((l) => [
      l.name,
      String(l.channels),
      ...l.collapsed.map((c) => countText(c.count, l.channels)),
      l.constantInput ? countText(l.constantInput.count, l.channels) : "-",
      l.r ? fmt(l.r.median) : "-",
      l.r ? fmt(l.r.min) : "-",
    ]);
    const constant = report.layers.reduce((a, l) => a + (l.constantInput?.count ?? 0), 0);
    const anyStats = report.layers.some((l) => l.constantInput);
    rows.push(["all", String(report.totalChannels), ...report.total.map((t) => countText(t.count, report.totalChannels)), anyStats ? countText(constant, report.totalChannels) : "-", "", ""]);
    const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
    const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join("  ").trimEnd();
    lines.push(line(head));
    for (const r of rows.slice(0, -1)) lines.push(line(r));
    lines.push(line(rows[rows.length - 1]));
  }
  const nonFinite = report.layers.reduce((a, l) => a + l.nonFinite, 0);
  if (nonFinite) lines.push(`${nonFinite} channels have a non-finite gamma or beta and are counted by no criterion`);
  const untrained = report.layers.filter((l) => l.numBatchesTracked === 0).map((l) => l.name);
  if (untrained.length) lines.push(`num_batches_tracked = 0 in ${untrained.join(", ")}: running statistics never updated`);
  for (const s of report.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
  return lines.join("\n") + "\n";
}

const countText = (count: number, of: number) => `${count} (${((100 * count) / of).toFixed(1)}%)`;
const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(3));
