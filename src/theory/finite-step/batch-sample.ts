import { cos, log, sin } from "../../stats/det-math.ts";
import { TWO_PI } from "../det-special.ts";
import { seedState } from "../../rng/streams.ts";
import { uniform53 } from "../../rng/xoshiro.ts";

/**
 * `count` standardised batches of size `size` (each row h_i - mean(h) scaled to sum of squares = size,
 * i.e. BN's xhat with eps = 0: a uniform point of the sphere sum = 0, sum of squares = size), from a
 * fixed stream keyed by `key`. The normals are Box-Muller pairs on det-math.ts (not the engine's
 * ziggurat, whose rare tail branch uses Math.log), so the same key gives the same bits everywhere.
 */
export function standardisedBatches(size: number, count: number, key: string): Float64Array {
  const state = seedState(key);
  const out = new Float64Array(size * count);
  const row = new Float64Array(size);
  let spare = NaN;
  for (let m = 0; m < count; m++) {
    let sum = 0;
    for (let i = 0; i < size; i++) {
      let z: number;
      if (spare === spare) {
        z = spare;
        spare = NaN;
      } else {
        const radius = Math.sqrt(-2 * log(1 - uniform53(state))), angle = TWO_PI * uniform53(state);
        z = radius * cos(angle);
        spare = radius * sin(angle);
      }
      row[i] = z;
      sum += z;
    }
    const mean = sum / size;
    let ss = 0;
    for (let i = 0; i < size; i++) {
      row[i] -= mean;
      ss += row[i] * row[i];
    }
    const scale = Math.sqrt(size / ss);
    for (let i = 0; i < size; i++) out[m * size + i] = row[i] * scale;
  }
  return out;
}
