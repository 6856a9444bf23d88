import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { FONT } from "../plot/theme.ts";
import { FONT_FILES, fontBytes } from "./fonts.ts";

const require = createRequire(import.meta.url);
let ready: Promise<Uint8Array[]> | null = null;

/**
 * resvg as WebAssembly runs unchanged under Node and Deno (a native addon would need a per-platform
 * binary). It sees no system fonts: it gets DejaVu Sans from the `dejavu-fonts-ttf` package.
 */
function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
    return Object.values(FONT_FILES).map(fontBytes);
  })();
  return ready;
}

/** Rasterises an SVG to PNG at `scale` times its size (2 = print-ready at the figure's width). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const fonts = await init();
  const resvg = new Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
  });
  const image = resvg.render();
  try {
    return image.asPng();
  } finally {
    image.free();
    resvg.free();
  }
}
