import { dirname, join, relative, sep } from "node:path";
import type { Progress } from "../ensemble/sweep.ts";
import { writeFileAtomic } from "../solution/files.ts";
import { existsSync, readFileSync } from "node:fs";
import { writeFigure, type PrintOptions } from "../render/figure-files.ts";
import { buildFigure } from "./build.ts";
import type { Built } from "./built.ts";
import { ResultCache } from "./cache.ts";
import { derive } from "./derive.ts";
import { figuresIndex } from "./index-md.ts";
import { collectFindings, findingsMarkdown, type FindingsInput } from "./findings.ts";
import { measure, type Measured } from "./measure.ts";
import type { Experiment, Mode } from "./types.ts";

export interface ReproduceOptions {
  mode: Mode;
  out: string;
  workers: number;
  /** ignore cached results */
  fresh?: boolean;
  /** where results are cached; default OUT/.cache */
  cacheDir?: string;
  /** where docs/findings.md-style findings go (null: not written), and the command named in them */
  findings?: { path: string; command: string } | null;
  log?: (line: string) => void;
  /** the whole figure set, when `experiments` is part of it (--only): the index keeps the others' sections */
  set?: readonly Experiment[];
  /** the command named in the index (e.g. with --only) */
  command?: string;
  /** size, font size and PNG resolution of the written files */
  print?: PrintOptions;
  onProgress?: (label: string) => ((p: Progress) => void) | undefined;
}

export interface ReproduceSummary {
  figures: string[];
  /** the findings file written, if any */
  findings: string | null;
  computed: number;
  cached: number;
}

/**
 * Measures what each experiment needs (once per distinct config, from the cache when it ran before),
 * adds the scaling analysis and the theory's curves it draws (derive.ts, cached the same way), draws
 * and writes every figure, then the index OUT/README.md and, when asked, the findings (findings.ts).
 */
export async function reproduce(experiments: readonly Experiment[], opts: ReproduceOptions): Promise<ReproduceSummary> {
  const cache = new ResultCache(opts.cacheDir ?? join(opts.out, ".cache"), opts.fresh);
  const log = opts.log ?? (() => {});
  const entries: { exp: Experiment; built: Built }[] = [];
  const inputs: FindingsInput[] = [];
  let computed = 0, cached = 0;
  for (const [i, exp] of experiments.entries()) {
    const measured: Measured[] = [];
    for (const m of exp.measurements) {
      const label = `[${i + 1}/${experiments.length}] ${exp.id}: ${m.label}`;
      const started = Date.now();
      const got = await measure(m, { mode: opts.mode, cache, workers: opts.workers, onProgress: opts.onProgress?.(label) });
      if (got.cached) cached++;
      else computed++;
      log(`${label}: ${got.cached ? "cached" : `computed in ${((Date.now() - started) / 1000).toFixed(1)} s`}`);
      measured.push(got.value);
    }
    const { derived, computed: extra } = await derive(exp, measured, { mode: opts.mode, cache });
    for (const line of extra) log(`[${i + 1}/${experiments.length}] ${exp.id}: ${line}`);
    const built = buildFigure(exp, measured, opts.mode, derived);
    await writeFigure(opts.out, built.figure, opts.print);
    entries.push({ exp, built });
    inputs.push({ exp, number: (opts.set ?? experiments).indexOf(exp) + 1, measured, derived });
  }
  const indexFile = join(opts.out, "README.md");
  const existing = opts.set && existsSync(indexFile) ? readFileSync(indexFile, "utf8") : undefined;
  writeFileAtomic(indexFile, figuresIndex(entries, opts.mode, { set: opts.set ?? experiments, existing, command: opts.command }));
  let findings: string | null = null;
  if (opts.findings) {
    const figures = relative(dirname(opts.findings.path), opts.out).split(sep).join("/");
    writeFileAtomic(opts.findings.path, findingsMarkdown(collectFindings(inputs), { mode: opts.mode, figures, command: opts.findings.command }));
    findings = opts.findings.path;
  }
  return { figures: entries.map((e) => e.exp.id), findings, computed, cached };
}
