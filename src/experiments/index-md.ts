import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, platform, release } from "node:os";
import { VERSION } from "../solution/result.ts";
import { figureFileNames } from "../render/figure-files.ts";
import type { Built } from "./built.ts";
import { settingsCaption } from "./caption.ts";
import type { Experiment, Measurement, Mode } from "./types.ts";

const require = createRequire(import.meta.url);
/** An installed package's version, read from its package.json (found from its entry point: some packages do not export it). */
const versionOf = (pkg: string): string => {
  try {
    const entry = require.resolve(pkg);
    const at = entry.lastIndexOf(`node_modules/${pkg}/`);
    return (JSON.parse(readFileSync(`${entry.slice(0, at)}node_modules/${pkg}/package.json`, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
};

/** The markers around one figure's section, so a partial run (--only) can replace it in place. */
const open = (id: string) => `<!-- figure: ${id} -->`;
const close = (id: string) => `<!-- /figure: ${id} -->`;

/** The sections of an index by figure id (the text between a figure's markers, markers included). */
export function indexSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- figure: ([\w-]+) -->[\s\S]*?<!-- \/figure: \1 -->/g;
  for (const m of md.matchAll(re)) out.set(m[1], m[0]);
  return out;
}

/** One figure's section: the picture, the caption in three short parts, its settings, the full account folded. */
export function figureSection(exp: Experiment, built: Built, number: number, command: string): string {
  const f = figureFileNames(exp.id);
  const settings = built.settings?.length ? settingsCaption(built.settings) : [];
  return [
    open(exp.id),
    `## ${number}. ${exp.title}`,
    "",
    `![${exp.title}](${f.png})`,
    "",
    `**Plotted.** ${built.plotted}`,
    "",
    `**Paper.** ${exp.claim}`,
    "",
    `**Measured.** ${built.headline.join(" ")}`,
    "",
    ...settings,
    ...(settings.length ? [""] : []),
    ...built.simulated.map((s) => `${s}.`),
    ...(built.simulated.length ? [""] : []),
    "<details><summary>How each number was measured</summary>",
    "",
    built.measured.join("\n\n"),
    "",
    "</details>",
    "",
    `Files: [PNG](${f.png}) · [SVG](${f.svg}) · [PDF](${f.pdf}) · [vega-lite spec](${f.spec}) · [data (CSV)](${f.csv}) · made by \`${command}\``,
    close(exp.id),
  ].join("\n");
}

/** How to make the figures again, and on what they were made: the tool writes it, so it cannot go stale. */
function reproducibility(set: readonly Experiment[], command: string): string[] {
  const seeds = [...new Set(set.flatMap((e) => (e.measurements as readonly Measurement[]).map((m) => ("seed" in m ? m.seed : "config" in m ? m.config.seed : undefined)).filter((s) => s !== undefined)))];
  const cpu = cpus();
  return [
    "## Reproducibility",
    "",
    `- Commands: \`npm ci\`, then \`npx ${command.replace(/ --only \S+/, "")}\` (add \`--only ID,ID\` to redraw some figures in this index, \`--workers K\` for K threads: the numbers do not depend on it).`,
    `- Versions: bn-collapse ${VERSION}; vega ${versionOf("vega")}, vega-lite ${versionOf("vega-lite")}, resvg-wasm ${versionOf("@resvg/resvg-wasm")}, pdfkit ${versionOf("pdfkit")}; Node ${process.versions.node}.`,
    `- Seeds: ${seeds.join(", ")} (each figure's settings name its own); every random stream is a key extended from the seed, so the same seed gives the same numbers on any number of workers.`,
    `- Last written on: ${platform()} ${release()}, ${cpu.length} × ${cpu[0]?.model?.trim() ?? "unknown CPU"} (the machine changes only the time taken).`,
    "",
  ];
}

/**
 * The figures' index. `entries` are the figures this run drew; the sections of the other figures
 * of `set` are kept from `existing` (the index already in the folder), so `--only` updates figures
 * in place. Figures are numbered by their place in the set.
 */
export function figuresIndex(entries: { exp: Experiment; built: Built }[], mode: Mode, opts: { set?: readonly Experiment[]; existing?: string; command?: string } = {}): string {
  const command = opts.command ?? (mode === "quick" ? "bn-collapse reproduce --quick" : "bn-collapse reproduce");
  const set = opts.set ?? entries.map((e) => e.exp);
  const kept = indexSections(opts.existing ?? "");
  const drawn = new Map(entries.map((e) => [e.exp.id, e.built]));
  const head = [
    "# Figures",
    "",
    `Made by \`${command.replace(/ --only \S+/, "")}\` (bn-collapse ${VERSION}, ${mode} set${mode === "quick" ? ": shorter horizons and fewer trials than the full set, so its numbers differ" : ""}); each figure says which command drew it last.`,
    "Every figure comes as PNG (144 dpi at its printed size unless the command names `--dpi`), SVG and PDF (vectors; 1 layout pixel = 1 pt unless it names `--width`), its vega-lite spec (`.vl.json`, opens in the Vega editor) and the plotted data (`.csv`).",
    "Colours: the Okabe-Ito palette (colour-blind safe); the heat map uses viridis. Intervals are 95%.",
    "",
  ];
  const body = set.flatMap((exp, i) => {
    const built = drawn.get(exp.id);
    if (built) return [figureSection(exp, built, i + 1, command), ""];
    const old = kept.get(exp.id);
    return old ? [old.replace(/^## \d+\./m, `## ${i + 1}.`), ""] : [];
  });
  return [...head, ...body, ...reproducibility(set, command)].join("\n");
}
