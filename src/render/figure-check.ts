import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compileSpec } from "./compile.ts";
import { installTextMetrics } from "./text-metrics.ts";

/**
 * A referee's first look at a figure, automated: it renders the vega-lite spec headless, walks
 * vega's scenegraph and reads where every mark item was drawn (its bounds, in canvas pixels), and
 * reports what hides or misstates data. The kinds and what each means:
 */
export const DEFECT_KINDS = {
  "text-outside": "a text mark (title, label, legend) reaches outside the canvas, so it is cut",
  "text-truncated": "a text mark was shortened to fit (it ends in vega's ellipsis)",
  "text-overlap": "two text marks overlap or touch (less than 1 px apart), so they read as one",
  "text-over-data": "an annotation's or a legend label's text covers a data marker",
  "identical-series": "two series have the same data, one hidden under the other, and no legend entry says so",
  "markers-coincide": "markers of different series sit at the same position (same shape), so only the last drawn shows",
  "symmetric-log-interval": "an interval symmetric about its estimate (±) is drawn on a log axis",
  "legend-invisible": "a legend entry has nothing visible in the plot",
} as const;

export type DefectKind = keyof typeof DEFECT_KINDS;

export interface FigureDefect {
  kind: DefectKind;
  message: string;
}

/** One scenegraph item, flattened, with its bounds in canvas pixels and its drawing order. */
interface Flat {
  marktype: string;
  role: string;
  /** the vega mark's name plus its facet, so items of one line belong to one instance */
  mark: string;
  order: number;
  x: number;
  y: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  fill: string | null;
  stroke: string | null;
  opacity: number;
  shape: string | null;
  size: number;
  dash: string;
  strokeWidth: number;
  text: string;
  /** inside a legend group */
  legend: boolean;
  /** legend entries: the symbol and the label of one row share it */
  entry: number;
  /** text: vega's width limit (0: none) and the text's full width, before vega cuts it at the limit */
  limit: number;
  width: number;
}

type SceneItem = Record<string, unknown> & { items?: SceneMark[]; bounds?: { x1: number; y1: number; x2: number; y2: number } };
type SceneMark = { marktype: string; role: string; name?: string; items: SceneItem[] };

const colour = (v: unknown): string | null => {
  if (typeof v !== "string" || v === "" || v === "transparent" || v === "none") return null;
  return v.toLowerCase();
};
const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

const measure = (item: object, text: unknown): number =>
  (vega as unknown as { textMetrics: { width: (item: object, text: unknown) => number } }).textMetrics.width(item, text);

/** Renders `spec` headless and returns its items and the canvas size. */
async function scene(spec: TopLevelSpec): Promise<{ items: Flat[]; width: number; height: number }> {
  installTextMetrics();
  const { vega: compiled } = compileSpec(structuredClone(spec));
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    await view.runAsync();
    // the SVG is the canvas a reader sees: its size, and the translation of the root group in it
    const svg = await view.toSVG();
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(svg);
    const shift = /transform="translate\(([-\d.]+),([-\d.]+)\)"/.exec(svg);
    const width = Number(size?.[1] ?? 0), height = Number(size?.[2] ?? 0);
    const items: Flat[] = [];
    let order = 0, entries = 0;
    const walk = (mark: SceneMark, ox: number, oy: number, legend: boolean, entry: number, facet: string) => {
      const inLegend = legend || mark.role === "legend";
      mark.items.forEach((item, k) => {
        const b = item.bounds ?? { x1: 0, y1: 0, x2: 0, y2: 0 };
        const opacity = num(item.opacity, 1) * (mark.marktype === "text" ? num(item.fillOpacity, 1) : 1);
        const myEntry = mark.role === "legend-entry" || (inLegend && mark.role === "scope") ? ++entries : entry;
        if (mark.marktype !== "group") {
          items.push({
            marktype: mark.marktype,
            role: mark.role,
            mark: `${facet}/${mark.name ?? mark.role}`,
            order: order++,
            x: ox + num(item.x, 0),
            y: oy + num(item.y, 0),
            x1: ox + b.x1, y1: oy + b.y1, x2: ox + b.x2, y2: oy + b.y2,
            fill: colour(item.fill),
            stroke: colour(item.stroke),
            opacity,
            shape: typeof item.shape === "string" ? item.shape : null,
            size: num(item.size, 64),
            dash: Array.isArray(item.strokeDash) ? item.strokeDash.join(",") : String(item.strokeDash ?? ""),
            strokeWidth: num(item.strokeWidth, 1),
            text: item.text == null ? "" : Array.isArray(item.text) ? item.text.join(" ") : String(item.text),
            legend: inLegend,
            entry: myEntry,
            limit: num(item.limit, 0),
            // a multi-line text (an array) is as wide as its widest line
            width: mark.marktype === "text" ? Math.max(0, ...[item.text].flat().map((t) => measure({ fontSize: item.fontSize as number, fontWeight: item.fontWeight as string, limit: 0 }, t))) : 0,
          });
        }
        const gx = ox + num(item.x, 0), gy = oy + num(item.y, 0);
        for (const child of item.items ?? []) walk(child, gx, gy, inLegend, myEntry, `${facet}.${k}`);
      });
    };
    const root = (view as unknown as { scenegraph(): { root: SceneMark } }).scenegraph().root;
    walk(root, Number(shift?.[1] ?? 0), Number(shift?.[2] ?? 0), false, 0, "");
    return { items, width, height };
  } finally {
    view.finalize();
  }
}

const overlap = (a: Flat, b: Flat, tol: number) => Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > tol && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > tol;
const grow = (a: Flat, d: number): Flat => ({ ...a, x1: a.x1 - d, x2: a.x2 + d, y1: a.y1 - d, y2: a.y2 + d });
const visible = (i: Flat) => i.opacity > 0 && (i.fill !== null || i.stroke !== null || i.marktype === "text");
const seriesColour = (i: Flat) => i.stroke ?? i.fill;
const key = (i: Flat) => `${Math.round(i.x)},${Math.round(i.y)}`;

/** Every defect of a figure; an empty list is a pass. */
export async function checkFigure(spec: TopLevelSpec): Promise<FigureDefect[]> {
  const { items, width, height } = await scene(spec);
  const out: FigureDefect[] = [];
  const texts = items.filter((i) => i.marktype === "text" && i.opacity > 0 && i.text.trim() !== "");

  for (const t of texts) {
    if (t.x1 < -0.5 || t.y1 < -0.5 || t.x2 > width + 0.5 || t.y2 > height + 0.5) {
      out.push({ kind: "text-outside", message: `"${t.text}" (${t.role}) spans x ${t.x1.toFixed(0)}–${t.x2.toFixed(0)}, y ${t.y1.toFixed(0)}–${t.y2.toFixed(0)} on a ${width}×${height} canvas` });
    }
  }
  for (const t of texts) if (t.text.endsWith("…") || (t.limit > 0 && t.width > t.limit + 0.5)) out.push({ kind: "text-truncated", message: `"${t.text}" (${t.role})` });
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (overlap(grow(texts[i], 0.5), grow(texts[j], 0.5), 0)) out.push({ kind: "text-overlap", message: `"${texts[i].text}" (${texts[i].role}) overlaps "${texts[j].text}" (${texts[j].role})` });
    }
  }

  const data = items.filter((i) => i.role === "mark" && !i.legend && visible(i));
  const symbols = data.filter((i) => i.marktype === "symbol");
  // annotations and legend labels (a legend placed inside the plot) must not cover a data marker
  for (const t of texts.filter((x) => x.role === "mark" || x.role === "legend-label")) {
    const hit = symbols.find((s) => overlap(t, s, 1));
    if (hit) out.push({ kind: "text-over-data", message: `"${t.text}" covers a marker at (${hit.x.toFixed(0)}, ${hit.y.toFixed(0)})` });
  }

  // legend rows: a colour (or shape, or dash) and its label
  const legendRows = new Map<number, { symbol?: Flat; label?: string }>();
  for (const i of items.filter((x) => x.legend)) {
    const row = legendRows.get(i.entry) ?? {};
    if (i.role === "legend-symbol") row.symbol = i;
    if (i.role === "legend-label") row.label = i.text;
    legendRows.set(i.entry, row);
  }
  const labelOf = new Map<string, string>();
  for (const r of legendRows.values()) if (r.symbol && r.label !== undefined) {
    const c = seriesColour(r.symbol);
    if (c) labelOf.set(c, r.label);
  }
  const noted = (a: string, b: string) => /identical to/i.test(labelOf.get(a) ?? "") || /identical to/i.test(labelOf.get(b) ?? "");

  // series of one mark: symbols by colour, or one line/area instance each
  const series = new Map<string, Map<string, Flat[]>>();
  for (const i of data) {
    if (i.marktype !== "symbol" && i.marktype !== "line") continue;
    const c = seriesColour(i);
    if (!c) continue;
    const markName = i.marktype === "symbol" ? i.mark : i.mark.replace(/\.\d+\/([^/]*)$/, "/$1");
    const byColour = series.get(markName) ?? new Map<string, Flat[]>();
    byColour.set(c, [...(byColour.get(c) ?? []), i]);
    series.set(markName, byColour);
  }
  for (const [markName, byColour] of series) {
    const entries = [...byColour.entries()].filter(([, xs]) => xs.length >= 2);
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const [ca, a] = entries[i], [cb, b] = entries[j];
        const same = a.length === b.length && a.map(key).sort().join(";") === b.map(key).sort().join(";");
        if (same && !noted(ca, cb)) {
          out.push({ kind: "identical-series", message: `${labelOf.get(ca) ?? ca} and ${labelOf.get(cb) ?? cb} draw the same ${a[0].marktype}s (${markName}) and the legend does not say they are identical` });
        }
      }
    }
  }

  for (let i = 0; i < symbols.length; i++) {
    for (let j = i + 1; j < symbols.length; j++) {
      const a = symbols[i], b = symbols[j];
      const ca = seriesColour(a), cb = seriesColour(b);
      if (!ca || !cb || ca === cb || a.shape !== b.shape) continue;
      if (Math.hypot(a.x - b.x, a.y - b.y) < 2 && !noted(ca, cb)) {
        out.push({ kind: "markers-coincide", message: `${a.shape} markers of ${labelOf.get(ca) ?? ca} and ${labelOf.get(cb) ?? cb} at the same position (${a.x.toFixed(0)}, ${a.y.toFixed(0)})` });
      }
    }
  }

  for (const r of legendRows.values()) {
    const s = r.symbol;
    if (!s) continue;
    const c = seriesColour(s);
    const matches = data.filter((i) => (c !== null && seriesColour(i) === c) || (s.shape && s.shape !== "circle" && i.shape === s.shape) || (s.dash !== "" && s.dash !== "undefined" && i.dash === s.dash));
    const shown = matches.filter((m) => !covered(m, data));
    if (shown.length === 0) {
      out.push({ kind: "legend-invisible", message: `legend entry "${r.label ?? "?"}" (${c ?? s.shape}) has ${matches.length ? "all its marks covered by another series" : "no mark in the plot"}` });
    }
  }

  out.push(...symmetricLogIntervals(spec));
  return out;
}

/** A mark item fully hidden by one drawn after it at the same place: same shape, opaque, not dashed. */
function covered(m: Flat, data: readonly Flat[]): boolean {
  if (m.marktype === "symbol") {
    return data.some((o) => o.order > m.order && o.marktype === "symbol" && o.shape === m.shape && o.fill !== null && o.opacity >= 0.9 && o.size >= m.size && Math.hypot(o.x - m.x, o.y - m.y) < 0.5);
  }
  if (m.marktype === "line") {
    const mine = data.filter((i) => i.mark === m.mark).map(key).join(";");
    return data.some((o) => o.order > m.order && o.marktype === "line" && o.mark !== m.mark && (o.dash === "" || o.dash === "undefined") && o.opacity >= 0.9 && o.strokeWidth >= m.strokeWidth &&
      data.filter((i) => i.mark === o.mark).map(key).join(";") === mine);
  }
  return false;
}

type Unit = Record<string, unknown>;

/**
 * Intervals drawn with y and y2 (or x and x2) on a log scale whose ends are at the same distance
 * below and above a value of the row (an estimate ± a standard error): on a log axis such a bar
 * says nothing true, and its lower end runs to 0. Read from the spec's data, as positions cannot
 * tell which value the bar was centred on. A bar whose lower half is under 30% of the value is
 * left alone (a narrow Wilson interval at P = 1/2 is symmetric too, and harmless).
 */
function symmetricLogIntervals(spec: TopLevelSpec): FigureDefect[] {
  const out: FigureDefect[] = [];
  const visit = (u: Unit, data: unknown[] | null, enc: Unit) => {
    const own = (u.data as { values?: unknown[] } | undefined)?.values ?? data;
    const encoding = { ...enc, ...((u.encoding as Unit | undefined) ?? {}) };
    for (const [a, b] of [["y", "y2"], ["x", "x2"]] as const) {
      const ch = encoding[a] as { field?: string; scale?: { type?: string } } | undefined;
      const ch2 = encoding[b] as { field?: string } | undefined;
      if (u.mark === undefined || !ch?.field || !ch2?.field || ch.scale?.type !== "log") continue;
      for (const row of (own ?? []) as Record<string, unknown>[]) {
        const pairs: [string, string][] = [[ch.field, ch2.field]];
        if (typeof row.lo === "number" && typeof row.hi === "number") pairs.push(["lo", "hi"]);
        for (const [f1, f2] of pairs) {
          const lo = row[f1], hi = row[f2];
          if (typeof lo !== "number" || typeof hi !== "number" || !(hi > lo)) continue;
          const centre = Object.entries(row).find(([k, c]) => k !== f1 && k !== f2 && typeof c === "number" && c > lo && c < hi && Math.abs(c - lo - (hi - c)) <= 1e-9 * (hi - lo) && (c - lo) / c > 0.3);
          if (centre) {
            out.push({ kind: "symmetric-log-interval", message: `${f1}–${f2} = ${lo}–${hi} is ${centre[0]} = ${centre[1]} ± ${centre[1] as number - lo} on a log axis` });
            return;
          }
        }
      }
    }
    for (const k of ["layer", "hconcat", "vconcat", "concat"]) {
      const children = u[k];
      if (Array.isArray(children)) for (const c of children) visit(c as Unit, own, k === "layer" ? encoding : {});
    }
  };
  visit(spec as unknown as Unit, null, {});
  return out;
}
