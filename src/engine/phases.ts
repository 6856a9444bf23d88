import type { RngState } from "../rng/xoshiro.ts";
import { NORM_BN, type CompiledUnit } from "./compiled.ts";
import { optimizerStep, resetOptimizerState } from "./optimizer.ts";
import { normUpdate } from "./psbn.ts";
import { reducedGradients } from "./reduced-step.ts";
import { batchGradients } from "./step.ts";

/**
 * Runs the phases before c's own (c.pre, compiled from problem.phases), starting from the state in
 * c.p, and leaves the state where the last of them ended, in c.p (and, with keepOptimizerState, the
 * optimiser's buffers in c; otherwise c's are reset). Returns false if a parameter became non-finite.
 * The criterion is not checked here: a phase before the last is preparation (docs/regimes.md).
 */
export function runPrePhases(c: CompiledUnit, s: RngState): boolean {
  const keep = c.keepOptimizerState;
  let from = c;
  for (const u of c.pre) {
    carry(from, u, keep && from !== c);
    from = u;
    if (!advance(u, s)) {
      c.p.set(u.p);
      return false;
    }
  }
  carry(from, c, keep);
  return true;
}

/** Copies the state from one phase's unit to the next, and the optimiser's buffers if kept. */
function carry(from: CompiledUnit, to: CompiledUnit, keep: boolean): void {
  to.p.set(from.p);
  if (keep) {
    to.buf.set(from.buf);
    to.m.set(from.m);
    to.v.set(from.v);
  } else resetOptimizerState(to);
}

/** All of one phase's updates; false at the first non-finite parameter. */
function advance(u: CompiledUnit, s: RngState): boolean {
  const p = u.p, T = u.steps, reduced = u.reduced, plain = u.norm === NORM_BN;
  for (let t = 0; t < T; t++) {
    if (reduced) reducedGradients(u, s);
    else batchGradients(u, s);
    if (plain) optimizerStep(u, t);
    else normUpdate(u, t);
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) return false;
  }
  return true;
}
