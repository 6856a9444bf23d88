import { VERSION } from "../solution/result.ts";
import { figureFileNames } from "../render/figure-files.ts";
import type { Built } from "./built.ts";
import type { Experiment, Mode } from "./types.ts";

/** The figures' index: each figure with its caption (simulated / paper / measured) and its files. */
export function figuresIndex(entries: { exp: Experiment; built: Built }[], mode: Mode): string {
  const command = mode === "quick" ? "bn-collapse reproduce --quick" : "bn-collapse reproduce";
  const head = [
    "# Figures",
    "",
    `Made by \`${command}\` (bn-collapse ${VERSION}, ${mode} set${mode === "quick" ? ": shorter horizons and fewer trials than the full set, so its numbers differ" : ""}).`,
    "Every figure comes as PNG, SVG, its vega-lite spec (`.vl.json`, opens in the Vega editor) and the plotted data (`.csv`).",
    "Colours: the Okabe-Ito palette (colour-blind safe); the heat map uses viridis. Intervals are 95%.",
    "",
  ];
  const body = entries.flatMap(({ exp, built }, i) => {
    const f = figureFileNames(exp.id);
    return [
      `## ${i + 1}. ${exp.title}`,
      "",
      `![${exp.title}](${f.png})`,
      "",
      `**Simulated.** ${built.simulated.join(" **|** ")}.`,
      "",
      `**Paper.** ${exp.claim}`,
      "",
      `**Measured.** ${built.measured.join(" ")}`,
      "",
      `Files: [SVG](${f.svg}) · [vega-lite spec](${f.spec}) · [data (CSV)](${f.csv})`,
      "",
    ];
  });
  return [...head, ...body].join("\n");
}
