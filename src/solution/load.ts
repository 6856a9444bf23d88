import { ConfigError } from "../model/errors.ts";
import type { SweepResult } from "./result.ts";
import { checkAgainstSchema } from "./schema.ts";

/**
 * Parses a sweep's JSON result (as `bn-collapse sweep --format json` or `merge` writes it) and checks
 * it against schema/sweep.schema.json; anything else is a ConfigError naming the file and the problem.
 */
export function parseSweepResult(text: string, name: string): SweepResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ConfigError(name, "is not JSON (expected the JSON result of bn-collapse sweep; CSV cannot be fitted)");
  }
  const o = v as Partial<SweepResult> | null;
  if (!o || typeof o !== "object" || o.tool !== "bn-collapse" || o.kind !== "sweep") {
    const kind = o && typeof o === "object" && typeof o.kind === "string" ? ` (kind "${o.kind}")` : "";
    throw new ConfigError(name, `is not a bn-collapse sweep result${kind}`);
  }
  if (!Array.isArray(o.cells) || o.cells.length === 0) throw new ConfigError(name, "has no cells");
  if (o.cells.some((cell) => cell && typeof cell === "object" && "ams" in cell)) {
    throw new ConfigError(name, "holds AMS estimates (--estimator ams), not Monte Carlo counts: the fits read k collapsed of n trajectories (docs/rare-events.md)");
  }
  checkAgainstSchema("sweep", v, name);
  return o as SweepResult;
}
