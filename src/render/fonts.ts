import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** DejaVu Sans from the `dejavu-fonts-ttf` package: the one face of every figure, SVG and PNG. */
export const FONT_FILES = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", oblique: "DejaVuSans-Oblique.ttf" } as const;

const cache = new Map<string, Uint8Array>();

export function fontBytes(file: string): Uint8Array {
  let bytes = cache.get(file);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    cache.set(file, bytes);
  }
  return bytes;
}
