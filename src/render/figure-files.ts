import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../solution/files.ts";
import { rowsToCsv } from "./csv.ts";
import { svgToPng } from "./png.ts";
import { renderSvg } from "./svg.ts";

/** A finished figure: its spec (with inline data) and the table it plots. */
export interface Figure {
  name: string;
  spec: TopLevelSpec;
  rows: readonly object[];
}

export interface FigureFiles {
  svg: string;
  png: string;
  spec: string;
  csv: string;
}

/** The four files of a figure, by name: NAME.svg, NAME.png, NAME.vl.json (Vega editor), NAME.csv. */
export function figureFileNames(name: string): FigureFiles {
  return { svg: `${name}.svg`, png: `${name}.png`, spec: `${name}.vl.json`, csv: `${name}.csv` };
}

/** Renders a figure and writes its four files into `dir`, each atomically. */
export async function writeFigure(dir: string, figure: Figure): Promise<FigureFiles> {
  const names = figureFileNames(figure.name);
  const svg = await renderSvg(figure.spec);
  const png = await svgToPng(svg);
  writeFileAtomic(join(dir, names.spec), JSON.stringify(figure.spec, null, 1) + "\n");
  writeFileAtomic(join(dir, names.csv), rowsToCsv(figure.rows));
  writeFileAtomic(join(dir, names.svg), svg);
  writeFileAtomic(join(dir, names.png), png);
  return names;
}
