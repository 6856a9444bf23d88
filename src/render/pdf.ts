import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { FONT } from "../plot/theme.ts";
import { FONT_FILES, fontBytes } from "./fonts.ts";

/**
 * A vector PDF of a figure's SVG, through pdfkit (maintained, pure JavaScript: it runs under Node and
 * Deno with no native build) and its companion svg-to-pdfkit, which draws an SVG's paths and text as
 * PDF operators, so lines, markers and text stay vectors. DejaVu Sans is embedded (subset), the
 * face of the SVG and the PNG. The creation date is fixed, so the same figure gives the same bytes.
 * The page is the SVG's size in points (1 SVG pixel = 1 pt = 1/72 inch).
 */
export async function svgToPdf(source: string): Promise<Uint8Array> {
  // a dash pattern with a zero length ("1,0": vega's way to say solid) is solid; pdfkit rejects it
  const svg = source.replace(/\sstroke-dasharray="([^"]*)"/g, (all, d: string) => (d.split(/[\s,]+/).some((x) => Number(x) === 0) ? "" : all));
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!size) throw new Error("svgToPdf: the SVG has no width and height");
  const [width, height] = [Number(size[1]), Number(size[2])];
  const doc = new PDFDocument({ size: [width, height], margin: 0, autoFirstPage: true, info: { CreationDate: new Date(0), Producer: "bn-collapse (pdfkit)", Creator: "bn-collapse" } });
  const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  doc.registerFont(FONT, buffer(fontBytes(FONT_FILES.regular)));
  doc.registerFont(`${FONT}-Bold`, buffer(fontBytes(FONT_FILES.bold)));
  doc.registerFont(`${FONT}-Oblique`, buffer(fontBytes(FONT_FILES.oblique)));
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on("data", (c: Uint8Array) => chunks.push(c));
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width,
    height,
    assumePt: true,
    fontCallback: (_family: string, bold: boolean, italic: boolean) => (bold ? `${FONT}-Bold` : italic ? `${FONT}-Oblique` : FONT),
  });
  doc.end();
  await done;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
