import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import type { Spec as VegaSpec } from "vega";

export interface Compiled {
  vega: VegaSpec;
  /** vega-lite's warnings (and errors it logged without throwing) */
  warnings: string[];
}

/** Compiles a vega-lite spec to vega, capturing the logger instead of printing to the console. */
export function compileSpec(spec: TopLevelSpec): Compiled {
  const warnings: string[] = [];
  const record = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
    return logger;
  };
  const logger = {
    level: () => logger,
    warn: record,
    error: record,
    info: () => logger,
    debug: () => logger,
  };
  const vega = vl.compile(spec, { logger: logger as unknown as Parameters<typeof vl.compile>[1] extends infer O ? O extends { logger?: infer L } ? L : never : never }).spec;
  return { vega, warnings };
}
