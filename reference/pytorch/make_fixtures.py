"""The committed fixtures of `bn-collapse scan`'s tests, written by real PyTorch.

- fixtures/dtypes.safetensors: F64, F32, F16, BF16 and I64 tensors of landmark values (zeros,
  subnormals, the largest finite, infinities, NaN, a third), with dtypes.expected.json holding the
  exact double of every element as torch converts it (repr of a float round-trips exactly).
- checkpoints/digits-*.safetensors: trained digits MLPs (digits_mlp.py) saved in F32 and in BF16,
  with NAME.expected.json: per BN layer, the channels torch finds collapsed by each criterion
  (computed in float64 from the tensors as saved, after the cast), and the run's own final counts.

Usage: python3 reference/pytorch/make_fixtures.py      (about a minute)
"""

import json
import math
import os
import statistics
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import digits_mlp  # noqa: E402
import safetensors_io  # noqa: E402

# (run as OPTIMIZER:LR:WEIGHT_DECAY:SEED, dtype): one with many dead units, one with weight decay in BF16
CHECKPOINTS = [("adam:0.1:0:1", "f32"), ("adam:0.01:0.0005:1", "bf16")]
CRITERIA = {"dead": -math.sqrt(digits_mlp.BATCH - 1), "ratio:3": -3.0, "sparsity:0.99": statistics.NormalDist().inv_cdf(0.01)}
GAMMA_EPS = 1e-3
BN_EPS = 1e-5


def exact(values):
    """Doubles as JSON: numbers, with the non-finite ones as strings."""
    return [v if math.isfinite(v) else ("NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")) for v in values]


def dtype_fixture(folder):
    landmarks = [0.0, -0.0, 1.0, -2.5, 1 / 3, 65504.0, 6.103515625e-05, 5.960464477539063e-08, 1e-40, 3.0e38, math.inf, -math.inf, math.nan]
    src = torch.tensor(landmarks, dtype=torch.float64)
    tensors = {
        "f64": src.clone(),
        "f32": src.to(torch.float32),
        "f16": src.to(torch.float16),
        "bf16": src.to(torch.bfloat16),
        "f16_2d": torch.linspace(-3, 3, 12, dtype=torch.float64).reshape(3, 4).to(torch.float16),
        "i64": torch.tensor([0, -1, 2**40, 7], dtype=torch.int64),
    }
    safetensors_io.save(os.path.join(folder, "dtypes.safetensors"), tensors, {"format": "pt", "source": "make_fixtures.py"})
    expected = {name: {"dtype": safetensors_io._DTYPES[t.dtype][0], "shape": list(t.shape), "values": exact(t.double().flatten().tolist())} for name, t in tensors.items()}
    with open(os.path.join(folder, "dtypes.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def collapsed(state, prefix):
    g = state[f"{prefix}.weight"].double()
    b = state[f"{prefix}.bias"].double()
    r = torch.where(g == 0, torch.where(b < 0, -math.inf, math.inf), b / g.abs())
    out = {name: torch.nonzero(r <= t).flatten().tolist() for name, t in CRITERIA.items()}
    out[f"gamma:{GAMMA_EPS}"] = torch.nonzero(g.abs() <= GAMMA_EPS).flatten().tolist()
    out["constantInput"] = torch.nonzero(state[f"{prefix}.running_var"].double() <= BN_EPS).flatten().tolist()
    return out


def checkpoint_fixture(folder, spec, dtype):
    *opt, lr, wd, seed = spec.split(":")
    name = f"digits-{''.join(opt)}-lr{float(lr):g}-wd{float(wd):g}-seed{seed}-{dtype}"
    path = os.path.join(folder, f"{name}.safetensors")
    run, _ = digits_mlp.train(":".join(opt), float(lr), float(wd), int(seed), checkpoint=path, dtype=dtype)
    saved, meta = safetensors_io.load(path)
    layers = {f"bn.{l}": collapsed(saved, f"bn.{l}") for l in range(len(digits_mlp.HIDDEN))}
    expected = {"run": spec, "dtype": dtype, "batch": digits_mlp.BATCH, "metadata": meta, "layers": layers,
                "training": {"final": run["final"], "trainAcc": run["final"]["trainAcc"]}}
    with open(os.path.join(folder, f"{name}.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    dead = [len(v["dead"]) for v in layers.values()]
    print(f"{name}: {os.path.getsize(path)} bytes, dead per layer {dead} (training's own count {[L['dead'] for L in run['final']['layers']]})", file=sys.stderr)


def main():
    torch.set_num_threads(1)
    fixtures = os.path.join(HERE, "fixtures")
    checkpoints = os.path.join(HERE, "checkpoints")
    os.makedirs(fixtures, exist_ok=True)
    os.makedirs(checkpoints, exist_ok=True)
    dtype_fixture(fixtures)
    for spec, dtype in CHECKPOINTS:
        checkpoint_fixture(checkpoints, spec, dtype)


if __name__ == "__main__":
    main()
