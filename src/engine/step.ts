import { batchGradients } from "./batch-gradients.ts";
import { MODEL_MECHANISTIC, MODEL_REDUCED, NORM_PSBN, NORM_REVIVE, NORM_RSHIFT, type Compiled } from "./compiled.ts";
import { layerGradients } from "./layer-gradients.ts";
import { optimizerStep } from "./optimizer.ts";
import { reviveShift, rshiftUpdate, shiftedUpdate } from "./psbn.ts";
import { reducedGradients } from "./reduced-gradients.ts";
import type { UnitState } from "./state.ts";

/**
 * One update of every active unit of s, in its current phase: the algorithm's gradient (a batch
 * through BN, the reduced law, or a layer's batch), then the optimiser on every trained parameter,
 * through the norm's parameterisation (plain BN, psBN, rshift, revive's shift); then s.t and s.age
 * advance. Every loop of the engine is this step plus its own bookkeeping: one trajectory through its
 * phases (src/engine/trajectory.ts), the reduced model's lanes (src/engine/reduced-lanes.ts) and a
 * layer of units (src/layer/layer.ts); what they check after it is checkUnit (trajectory.ts).
 */
export function step(c: Compiled, s: UnitState): void {
  const ph = c.phases[s.phase];
  const model = c.model;
  if (model === MODEL_MECHANISTIC) batchGradients(c, ph, s);
  else if (model === MODEL_REDUCED) reducedGradients(c, ph, s);
  else layerGradients(c, s);
  const g = c.scratch.g, n = s.active * c.width + c.trainedShared, norm = c.unit.norm;
  if (norm === NORM_RSHIFT) rshiftUpdate(c, ph, s, g, n);
  else if (norm === NORM_PSBN) shiftedUpdate(c, ph, s, g, n);
  else {
    optimizerStep(ph, s, g, n);
    if (norm === NORM_REVIVE) reviveShift(c, s);
  }
  s.t++;
  s.age++;
}
