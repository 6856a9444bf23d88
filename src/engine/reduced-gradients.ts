import { ratioOf } from "../model/criteria.ts";
import { fillNormal } from "../rng/normal.ts";
import type { Compiled, PhaseConstants } from "./compiled.ts";
import type { UnitState } from "./state.ts";
import { LAW_E0, LAW_E1, LAW_L11, LAW_L21, LAW_L22, LAW_LIMIT, LAW_NODES, LAW_PER_UNIT, exactStepLaw } from "./step-law.ts";

/**
 * The reduced model's gradient (docs/reduced-model.md): writes into the scratch g, for every active
 * unit u of the state (independent trajectories: the lanes of src/engine/reduced-lanes.ts, or one),
 * one draw of
 *
 *   (dL/dgamma, dL/dbeta) ~ N(signal (e1, e0), (sigma^2 / B) [[m2, m1], [m1, m0]])
 *
 * with the moments of src/theory/gradient-moments.ts at the unit's r = beta / |gamma|, in place of a
 * batch (read, with the noise's Cholesky factor, from the tables of src/engine/step-law.ts). Where
 * every batch lies on one side of the kink (|r| >= sqrt(B - 1), since |xhat_i| < sqrt(B - 1)), the
 * mechanistic law is known exactly and is used instead: every sample has the same slope a (1 above,
 * alpha below), so the moments are (a, 0, a^2, 0, a^2). For ReLU below that is the dead region: zero
 * mean, zero noise, no draws.
 *
 * Unit u reads (gamma, beta) at p[2u], p[2u + 1], writes g[2u], g[2u + 1], and takes its normals from
 * its pool starting at poolNext[u] (refilling the whole pool from its stream when it runs out; the
 * same sequence as drawing two per step). One loop over the units, so that the independent steps of
 * the lanes overlap in the processor.
 */
export function reducedGradients(c: Compiled, ph: PhaseConstants, s: UnitState): void {
  const n = s.active, p = s.p, g = c.scratch.g, next = s.poolNext, pools = s.pools, states = s.streams;
  const bound = c.unit.sideBound, alpha = c.unit.alpha, law = c.stepLaw!, exact = c.scratch.law;
  const noiseTable = law.noise, meanTable = law.mean;
  const noisy = ph.noiseScale !== 0, k = ph.noisePerSqrtBatch, mu = ph.signal, withMean = mu !== 0;
  for (let l = 0; l < n; l++) {
    const gamma = p[2 * l], beta = p[2 * l + 1];
    const r = ratioOf(gamma, beta);
    // mean (e0, e1) and Cholesky factor (l11, l21, l22) of the gradient at r
    let e0 = 0, e1 = 0, l11: number, l21: number, l22: number;
    if (r <= -bound || r >= bound) {
      // every sample on one side of the kink. Active needs beta > 0 as well as r >= bound only at
      // gamma = 0, where every y_i = beta and y = 0 takes the negative side's slope f'(0) = alpha
      const a = r >= bound && beta > 0 ? 1 : alpha;
      if (a === 0) {
        g[2 * l] = 0;
        g[2 * l + 1] = 0;
        continue;
      }
      e0 = a; l11 = a; l21 = 0; l22 = a;
    } else if (r > -LAW_LIMIT && r < LAW_LIMIT) {
      const x = (r + LAW_LIMIT) * LAW_PER_UNIT; // in (0, LAW_NODES - 1): truncation is the floor
      let node = x | 0;
      if (node > LAW_NODES - 2) node = LAW_NODES - 2;
      const u = x - node, at = 6 * node, sign = gamma > 0 ? 1 : -1;
      // cubic Hermite basis on the cell (the tables hold value and h x slope at each node); written
      // out rather than called, so that no call can be left un-inlined in this loop
      const u2 = u * u, u3 = u2 * u;
      const b00 = 2 * u3 - 3 * u2 + 1, b10 = u3 - 2 * u2 + u, b01 = -2 * u3 + 3 * u2, b11 = u3 - u2;
      const t = noiseTable;
      l11 = b00 * t[at] + b10 * t[at + 1] + b01 * t[at + 6] + b11 * t[at + 7];
      l21 = sign * (b00 * t[at + 2] + b10 * t[at + 3] + b01 * t[at + 8] + b11 * t[at + 9]);
      l22 = b00 * t[at + 4] + b10 * t[at + 5] + b01 * t[at + 10] + b11 * t[at + 11];
      if (withMean) {
        const am = 4 * node, m = meanTable;
        e0 = b00 * m[am] + b10 * m[am + 1] + b01 * m[am + 4] + b11 * m[am + 5];
        e1 = sign * (b00 * m[am + 2] + b10 * m[am + 3] + b01 * m[am + 6] + b11 * m[am + 7]);
      }
    } else {
      // beyond the tables (|r| >= 8, which needs B > 65): the exact law
      exactStepLaw(r, alpha, exact);
      const sign = gamma > 0 ? 1 : -1;
      e0 = exact[LAW_E0]; e1 = sign * exact[LAW_E1];
      l11 = exact[LAW_L11]; l21 = sign * exact[LAW_L21]; l22 = exact[LAW_L22];
    }
    let noiseG = 0, noiseB = 0;
    if (noisy) {
      const pool = pools[l];
      let at = next[l];
      if (at + 2 > pool.length) {
        fillNormal(states[l], pool, pool.length);
        at = 0;
      }
      const z1 = pool[at], z2 = pool[at + 1];
      next[l] = at + 2;
      noiseG = k * (l11 * z1);
      noiseB = k * (l21 * z1 + l22 * z2);
    }
    g[2 * l] = mu * e1 + noiseG;
    g[2 * l + 1] = mu * e0 + noiseB;
  }
}
