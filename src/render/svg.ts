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
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
