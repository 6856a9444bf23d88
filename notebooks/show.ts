/**
 * Notebook helper: shows a vega-lite spec inline.
 *
 * A figure goes out as one MIME bundle with two views of the same spec:
 * - `application/vnd.vegalite.v5+json`: the spec itself, drawn live by JupyterLab's and VS Code's
 *   built-in vega-lite renderer (they know the v5 MIME type; the specs here use nothing newer);
 * - `image/svg+xml`: the same spec rendered here, headless, with the project's vega and vega-lite,
 *   for viewers without a vega-lite renderer (a code host showing the committed notebook).
 * Jupyter shows the richest view it can; the other costs only file size.
 *
 * Deno kernel: `await show(spec)`. Node (tslab): `tslab.display.svg(await svgOf(spec))`.
 */
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
export const VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

// deno-lint-ignore no-explicit-any
type Spec = Record<string, any>;

// loaded on first use with import(), not a static import: vega is ESM with top-level await, which the
// CommonJS route the Node (tslab) notebook takes to load this file cannot require()
let modules: Promise<[typeof Vega, typeof VegaLite]> | null = null;

/** Renders a vega-lite spec to SVG without a browser (vega's own SVG renderer, no canvas). */
export async function svgOf(spec: Spec): Promise<string> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]);
  const [vega, vl] = await modules;
  const compiled = vl.compile(structuredClone(spec) as VegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The MIME bundle of a figure: the live spec, its SVG, and its title as text. */
export async function bundle(spec: Spec): Promise<Record<string, unknown>> {
  const withSchema = { $schema: VEGALITE_SCHEMA, ...spec };
  const title = typeof spec.title === "string" ? spec.title : spec.title?.text ?? "figure";
  return {
    [VEGALITE_MIME]: withSchema,
    "image/svg+xml": await svgOf(withSchema),
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

/** Rounds to `digits` significant digits (keeps the stored specs small). */
export function sig(x: number, digits = 4): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x;
}
