/** The safetensors reader (src/scan/safetensors.ts): every dtype, exact half floats, every malformed file. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../src/model/errors.ts";
import { bfloat16ToNumber, halfToNumber, MAX_HEADER_BYTES, readSafetensors } from "../src/scan/safetensors.ts";
import { encode, safetensorsBytes, type RawTensor } from "./safetensors-writer.ts";

/** The textbook half -> single widening (normalise subnormals by shifting), read back as a float32. */
function halfViaFloat32(h: number): number {
  const sign = (h & 0x8000) << 16;
  let exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  let bits: number;
  if (exponent === 0x1f) bits = sign | 0x7f800000 | (mantissa << 13);
  else if (exponent === 0) {
    if (mantissa === 0) bits = sign;
    else {
      exponent = 1;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        exponent--;
      }
      bits = sign | ((exponent - 15 + 127) << 23) | ((mantissa & 0x3ff) << 13);
    }
  } else bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, bits >>> 0);
  return v.getFloat32(0);
}

function bfloat16ViaFloat32(b: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, (b << 16) >>> 0);
  return v.getFloat32(0);
}

test("F16 and BF16: all 65536 bit patterns decode exactly as their widening to float32", () => {
  for (let b = 0; b < 65536; b++) {
    assert.ok(Object.is(halfToNumber(b), halfViaFloat32(b)), `F16 0x${b.toString(16)}: ${halfToNumber(b)} vs ${halfViaFloat32(b)}`);
    assert.ok(Object.is(bfloat16ToNumber(b), bfloat16ViaFloat32(b)), `BF16 0x${b.toString(16)}`);
  }
  // landmarks, by value
  assert.equal(halfToNumber(0x3c00), 1);
  assert.equal(halfToNumber(0x7bff), 65504);
  assert.equal(halfToNumber(0x0001), 2 ** -24);
  assert.equal(halfToNumber(0x0400), 2 ** -14);
  assert.equal(bfloat16ToNumber(0x3f80), 1);
  assert.equal(bfloat16ToNumber(0x0001), 2 ** -133);
});

test("round trip: a file with every decoded dtype, a scalar, an empty tensor and metadata reads back exactly", () => {
  const halfBits = [0x0000, 0x8000, 0x3c00, 0xc100, 0x7bff, 0x0001, 0x03ff, 0x7c00, 0xfc00, 0x7e00];
  const bf16Bits = [0x0000, 0x8000, 0x3f80, 0xc020, 0x7f7f, 0x0001, 0x007f, 0x7f80, 0xff80, 0x7fc0];
  const values = {
    F64: [0, -0, 1 / 3, -1e300, 5e-324, Infinity, NaN],
    F32: [0, 1.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45, -Infinity],
    I64: [0, -1, 2 ** 53 - 1, -(2 ** 40)],
    I32: [0, -2147483648, 2147483647],
    I16: [-32768, 32767],
    I8: [-128, 127],
    U8: [0, 255],
    U16: [0, 65535],
    U32: [0, 4294967295],
    U64: [0, 2 ** 52],
    BOOL: [0, 1, 1],
  } as const;
  const tensors: Record<string, RawTensor> = {};
  for (const [dtype, vs] of Object.entries(values)) tensors[dtype.toLowerCase()] = { dtype, shape: [vs.length], bytes: encode(dtype, vs) };
  tensors.f16 = { dtype: "F16", shape: [2, 5], bytes: encode("F16", halfBits) };
  tensors.bf16 = { dtype: "BF16", shape: [5, 2], bytes: encode("BF16", bf16Bits) };
  tensors.scalar = { dtype: "F32", shape: [], bytes: encode("F32", [7]) };
  tensors.empty = { dtype: "F32", shape: [3, 0], bytes: new Uint8Array(0) };
  tensors.fp8 = { dtype: "F8_E4M3", shape: [2], bytes: Uint8Array.of(0x38, 0xb8) };
  const file = readSafetensors(safetensorsBytes(tensors, { metadata: { format: "pt", note: "ünïcode" } }), "t.safetensors");
  assert.deepEqual(file.metadata, { format: "pt", note: "ünïcode" });
  for (const [dtype, vs] of Object.entries(values)) {
    const t = file.tensors.get(dtype.toLowerCase())!;
    assert.equal(t.dtype, dtype);
    const expected = dtype === "F32" ? vs.map(Math.fround) : vs;
    assert.deepEqual(Array.from(t.values!), expected, dtype);
  }
  assert.ok(Object.is(file.tensors.get("f64")!.values![1], -0));
  assert.deepEqual(Array.from(file.tensors.get("f16")!.values!), [0, -0, 1, -2.5, 65504, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity, NaN]);
  assert.deepEqual(file.tensors.get("f16")!.shape, [2, 5]);
  assert.deepEqual(Array.from(file.tensors.get("bf16")!.values!), [0, -0, 1, -2.5, 3.3895313892515355e38, 2 ** -133, 127 * 2 ** -133, Infinity, -Infinity, NaN]);
  assert.deepEqual(Array.from(file.tensors.get("scalar")!.values!), [7]);
  assert.deepEqual(file.tensors.get("scalar")!.shape, []);
  assert.equal(file.tensors.get("empty")!.values!.length, 0);
  assert.equal(file.tensors.get("fp8")!.values, null, "F8 is a known size but not decoded");
  assert.equal(file.tensors.size, Object.keys(tensors).length);
});

test("the header may list tensors in any order, and data need not be aligned", () => {
  const a = { dtype: "F32", shape: [2], bytes: encode("F32", [1, 2]) };
  const b = { dtype: "F64", shape: [1], bytes: encode("F64", [3]) };
  // data laid out b then a; the header lists a first
  const reversed = (t: string) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(t)).reverse()));
  for (const pad of [true, false]) {
    const file = readSafetensors(safetensorsBytes({ b, a }, { headerText: reversed, pad }), "x");
    assert.deepEqual([...file.tensors.keys()], ["b", "a"], "tensors come in the order of their bytes");
    assert.deepEqual(Array.from(file.tensors.get("a")!.values!), [1, 2]);
    assert.deepEqual(Array.from(file.tensors.get("b")!.values!), [3]);
  }
  const unpadded = safetensorsBytes({ b, a }, { pad: false });
  assert.notEqual((unpadded.length - 16 - 8) % 8, 0, "the unpadded header really leaves the data unaligned");
});

const ok = { w: { dtype: "F32", shape: [2, 2], bytes: encode("F32", [1, 2, 3, 4]) }, b: { dtype: "F32", shape: [2], bytes: encode("F32", [5, 6]) } };

/** Each malformed file, and a fragment of the one-line message that must name its problem. */
const MALFORMED: [string, Uint8Array, RegExp][] = [
  ["empty", new Uint8Array(0), /empty file/],
  ["shorter than 8 bytes", Uint8Array.of(1, 2, 3), /3 bytes: too short/],
  ["header length past the end", safetensorsBytes(ok, { headerLength: 10_000n }), /header length 10000 runs past the end of the file/],
  ["header length over the limit", safetensorsBytes(ok, { headerLength: BigInt(MAX_HEADER_BYTES) + 1n }), /exceeds the format's limit of 100000000 bytes/],
  ["header length 2^64 - 1", safetensorsBytes(ok, { headerLength: (1n << 64n) - 1n }), /exceeds the format's limit/],
  ["header not starting with {", safetensorsBytes(ok, { headerText: (t) => " " + t }), /does not start with "\{"/],
  ["header not JSON", safetensorsBytes(ok, { headerText: (t) => t.slice(0, -1) + ",}" }), /not valid JSON/],
  ["header a JSON array", safetensorsBytes({}, { headerText: () => "[]" }), /does not start with "\{"/],
  ["header not UTF-8", safetensorsBytes(ok, { headerText: (t) => t.replace('"w"', '"w\u00ff"') }).map((x, k, a) => (k > 8 && a[k - 1] === 0xc3 && x === 0xbf ? 0xff : x)), /not valid UTF-8/],
  ["unknown dtype", safetensorsBytes({ w: { dtype: "F12", shape: [2], bytes: new Uint8Array(3) } }), /tensor "w": unknown dtype "F12"/],
  ["shape does not match the bytes", safetensorsBytes({ w: { dtype: "F32", shape: [3], bytes: encode("F32", [1, 2]) } }), /tensor "w": shape \[3\] of F32 needs 12 bytes, data_offsets give 8/],
  ["negative dimension", safetensorsBytes({ w: { dtype: "F32", shape: [-1], bytes: new Uint8Array(0) } }), /shape must be an array of non-negative integers/],
  ["offsets out of range (truncated data)", safetensorsBytes(ok).slice(0, -4), /run past the end of the data/],
  ["offsets overlapping", safetensorsBytes(ok, { offsets: { b: [8, 16] }, trailing: 0 }), /tensor "b": data_offsets \[8, 16\] overlap the previous tensor's bytes \(which end at 16\)/],
  ["a hole between tensors", safetensorsBytes(ok, { offsets: { b: [20, 28] }, trailing: 4 }), /leaving a hole after byte 16/],
  ["offsets not starting at 0", safetensorsBytes({ b: ok.b }, { offsets: { b: [4, 12] }, trailing: 4 }), /begin at 4, leaving a hole after byte 0/],
  ["bytes after the last tensor", safetensorsBytes(ok, { trailing: 8 }), /cover 24 bytes of data but the file holds 32/],
  ["end before begin", safetensorsBytes(ok, { offsets: { b: [24, 16] } }), /end before they begin/],
  ["offsets not a pair", safetensorsBytes(ok, { headerText: (t) => t.replace("[16,24]", "[16]") }), /data_offsets must be \[begin, end\]/],
  ["duplicate name (the second wins, the first leaves a hole)", safetensorsBytes(ok, { headerText: (t) => t.replace('"b":', '"w":') }), /tensor "w": data_offsets begin at 16, leaving a hole after byte 0/],
  ["metadata not strings", safetensorsBytes(ok, { metadata: { epoch: 3 } }), /"__metadata__"\."epoch" must be a string/],
  ["a tensor entry not an object", safetensorsBytes(ok, { headerText: (t) => t.replace(/"b":\{[^}]*\}/, '"b":7') }), /tensor "b": not an object/],
  ["a zip archive (torch.save)", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]), /zip archive/],
  ["a pickle", Uint8Array.from([0x80, 0x02, 0x7d, 0x71, ...new Array(60).fill(0x20)]), /pickle/],
  ["a text file", new TextEncoder().encode("layer1.0.bn1.weight = [1, 2, 3]\n"), /not a safetensors checkpoint/],
];

for (const [what, bytes, message] of MALFORMED) {
  test(`malformed: ${what} -> one ConfigError naming the file`, () => {
    assert.throws(
      () => readSafetensors(bytes, "bad.safetensors"),
      (e: unknown) => e instanceof ConfigError && e.field === "bad.safetensors" && message.test(e.message) && !e.message.includes("\n"),
    );
  });
}

test("the well-formed file the malformed ones start from reads", () => {
  const file = readSafetensors(safetensorsBytes(ok), "ok");
  assert.deepEqual(Array.from(file.tensors.get("w")!.values!), [1, 2, 3, 4]);
});

test("fuzzed files: truncations, flipped bytes and random headers either read or fail with one ConfigError line", async () => {
  const fc = (await import("fast-check")).default;
  const good = safetensorsBytes({ ...ok, h: { dtype: "F16", shape: [3], bytes: encode("F16", [0x3c00, 0x7c00, 0x0001]) } }, { metadata: { format: "pt" } });
  const mutated = fc.oneof(
    fc.nat(good.length).map((n) => good.slice(0, n)),
    fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((flips) => {
      const b = good.slice();
      for (const [at, v] of flips) b[at] = v;
      return b;
    }),
    fc.string({ maxLength: 80 }).map((text) => {
      const h = new TextEncoder().encode(text);
      const b = new Uint8Array(8 + h.length + 8);
      new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
      b.set(h, 8);
      return b;
    }),
    fc.uint8Array({ maxLength: 64 }),
  );
  let read = 0, refused = 0;
  fc.assert(
    fc.property(mutated, (bytes) => {
      try {
        const file = readSafetensors(bytes, "f");
        for (const t of file.tensors.values()) if (t.values) assert.equal(t.values.length, t.shape.reduce((a, d) => a * d, 1));
        read++;
      } catch (e) {
        assert.ok(e instanceof ConfigError, `not a ConfigError: ${(e as Error).stack}`);
        assert.ok(!e.message.includes("\n"));
        refused++;
      }
    }),
    { seed: 15, numRuns: 600 },
  );
  assert.ok(refused > 300 && read >= 5, `${read} read, ${refused} refused`);
});
