/**
 * Notebook helper: shows a vega-lite spec inline.
 *
 * A figure goes out as one MIME bundle with two views of the same spec:
 * - `application/vnd.vegalite.v5+json`: the spec itself, drawn live by JupyterLab's and VS Code's
 *   built-in vega-lite renderer (they know the v5 MIME type; the project's builders use nothing newer,
 *   so the bundle states the v5 schema although the project compiles with vega-lite 6);
 * - `image/svg+xml`: the same spec rendered headless by the project's own renderer (`renderSvg`,
 *   src/render/svg.ts: vega's SVG renderer with the project's fonts), for viewers without a vega-lite
 *   renderer (a code host showing the committed notebook).
 * Jupyter shows the richest view it can; the other costs only file size.
 *
 * Deno kernel: `await show(spec)`. Node (tslab): `tslab.display.svg(await svgOf(spec))`.
 */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
export const VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

// deno-lint-ignore no-explicit-any
type Spec = Record<string, any>;

// loaded on first use with import(): the Node (tslab) notebook loads this file through tsx, and vega
// (ESM with top-level await) should load only when a figure is drawn
let renderer: Promise<typeof import("../src/render/svg.ts")> | null = null;

/** Renders a vega-lite spec to SVG without a browser (the project's `renderSvg`). */
export async function svgOf(spec: Spec): Promise<string> {
  renderer ??= import("../src/render/svg.ts");
  const { renderSvg } = await renderer;
  // deno-lint-ignore no-explicit-any
  return await renderSvg(spec as any);
}

/** The MIME bundle of a figure: the live spec, its SVG, and its title as text. */
export async function bundle(spec: Spec): Promise<Record<string, unknown>> {
  const live = { ...spec, $schema: VEGALITE_SCHEMA };
  const title = typeof spec.title === "string" ? spec.title : spec.title?.text ?? "figure";
  return {
    [VEGALITE_MIME]: live,
    "image/svg+xml": await svgOf(spec),
    "text/plain": `[vega-lite figure: ${title}]`,
  };
}

/** Displays a figure in the Deno kernel. */
export async function show(spec: Spec): Promise<void> {
  // deno-lint-ignore no-explicit-any
  const jupyter = (globalThis as any).Deno?.jupyter;
  if (!jupyter) throw new Error("show() needs the Deno Jupyter kernel; under Node (tslab) use tslab.display.svg(await svgOf(spec))");
  await jupyter.display(await bundle(spec), { raw: true });
}

/** Rounds to `digits` significant digits (keeps tables short). */
export function sig(x: number, digits = 4): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x;
}

/**
 * Waits until the Deno kernel has passed on this cell's console output. Its console.log lines go to
 * Jupyter on their own channel and can arrive after the cell is reported done, when a headless runner
 * (nbconvert, `npm run test:notebooks`) has stopped collecting them: about one run in three lost
 * trailing lines of a cell here. A Deno cell that prints ends with `await settled()`.
 */
export function settled(ms = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
