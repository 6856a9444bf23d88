import seedrandom from "seedrandom";
import { createRngState, type RngState } from "./xoshiro.ts";

/**
 * Seeds a generator state from a text key through seedrandom's ARC4 mixing.
 * Keys name a trajectory completely (seed, cell, index), so a trajectory's random numbers do not
 * depend on which worker, shard or order ran it.
 */
export function seedState(key: string, into: RngState = createRngState()): RngState {
  const arc4 = seedrandom(key);
  for (let i = 0; i < 4; i++) into[i] = arc4.int32();
  if ((into[0] | into[1] | into[2] | into[3]) === 0) into[0] = 1; // the all-zero state is a fixed point
  return into;
}

/** The key of trajectory `index` of the cell `cellKey` under seed `seed`. */
export function trajectoryKey(seed: string | number, cellKey: string, index: number): string {
  return `bn-collapse/${seed}/${cellKey}/${index}`;
}
