/**
 * A reader of safetensors files (huggingface/safetensors, README "Format"): 8 bytes, the header
 * length N as an unsigned little-endian 64-bit integer; N bytes of UTF-8 JSON, an object mapping
 * each tensor name to {dtype, shape, data_offsets: [begin, end]} plus an optional "__metadata__"
 * object of strings; then the byte buffer. The checks are the reference implementation's (Rust
 * crate, `SafeTensors::read_metadata` and `Metadata::validate`): N at most 100,000,000; the header
 * starts with "{"; offsets are relative to the buffer's start, sorted they tile it exactly (the
 * first begins at 0, each begins where the previous ended, the last ends at the end of the file),
 * and each range's length is the element count times the dtype's size. Tiling also defeats
 * duplicate names, which JSON.parse would silently merge: the lost tensor leaves a hole.
 * Data is row-major little-endian; F16 and BF16 are decoded bit by bit, exactly.
 */
import { ConfigError } from "../model/errors.ts";

export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of every dtype the format defines; FLOAT ones are decoded to numbers. */
const DTYPE_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
export const DECODED_DTYPES = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "U16", "U32", "U64", "BOOL"] as const;

export interface Tensor {
  name: string;
  dtype: string;
  shape: number[];
  /** the values as doubles (exact for every float dtype and for integers below 2^53); null for F8 */
  values: Float64Array | null;
}

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Parses a whole file; any violation of the format is a ConfigError naming `file` and the problem. */
export function readSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const bad = (message: string) => new ConfigError(file, message);
  if (bytes.length === 0) throw bad("empty file, not a safetensors checkpoint");
  if (bytes.length < 8) throw bad(`${bytes.length} bytes: too short for a safetensors checkpoint (8-byte header length first)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw bad(`header length ${n} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes: not a safetensors checkpoint${otherFormat(bytes)}`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) throw bad(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes): truncated, or not a safetensors checkpoint${otherFormat(bytes)}`);
  if (headerLength === 0 || bytes[8] !== 0x7b) throw bad(`header does not start with "{": not a safetensors checkpoint`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw bad("header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw bad(`header is not valid JSON (${(e as Error).message})`);
  }

  const base = 8 + headerLength;
  const bufferLength = bytes.length - base;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (info === null || typeof info !== "object" || Array.isArray(info)) throw bad(`"__metadata__" must be an object of strings`);
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== "string") throw bad(`"__metadata__"."${k}" must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    const where = `tensor "${name}"`;
    const o = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw bad(`${where}: not an object {dtype, shape, data_offsets}`);
    if (typeof o.dtype !== "string" || !Object.hasOwn(DTYPE_SIZE, o.dtype)) throw bad(`${where}: unknown dtype ${JSON.stringify(o.dtype)} (known: ${Object.keys(DTYPE_SIZE).join(", ")})`);
    if (!Array.isArray(o.shape) || !o.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`${where}: shape must be an array of non-negative integers`);
    const offsets = o.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`${where}: data_offsets must be [begin, end], non-negative integers`);
    const [begin, end] = offsets as number[];
    if (end < begin) throw bad(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > bufferLength) throw bad(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${bufferLength} bytes): truncated file`);
    const count = (o.shape as number[]).reduce((a, d) => a * d, 1);
    const size = DTYPE_SIZE[o.dtype];
    if (!Number.isSafeInteger(count * size) || count * size !== end - begin) {
      throw bad(`${where}: shape [${o.shape.join(", ")}] of ${o.dtype} needs ${count * size} bytes, data_offsets give ${end - begin}`);
    }
    entries.push({ name, dtype: o.dtype, shape: o.shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of entries) {
    if (e.begin < at) throw bad(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor's bytes (which end at ${at})`);
    if (e.begin > at) throw bad(`tensor "${e.name}": data_offsets begin at ${e.begin}, leaving a hole after byte ${at} (a duplicate name, or a damaged header)`);
    at = e.end;
  }
  if (at !== bufferLength) throw bad(`the tensors cover ${at} bytes of data but the file holds ${bufferLength} after the header`);

  const tensors = new Map<string, Tensor>();
  for (const e of entries) tensors.set(e.name, { name: e.name, dtype: e.dtype, shape: e.shape, values: decode(view, base + e.begin, e.end - e.begin, e.dtype) });
  return { tensors, metadata };
}

/** A hint when the first bytes are those of another format checkpoints come in. */
function otherFormat(bytes: Uint8Array): string {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return " (it is a zip archive: a torch.save checkpoint? save it with safetensors instead)";
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return " (it is a Python pickle: a legacy torch.save checkpoint?)";
  if (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) return " (it is an HDF5 file: a Keras checkpoint?)";
  return "";
}

/** The values of `length` bytes at `offset` as doubles, or null for a dtype that is not decoded. */
function decode(view: DataView, offset: number, length: number, dtype: string): Float64Array | null {
  if (!(DECODED_DTYPES as readonly string[]).includes(dtype)) return null;
  const size = DTYPE_SIZE[dtype];
  const out = new Float64Array(length / size);
  for (let k = 0, at = offset; k < out.length; k++, at += size) {
    switch (dtype) {
      case "F64": out[k] = view.getFloat64(at, true); break;
      case "F32": out[k] = view.getFloat32(at, true); break;
      case "F16": out[k] = halfToNumber(view.getUint16(at, true)); break;
      case "BF16": out[k] = bfloat16ToNumber(view.getUint16(at, true)); break;
      case "I64": out[k] = Number(view.getBigInt64(at, true)); break;
      case "U64": out[k] = Number(view.getBigUint64(at, true)); break;
      case "I32": out[k] = view.getInt32(at, true); break;
      case "U32": out[k] = view.getUint32(at, true); break;
      case "I16": out[k] = view.getInt16(at, true); break;
      case "U16": out[k] = view.getUint16(at, true); break;
      case "I8": out[k] = view.getInt8(at); break;
      default: out[k] = view.getUint8(at); // U8, BOOL
    }
  }
  return out;
}

/** IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  if (exponent === 0) return sign * fraction * 2 ** -24; // subnormal: fraction/2^10 * 2^-14
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16, the upper half of a binary32: 1 sign bit, 8 exponent bits (bias 127), 7 fraction bits. */
export function bfloat16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 7) & 0xff;
  const fraction = bits & 0x7f;
  if (exponent === 0xff) return fraction ? NaN : sign * Infinity;
  if (exponent === 0) return sign * fraction * 2 ** -133; // subnormal: fraction/2^7 * 2^-126
  return sign * (1 + fraction / 128) * 2 ** (exponent - 127);
}
