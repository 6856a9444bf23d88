import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compileSpec } from "./compile.ts";
import { installTextMetrics } from "./text-metrics.ts";

/**
 * Renders a vega-lite spec to SVG headless, with vega's own renderer (no browser, no canvas).
 * Throws if vega-lite warned: a figure that needs a warning to render is a bug in its builder.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  // a copy: vega tags the data objects it renders, and the caller's spec should stay plain JSON
  const { vega: compiled, warnings } = compileSpec(structuredClone(spec));
  if (warnings.length > 0) throw new Error(`vega-lite warned: ${warnings.join("; ")}`);
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
  try {
    return stableIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * vega names clip paths and gradients from a process-wide counter ("clip7"), so a figure's SVG would
 * depend on what was rendered before it (an --only run gave other bytes). Renumbered in order of
 * appearance, every figure's SVG depends on its spec alone.
 */
export function stableIds(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="((clip|gradient_)\d+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${m[2]}${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg.replace(/\b(clip|gradient_)\d+\b/g, (id) => ids.get(id) ?? id);
}
