/**
 * seedrandom's string seeding (seedrandom 3.0.5: its `mixkey` key schedule, then RC4-drop[256]),
 * rewritten over typed arrays: `writeArc4Int32s(key, out)` writes what the first out.length calls of
 * `seedrandom(key).int32()` return. The package builds closures and strings on every call (about
 * 8 us); every trajectory seeds once, so this costs 8 ns a step at T = 1000. streams.ts checks the
 * two agree on the first key it seeds in each process, and the tests check many keys.
 */
const S = new Uint8Array(256);
const KEY = new Uint8Array(256);

export function writeArc4Int32s(key: string, out: Int32Array): void {
  // mixkey: smear the key's UTF-16 code units into at most 256 bytes
  const n = key.length;
  KEY.fill(0);
  let smear = 0;
  for (let j = 0; j < n; j++) {
    const slot = j & 255;
    smear ^= KEY[slot] * 19;
    KEY[slot] = (smear + key.charCodeAt(j)) & 255;
  }
  const keyLength = n === 0 ? 1 : Math.min(n, 256); // the empty key is [0]

  // RC4 key scheduling
  for (let i = 0; i < 256; i++) S[i] = i;
  let j = 0;
  for (let i = 0, k = 0; i < 256; i++) {
    const t = S[i];
    j = (j + KEY[k] + t) & 255;
    S[i] = S[j];
    S[j] = t;
    if (++k === keyLength) k = 0; // k = i % keyLength without a division
  }

  // drop 256 outputs, then 4 bytes (first byte most significant) per int32
  let i = 0;
  j = 0;
  for (let k = 0; k < 256; k++) {
    i = (i + 1) & 255;
    const t = S[i];
    j = (j + t) & 255;
    S[i] = S[j];
    S[j] = t;
  }
  for (let w = 0; w < out.length; w++) {
    let r = 0;
    for (let b = 0; b < 4; b++) {
      i = (i + 1) & 255;
      const t = S[i];
      j = (j + t) & 255;
      const u = S[j];
      S[i] = u;
      S[j] = t;
      r = (r << 8) | S[(u + t) & 255];
    }
    out[w] = r;
  }
}
