"""Safetensors files written and read by hand (the `safetensors` package is not on Debian).

Layout (huggingface/safetensors, README "Format"): 8 bytes, the header length N as an unsigned
little-endian 64-bit integer; N bytes of UTF-8 JSON, an object mapping each tensor name to
{"dtype", "shape", "data_offsets": [begin, end]} plus an optional "__metadata__" object of strings;
then the byte buffer, in which [begin, end) are relative to the buffer's start, tile it without
holes or overlaps, and are row-major little-endian. The reference writer pads the header with
spaces to a multiple of 8 bytes, so that every tensor is aligned; so does this one.
"""

import json
import struct

import numpy as np
import torch

# torch dtype -> (safetensors name, numpy little-endian dtype used to get the bytes)
_DTYPES = {
    torch.float64: ("F64", "<f8"),
    torch.float32: ("F32", "<f4"),
    torch.float16: ("F16", "<f2"),
    torch.bfloat16: ("BF16", None),  # numpy has no bfloat16: the bits go through int16
    torch.int64: ("I64", "<i8"),
    torch.int32: ("I32", "<i4"),
    torch.int16: ("I16", "<i2"),
    torch.int8: ("I8", "i1"),
    torch.uint8: ("U8", "u1"),
    torch.bool: ("BOOL", "?"),
}
_BY_NAME = {name: (dt, npdt) for dt, (name, npdt) in _DTYPES.items()}


def tensor_bytes(t):
    """The row-major little-endian bytes of a tensor, as safetensors stores them."""
    t = t.detach().cpu().contiguous()
    name, npdt = _DTYPES[t.dtype]
    if name == "BF16":
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(npdt).tobytes()


def save(path, tensors, metadata=None):
    """Writes {name: tensor} to `path` in header order (sorted by name), checking the write."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {"dtype": _DTYPES[t.dtype][0], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    blob = struct.pack("<Q", len(text)) + text + b"".join(chunks)
    with open(path, "wb") as f:
        written = f.write(blob)
    if written != len(blob):
        raise OSError(f"{path}: short write ({written} of {len(blob)} bytes)")
    return len(blob)


def load(path):
    """Reads a file written by `save` (or any well-formed safetensors file of the dtypes above)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dt, npdt = _BY_NAME[info["dtype"]]
        begin, end = info["data_offsets"]
        raw = blob[base + begin : base + end]
        if dt == torch.bfloat16:
            arr = np.frombuffer(raw, dtype="<i2").copy()
            t = torch.from_numpy(arr).view(torch.bfloat16)
        else:
            t = torch.from_numpy(np.frombuffer(raw, dtype=npdt).copy())
        out[name] = t.reshape(info["shape"])
    return out, header.get("__metadata__", {})
