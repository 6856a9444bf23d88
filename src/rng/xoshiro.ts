/**
 * xoshiro128** (Blackman & Vigna), a small fast generator with 128 bits of state.
 * The state lives in an Int32Array so that the step loop neither allocates nor calls closures;
 * seeding goes through seedrandom (see streams.ts).
 */
export type RngState = Int32Array;

export function createRngState(): RngState {
  return new Int32Array(4);
}

/** Next 32 random bits, as an unsigned integer in [0, 2^32). */
export function nextUint32(s: RngState): number {
  const s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const a2 = s2 ^ s0;
  const a3 = s3 ^ s1;
  s[1] = s1 ^ a2;
  s[0] = s0 ^ a3;
  s[2] = a2 ^ t;
  s[3] = (a3 << 11) | (a3 >>> 21);
  return result;
}

const TWO_POW_M32 = 2.3283064365386963e-10; // 2^-32
const TWO_POW_M53 = 1.1102230246251565e-16; // 2^-53

/** Uniform double in [0, 1) with 53 random bits. */
export function uniform53(s: RngState): number {
  const hi = nextUint32(s) >>> 6; // 26 bits
  const lo = nextUint32(s) >>> 5; // 27 bits
  return (hi * 134217728 + lo) * TWO_POW_M53;
}

/** Uniform double in (0, 1], never 0, for logarithms. */
export function uniformOpen0(s: RngState): number {
  return 1 - uniform53(s);
}

/** Uniform in [0, 1) with 32 bits of resolution: the cheap variant for the ziggurat's body. */
export function uniform32(s: RngState): number {
  return nextUint32(s) * TWO_POW_M32;
}
