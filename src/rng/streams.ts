import seedrandom from "seedrandom";
import { writeArc4Int32s } from "./arc4.ts";
import { createRngState, type RngState } from "./xoshiro.ts";

let checkedAgainstPackage = false;

/**
 * Seeds a generator state from a text key through seedrandom's ARC4 mixing: the state is the first
 * four `seedrandom(key).int32()` values. They are computed by src/rng/arc4.ts (the same algorithm
 * without the package's per-call allocations); the first key of each process is also run through
 * the package, and a difference (another seedrandom version, say) stops the run rather than
 * silently changing every trajectory.
 * Keys name a trajectory completely (seed, family, index: src/rng/keys.ts), so a trajectory's
 * random numbers do not depend on which worker, shard or order ran it.
 */
export function seedState(key: string, into: RngState = createRngState()): RngState {
  writeArc4Int32s(key, into);
  if (!checkedAgainstPackage) {
    const arc4 = seedrandom(key);
    for (let i = 0; i < 4; i++) {
      if (arc4.int32() !== into[i]) {
        throw new Error(`seeding: src/rng/arc4.ts disagrees with the seedrandom package on key ${JSON.stringify(key)}`);
      }
    }
    checkedAgainstPackage = true;
  }
  if ((into[0] | into[1] | into[2] | into[3]) === 0) into[0] = 1; // the all-zero state is a fixed point
  return into;
}
