import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../solution/files.ts";
import { rowsToCsv } from "./csv.ts";
import { svgToPdf } from "./pdf.ts";
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
  pdf: string;
  spec: string;
  csv: string;
}

/**
 * How a figure is printed. The SVG and PDF are vectors whose unit is the point (1/72 inch): by default
 * 1 px of the layout = 1 pt. `width` scales the whole figure to that many points (a one-column paper
 * is about 240 pt, two columns about 500 pt), fonts with it; `fontSize` sets the axis labels' size
 * in the layout (titles and legends in proportion; default 11); `dpi` is the PNG's resolution at the
 * printed size.
 */
export interface PrintOptions {
  width?: number;
  fontSize?: number;
  dpi?: number;
}

export const DEFAULT_DPI = 144;

/** The five files of a figure, by name: NAME.svg, .png, .pdf, .vl.json (Vega editor), .csv. */
export function figureFileNames(name: string): FigureFiles {
  return { svg: `${name}.svg`, png: `${name}.png`, pdf: `${name}.pdf`, spec: `${name}.vl.json`, csv: `${name}.csv` };
}

const widthOf = (svg: string) => Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1] ?? NaN);

/** The spec with every font size multiplied by `k`. */
function scaleFonts(spec: TopLevelSpec, k: number): TopLevelSpec {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, /fontSize$/i.test(key) && typeof x === "number" ? Number((x * k).toFixed(2)) : walk(x)]));
    return v;
  };
  return walk(spec) as TopLevelSpec;
}

/** The axis label size of the theme, which `fontSize` refers to. */
export const BASE_FONT = 11;

/**
 * The figure's SVG as printed: laid out with axis labels of `fontSize` (titles, legends and
 * annotations in proportion), then scaled as a whole to `width` points (the SVG's width and height
 * in points, its viewBox kept). Fonts scale with the figure, so the printed label size is
 * fontSize × width / layout width: `printedFontSize` says what it came to.
 */
export async function printedSvg(spec: TopLevelSpec, opts: PrintOptions = {}): Promise<string> {
  const svg = await renderSvg(opts.fontSize === undefined ? spec : scaleFonts(spec, opts.fontSize / BASE_FONT));
  if (opts.width === undefined) return svg;
  const w = widthOf(svg), h = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1] ?? NaN);
  const height = Number(((h * opts.width) / w).toFixed(2));
  return svg.replace(/(<svg[^>]*\s)width="[\d.]+" height="[\d.]+"/, `$1width="${opts.width}" height="${height}"`);
}

/** The axis labels' size in points as printed in `svg` (from printedSvg). */
export function printedFontSize(svg: string, fontSize = BASE_FONT): number {
  const w = widthOf(svg), box = Number(/viewBox="[\d.]+ [\d.]+ ([\d.]+)/.exec(svg)?.[1] ?? w);
  return (fontSize * w) / box;
}

/** Renders a figure and writes its five files into `dir`, each atomically. */
export async function writeFigure(dir: string, figure: Figure, opts: PrintOptions = {}): Promise<FigureFiles> {
  const names = figureFileNames(figure.name);
  const svg = await printedSvg(figure.spec, opts);
  const png = await svgToPng(svg, (opts.dpi ?? DEFAULT_DPI) / 72);
  const pdf = await svgToPdf(svg);
  writeFileAtomic(join(dir, names.spec), JSON.stringify(figure.spec, null, 1) + "\n");
  writeFileAtomic(join(dir, names.csv), rowsToCsv(figure.rows));
  writeFileAtomic(join(dir, names.svg), svg);
  writeFileAtomic(join(dir, names.png), png);
  writeFileAtomic(join(dir, names.pdf), pdf);
  return names;
}
