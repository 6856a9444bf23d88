import type { SweepResult } from "../solution/result.ts";
import { ConfigError } from "../model/errors.ts";

const CELL_NUMBERS = ["lr", "gamma", "beta", "batch", "weightDecay", "signal", "trials", "collapsed", "nonFinite"] as const;

/**
 * Parses a sweep's JSON result (as `bn-collapse sweep --format json` or `merge` writes it) and checks
 * the fields the analysis reads; anything else is a ConfigError naming the file and the problem.
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
  const c = o.config as unknown as Record<string, unknown> | undefined;
  if (!c || !Array.isArray(c.lr) || !Array.isArray(c.gamma) || !Array.isArray(c.batch) || !Array.isArray(c.weightDecay) || typeof c.steps !== "number") {
    throw new ConfigError(name, "has no resolved config (lr, gamma, batch, weightDecay lists and steps)");
  }
  const t = o.template as unknown as Record<string, unknown> | undefined;
  if (!t || typeof t !== "object" || typeof t.optimizer !== "object" || typeof t.loss !== "object" || typeof t.collapse !== "object") {
    throw new ConfigError(name, "has no template problem");
  }
  o.cells.forEach((cell, i) => {
    for (const k of CELL_NUMBERS) {
      if (typeof (cell as unknown as Record<string, unknown>)[k] !== "number") throw new ConfigError(name, `cell ${i} has no number "${k}"`);
    }
    const km = cell.firstPassage?.km;
    if (!km || !Array.isArray(km.t) || !Array.isArray(km.lo) || !Array.isArray(km.hi)) throw new ConfigError(name, `cell ${i} has no Kaplan-Meier curve`);
  });
  return o as SweepResult;
}
