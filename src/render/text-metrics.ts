import opentype from "opentype.js";
import * as vega from "vega";
import { FONT_FILES, fontBytes } from "./fonts.ts";

/**
 * Headless vega has no canvas to measure text and guesses 0.8 em per character, which makes titles
 * and legends far wider than they are (wide blank margins, labels cut with "…"). We measure with the
 * advance widths of the very font the PNG is drawn with, as vega allows (textMetrics.width).
 */
type Item = { fontSize?: number | string; fontWeight?: string | number; limit?: number; ellipsis?: string };

let installed = false;

/** Sum of the glyphs' advance widths in em (no kerning or shaping: SVG renderers apply none either). */
function advance(font: opentype.Font, text: string): number {
  let units = 0;
  for (const ch of text) units += font.charToGlyph(ch).advanceWidth ?? 0;
  return units / font.unitsPerEm;
}

export function installTextMetrics(): void {
  if (installed) return;
  const toBuffer = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  const regular = opentype.parse(toBuffer(fontBytes(FONT_FILES.regular)));
  const bold = opentype.parse(toBuffer(fontBytes(FONT_FILES.bold)));
  const widths = new Map<string, number>();
  const raw = (item: Item, text: string): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const isBold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    const key = `${isBold ? "b" : "r"}${text}`;
    let em = widths.get(key);
    if (em === undefined) {
      em = advance(isBold ? bold : regular, text);
      widths.set(key, em);
    }
    return em * size;
  };
  const width = (item: Item, text: unknown): number => {
    let s = text == null ? "" : String(text).trim();
    const limit = Number(item.limit) || 0;
    if (limit > 0 && raw(item, s) > limit) {
      const ellipsis = item.ellipsis ?? "…";
      while (s.length > 0 && raw(item, s + ellipsis) > limit) s = s.slice(0, -1);
      s += ellipsis;
    }
    return raw(item, s);
  };
  // re-exported from vega-scenegraph at run time, missing from vega's type declarations
  (vega as unknown as { textMetrics: { width: (item: Item, text: unknown) => number } }).textMetrics.width = width;
  installed = true;
}
