/** Test helper (not a test file): safetensors bytes written by hand, well-formed or deliberately not. */

export interface RawTensor {
  dtype: string;
  shape: number[];
  /** the tensor's bytes, already encoded */
  bytes: Uint8Array;
}

/** Little-endian bytes of numbers in a dtype that DataView can write (F64, F32, I64, I32, U8, ...). */
export function encode(dtype: string, values: readonly number[]): Uint8Array {
  const size = { F64: 8, F32: 4, I64: 8, U64: 8, I32: 4, U32: 4, I16: 2, U16: 2, F16: 2, BF16: 2, I8: 1, U8: 1, BOOL: 1 }[dtype];
  if (!size) throw new Error(`encode: ${dtype}`);
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, k) => {
    const at = k * size;
    switch (dtype) {
      case "F64": v.setFloat64(at, x, true); break;
      case "F32": v.setFloat32(at, x, true); break;
      case "I64": v.setBigInt64(at, BigInt(x), true); break;
      case "U64": v.setBigUint64(at, BigInt(x), true); break;
      case "I32": v.setInt32(at, x, true); break;
      case "U32": v.setUint32(at, x, true); break;
      case "I16": v.setInt16(at, x, true); break;
      case "U16": case "F16": case "BF16": v.setUint16(at, x, true); break; // F16/BF16: x is the bit pattern
      case "I8": v.setInt8(at, x); break;
      default: v.setUint8(at, x);
    }
  });
  return out;
}

export interface FileOptions {
  metadata?: Record<string, unknown>;
  /** replace the header text (after it is built) */
  headerText?: (json: string) => string;
  /** replace the offsets of a tensor */
  offsets?: Record<string, [number, number]>;
  /** override the 8-byte header length */
  headerLength?: bigint;
  /** bytes appended after the data */
  trailing?: number;
  /** pad the header with spaces to a multiple of 8 bytes, as the reference writer does (default true) */
  pad?: boolean;
}

/** A file: tensors laid out in the given order, header padded with spaces to a multiple of 8. */
export function safetensorsBytes(tensors: Record<string, RawTensor>, options: FileOptions = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  let at = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: options.offsets?.[name] ?? [at, at + t.bytes.length] };
    at += t.bytes.length;
    chunks.push(t.bytes);
  }
  let text = JSON.stringify(header);
  if (options.headerText) text = options.headerText(text);
  let headerBytes = new TextEncoder().encode(text);
  const pad = options.pad === false ? 0 : (8 - (headerBytes.length % 8)) % 8;
  headerBytes = Uint8Array.from([...headerBytes, ...new Array(pad).fill(0x20)]);
  const total = 8 + headerBytes.length + at + (options.trailing ?? 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setBigUint64(0, options.headerLength ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let k = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, k);
    k += c.length;
  }
  return out;
}

/** A PyTorch-style BN layer's tensors, F32, with running statistics unless `stats` is false. */
export function bnTensors(prefix: string, gamma: number[], beta: number[], stats = true): Record<string, RawTensor> {
  const c = gamma.length;
  const out: Record<string, RawTensor> = {
    [`${prefix}.weight`]: { dtype: "F32", shape: [c], bytes: encode("F32", gamma) },
    [`${prefix}.bias`]: { dtype: "F32", shape: [c], bytes: encode("F32", beta) },
  };
  if (stats) {
    out[`${prefix}.running_mean`] = { dtype: "F32", shape: [c], bytes: encode("F32", new Array(c).fill(0)) };
    out[`${prefix}.running_var`] = { dtype: "F32", shape: [c], bytes: encode("F32", new Array(c).fill(1)) };
    out[`${prefix}.num_batches_tracked`] = { dtype: "I64", shape: [], bytes: encode("I64", [100]) };
  }
  return out;
}
