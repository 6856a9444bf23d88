"""A real BN + ReLU network: an MLP on scikit-learn's digits, and how many of its units collapse.

The network: 64 inputs -> [Linear -> BatchNorm1d -> ReLU] x 3 hidden layers of 128 units -> Linear
-> 10 logits, cross-entropy averaged over the mini-batch (L = (1/B) sum_i l_i, as MODEL.md). PyTorch
defaults everywhere (Linear's Kaiming-uniform init, BN gamma = 1, beta = 0, eps = 1e-5, momentum
0.1). Data: load_digits() (1797 8x8 images, shipped inside scikit-learn), pixels / 16, standardised
with the training set's mean and std; a fixed stratified split of 1437 training and 360 test
images (split seed 0, the same for every run). Mini-batches of B = 32 from a fresh permutation of
the training set every epoch (the last partial batch dropped), T updates in all.

Weight decay, when set, is torch's coupled L2 on every parameter (gamma and beta included), as one
gets with `optimizer(model.parameters(), weight_decay=...)`.

Measured per hidden layer (all definitions in docs/real-networks.md):
- dead cone: units with r = beta/|gamma| <= -sqrt(B - 1) (MODEL.md section 4), now and ever
  (the first update after which it held, checked after every update);
- never firing on the training set: ReLU output 0 for all 1437 training images, (a) in eval mode
  (running statistics) and (b) in training mode (batch statistics) over one pass of the training
  set in mini-batches of B (a fixed permutation);
- sigma_eff: the per-sample upstream gradient delta_i = B * dL/dz_i at the unit's ReLU output z
  (B times autograd's gradient of the batch-mean loss, i.e. the delta_i of MODEL.md's
  dL/dbeta = (1/B) sum_i delta_i f'(y_i)), as an RMS over every sample of every update while the
  unit was outside the dead cone: sigma_eff^2 T is then the integrated noise variance that enters
  tau = lr^2 sigma^2 T / (B gamma0^2).

Usage:
  python3 digits_mlp.py --out results                 the full grid (about 15 min on an idle core;
                                                       --part 1/2 and 2/2 in parallel, then --assemble)
  python3 digits_mlp.py --quick --out /tmp/digits      a cut-down grid for CI (about 1 min)
  python3 digits_mlp.py --run adam:0.05:0:1 --checkpoint x.safetensors --dtype bf16
                                                       one run (optimizer:lr:weight_decay:seed)
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

HIDDEN = (128, 128, 128)
BATCH = 32
STEPS = 2000
EVERY = 100  # snapshot interval (updates)
SIGMA_GROUPS = 8  # quantile groups of the per-unit sigma_eff, for the mixture prediction

FULL_GRID = {
    "sgd": [0.3, 1.0, 2.0, 3.0, 5.0],
    "momentum:0.9": [0.03, 0.1, 0.3, 0.5],
    "adam": [0.001, 0.01, 0.03, 0.1],
}
FULL_WD = [0.0, 5e-4]
FULL_SEEDS = [1, 2, 3]  # the committed table also has a seed 4 for every SGD cell below lr 5
QUICK = {"grid": {"sgd": [3.0], "momentum:0.9": [0.3], "adam": [0.1]}, "wd": [0.0], "seeds": [1, 2], "steps": 300}


def data():
    d = load_digits()
    X = d.data.astype(np.float64) / 16.0
    y = d.target.astype(np.int64)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=360, stratify=y, random_state=0)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    sd[sd == 0] = 1.0
    f = lambda a: torch.tensor((a - mu) / sd, dtype=torch.float32)  # noqa: E731
    return f(Xtr), torch.tensor(ytr), f(Xte), torch.tensor(yte)


class MLP(nn.Module):
    def __init__(self, hidden=HIDDEN, d_in=64, d_out=10):
        super().__init__()
        self.fc = nn.ModuleList()
        self.bn = nn.ModuleList()
        prev = d_in
        for h in hidden:
            self.fc.append(nn.Linear(prev, h))
            self.bn.append(nn.BatchNorm1d(h))
            prev = h
        self.head = nn.Linear(prev, d_out)

    def forward(self, x, keep=None, mode=None):
        """Logits. `keep` collects each hidden layer's ReLU output; mode "train-stats" normalises
        with the batch's statistics without touching the running ones (for measurement)."""
        for fc, bn in zip(self.fc, self.bn):
            h = fc(x)
            if mode == "train-stats":
                y = F.batch_norm(h, None, None, bn.weight, bn.bias, training=True, eps=bn.eps)
            else:
                y = bn(h)
            x = torch.relu(y)
            if keep is not None:
                keep.append(x)
        return self.head(x)


def make_optimizer(spec, params, lr, wd):
    kind, *args = spec.split(":")
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=float(args[0]), weight_decay=wd)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    raise SystemExit(f"unknown optimiser {spec!r}")


def ratios(bn):
    g, b = bn.weight.detach().double(), bn.bias.detach().double()
    r = b / g.abs()
    return torch.where(g == 0, torch.where(b < 0, -math.inf, math.inf), r)


@torch.no_grad()
def never_fire(model, X, mode, perm=None):
    """Per hidden layer, a bool per unit: ReLU output 0 on every training example."""
    was = model.training
    fired = [torch.zeros(h, dtype=torch.bool) for h in HIDDEN]
    if mode == "eval":
        model.eval()
        keep = []
        model(X, keep)
        fired = [(z > 0).any(0) for z in keep]
    else:
        for k in range(0, len(X), BATCH):
            keep = []
            model(X[perm[k : k + BATCH]], keep, mode="train-stats")
            fired = [f | (z > 0).any(0) for f, z in zip(fired, keep)]
    model.train(was)
    return [~f for f in fired]


def train(opt_spec, lr, wd, seed, steps=STEPS, checkpoint=None, dtype="f32"):
    torch.manual_seed(seed)
    Xtr, ytr, Xte, yte = data()
    model = MLP()
    optim = make_optimizer(opt_spec, model.parameters(), lr, wd)
    gen = torch.Generator().manual_seed(10_000 + seed)
    measure_perm = torch.randperm(len(Xtr), generator=torch.Generator().manual_seed(99))
    cone = -math.sqrt(BATCH - 1)
    n_layers = len(HIDDEN)
    ever = [torch.zeros(h, dtype=torch.long) for h in HIDDEN]  # first update in the cone (0: never)
    s2 = [torch.zeros(h, dtype=torch.float64) for h in HIDDEN]  # sum of delta^2 while alive
    sm2 = [torch.zeros(h, dtype=torch.float64) for h in HIDDEN]  # sum of B * (batch mean of delta)^2
    cnt = [torch.zeros(h, dtype=torch.float64) for h in HIDDEN]  # samples counted
    win2 = [0.0] * n_layers  # this snapshot window's sum of delta^2 over alive units, and its count
    wcnt = [0.0] * n_layers
    series = []
    nonfinite_at = None

    def snapshot(t, loss):
        model.eval()
        with torch.no_grad():
            tr_acc = float((model(Xtr).argmax(1) == ytr).float().mean())
            te_acc = float((model(Xte).argmax(1) == yte).float().mean())
        model.train()
        nf_eval = never_fire(model, Xtr, "eval")
        nf_train = never_fire(model, Xtr, "train", measure_perm)
        rows = []
        for l, bn in enumerate(model.bn):
            r = ratios(bn)
            rows.append({
                "dead": int((r <= cone).sum()),
                "everDead": int((ever[l] > 0).sum()),
                "neverFireEval": int(nf_eval[l].sum()),
                "neverFireTrain": int(nf_train[l].sum()),
                "sigmaWindow": math.sqrt(win2[l] / wcnt[l]) if wcnt[l] else None,
            })
            win2[l], wcnt[l] = 0.0, 0.0
        series.append({"step": t, "loss": loss, "trainAcc": tr_acc, "testAcc": te_acc, "layers": rows})

    snapshot(0, None)
    t = 0
    last_loss = None
    start = time.time()
    while t < steps:
        perm = torch.randperm(len(Xtr), generator=gen)
        for k in range(0, len(Xtr) - BATCH + 1, BATCH):
            idx = perm[k : k + BATCH]
            keep = []
            logits = model(Xtr[idx], keep)
            for z in keep:
                z.retain_grad()
            loss = F.cross_entropy(logits, ytr[idx])
            optim.zero_grad()
            loss.backward()
            optim.step()
            t += 1
            last_loss = float(loss)
            with torch.no_grad():
                for l, (z, bn) in enumerate(zip(keep, model.bn)):
                    alive = ever[l] == 0  # outside the cone before this update: its delta counts
                    delta = BATCH * z.grad.double()  # (B, H): delta_i = B dL/dz_i
                    d2 = (delta ** 2).sum(0)
                    s2[l] += torch.where(alive, d2, torch.zeros_like(d2))
                    m2 = BATCH * delta.mean(0) ** 2
                    sm2[l] += torch.where(alive, m2, torch.zeros_like(m2))
                    cnt[l] += alive.double() * BATCH
                    win2[l] += float(d2[alive].sum())
                    wcnt[l] += float(alive.sum()) * BATCH
                    ever[l][(ever[l] == 0) & (ratios(bn) <= cone)] = t
            if not math.isfinite(last_loss) and nonfinite_at is None:
                nonfinite_at = t
            if t % EVERY == 0 or t == steps:
                snapshot(t, last_loss)
            if t == steps:
                break
    layers = []
    for l, bn in enumerate(model.bn):
        ok = cnt[l] > 0
        sig = torch.sqrt(s2[l][ok] / cnt[l][ok])
        q = torch.quantile(sig, torch.linspace(0, 1, SIGMA_GROUPS + 1, dtype=torch.float64)) if ok.any() else None
        groups = []
        if q is not None:
            for g in range(SIGMA_GROUPS):
                lo, hi = q[g], q[g + 1]
                sel = (sig >= lo) & ((sig < hi) if g < SIGMA_GROUPS - 1 else (sig <= hi))
                groups.append({"units": int(sel.sum()), "sigma": float(torch.sqrt((sig[sel] ** 2).mean())) if sel.any() else None})
        tot2, totc, totm = float(s2[l][ok].sum()), float(cnt[l][ok].sum()), float(sm2[l][ok].sum())
        layers.append({
            "layer": l + 1,
            "units": HIDDEN[l],
            "sigmaEff": math.sqrt(tot2 / totc) if totc else None,  # RMS over alive unit-samples
            "sigmaUnitMedian": float(sig.median()) if ok.any() else None,
            "meanShare": totm / tot2 if tot2 else None,  # share of delta^2 in the batch-mean part
            "sigmaGroups": groups,
            "firstDead": [int(v) for v in ever[l][ever[l] > 0].tolist()],
        })
    run = {
        "optimizer": opt_spec, "lr": lr, "weightDecay": wd, "seed": seed, "batch": BATCH, "steps": steps,
        "hidden": list(HIDDEN), "seconds": round(time.time() - start, 2), "nonFiniteAt": nonfinite_at,
        "final": series[-1], "layers": layers, "series": series,
    }
    if checkpoint:
        save_checkpoint(model, checkpoint, dtype, run)
    return run, model


def save_checkpoint(model, path, dtype, run):
    cast = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64}[dtype]
    sd = {k: (v.to(cast) if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    meta = {"format": "pt", "source": "bn-collapse reference/pytorch/digits_mlp.py",
            "run": f"{run['optimizer']}:{run['lr']}:{run['weightDecay']}:{run['seed']}", "batch": str(BATCH), "steps": str(run["steps"])}
    safetensors_io.save(path, sd, meta)


def flat_rows(runs):
    """One CSV row per (run, layer) at the end of training."""
    head = ["optimizer", "lr", "weightDecay", "seed", "layer", "units", "steps", "batch", "dead", "everDead",
            "neverFireEval", "neverFireTrain", "sigmaEff", "sigmaUnitMedian", "meanShare", "trainAcc", "testAcc", "finalLoss", "nonFiniteAt"]
    lines = [",".join(head)]
    for r in runs:
        fin = r["final"]
        for L, S in zip(r["layers"], fin["layers"]):
            vals = [r["optimizer"], r["lr"], r["weightDecay"], r["seed"], L["layer"], L["units"], r["steps"], r["batch"],
                    S["dead"], S["everDead"], S["neverFireEval"], S["neverFireTrain"], L["sigmaEff"], L["sigmaUnitMedian"],
                    L["meanShare"], fin["trainAcc"], fin["testAcc"], fin["loss"], r["nonFiniteAt"]]
            lines.append(",".join("" if v is None else (f"{v:.6g}" if isinstance(v, float) else str(v)) for v in vals))
    return "\n".join(lines) + "\n"


def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="folder for digits-runs.json and digits-runs.csv")
    ap.add_argument("--quick", action="store_true", help="the cut-down grid (CI)")
    ap.add_argument("--run", help="one run, OPTIMIZER:LR:WEIGHT_DECAY:SEED (e.g. adam:0.05:0:1)")
    ap.add_argument("--steps", type=int)
    ap.add_argument("--checkpoint", help="with --run: write the trained model's state_dict here (safetensors)")
    ap.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16", "f64"])
    ap.add_argument("--checkpoints", help="with --out: write every run's checkpoint (F32) into this folder")
    ap.add_argument("--part", help="K/N: run only the grid's runs k with k %% N == K - 1 (then --assemble)")
    ap.add_argument("--assemble", action="store_true", help="with --out: only put the parts' runs together")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    if a.run:
        *opt, lr, wd, seed = a.run.split(":")
        run, _ = train(":".join(opt), float(lr), float(wd), int(seed), a.steps or STEPS, a.checkpoint, a.dtype)
        print(json.dumps({k: v for k, v in run.items() if k != "series"}))
        return
    if not a.out:
        raise SystemExit("--out: required (or --run)")
    grid, wds, seeds, steps = (QUICK["grid"], QUICK["wd"], QUICK["seeds"], QUICK["steps"]) if a.quick else (FULL_GRID, FULL_WD, FULL_SEEDS, STEPS)
    steps = a.steps or steps
    os.makedirs(a.out, exist_ok=True)
    if a.checkpoints:
        os.makedirs(a.checkpoints, exist_ok=True)
    cases = [(o, lr, wd, s) for o, lrs in grid.items() for lr in lrs for wd in wds for s in seeds]
    part, parts = (int(x) for x in a.part.split("/")) if a.part else (1, 1)
    if not 1 <= part <= parts:
        raise SystemExit(f"--part: need 1 <= K <= N, got {a.part}")
    if not a.assemble:
        # each finished run is appended to its part's file at once, so a killed run resumes where it stopped
        log = os.path.join(a.out, f"runs-{part}-of-{parts}.jsonl")
        done = {run_key(r) for r in saved_runs(a.out)}  # by any part, under any split of the grid
        mine = [c for k, c in enumerate(cases) if k % parts == part - 1]
        for i, (o, lr, wd, s) in enumerate(mine):
            if run_key({"optimizer": o, "lr": lr, "weightDecay": wd, "seed": s, "steps": steps}) in done:
                continue
            ck = os.path.join(a.checkpoints, f"digits-{o.replace(':', '')}-lr{lr:g}-wd{wd:g}-seed{s}.safetensors") if a.checkpoints else None
            run, _ = train(o, lr, wd, s, steps, ck)
            with open(log, "a") as f:
                f.write(json.dumps(run, separators=(",", ":")) + "\n")
            dead = sum(L["dead"] for L in run["final"]["layers"])
            print(f"[{i + 1}/{len(mine)}] {o} lr={lr:g} wd={wd:g} seed={s}: dead {dead}/{sum(HIDDEN)}, "
                  f"train acc {run['final']['trainAcc']:.3f}, {run['seconds']:.1f} s", file=sys.stderr, flush=True)
        if parts > 1:
            return
    # assemble every part's runs in grid order: every run of the grid, and any extra seeds of its cells
    by_key = {run_key(r): r for r in saved_runs(a.out)}
    keys = [run_key({"optimizer": o, "lr": lr, "weightDecay": wd, "seed": s, "steps": steps}) for o, lr, wd, s in cases]
    missing = [k for k in keys if k not in by_key]
    if missing:
        raise SystemExit(f"{len(missing)} of {len(keys)} runs missing, e.g. {missing[0]}: run every --part first")
    cell_order = {(o, float(lr), float(wd)): k for k, (o, lr, wd) in enumerate(dict.fromkeys((o, lr, wd) for o, lr, wd, _ in cases))}
    runs = sorted((r for r in by_key.values() if (r["optimizer"], float(r["lr"]), float(r["weightDecay"])) in cell_order and r["steps"] == steps),
                  key=lambda r: (cell_order[(r["optimizer"], float(r["lr"]), float(r["weightDecay"]))], r["seed"]))
    grid_flag = " --quick" if a.quick else ""
    meta = {"tool": "bn-collapse reference/pytorch/digits_mlp.py", "command": f"python3 reference/pytorch/digits_mlp.py --out {a.out}{grid_flag}",
            "torch": torch.__version__, "hidden": list(HIDDEN), "batch": BATCH, "steps": steps, "every": EVERY, "sigmaGroups": SIGMA_GROUPS}
    # one run per line: diffable, and a third of the size of an indented file
    body = ",\n".join(json.dumps(r, separators=(",", ":")) for r in runs)
    head = json.dumps(meta, separators=(",", ":"))[:-1]
    write_atomic(os.path.join(a.out, "digits-runs.json"), head + ',"runs":[\n' + body + "\n]}\n")
    write_atomic(os.path.join(a.out, "digits-runs.csv"), flat_rows(runs))


def saved_runs(folder):
    for name in sorted(os.listdir(folder)):
        if name.startswith("runs-") and name.endswith(".jsonl"):
            for line in open(os.path.join(folder, name)):
                if line.strip():
                    yield json.loads(line)


def run_key(r):
    return f"{r['optimizer']}|{float(r['lr']):g}|{float(r['weightDecay']):g}|{r['seed']}|{r['steps']}"


if __name__ == "__main__":
    main(sys.argv[1:])
