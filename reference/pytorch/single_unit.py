"""The single BN + ReLU unit of bn-collapse, written independently in PyTorch.

N trajectories run side by side as the N channels of one BatchNorm1d: the input of a step is an
(B, N) tensor of fresh N(0, 1) pre-activations, torch's own batch_norm in training mode (biased
variance, eps 1e-5) normalises each channel over its B samples, gamma and beta are the N-vectors
of the channels' affine parameters, and torch.relu is the activation (its derivative at 0 is 0).
The loss is L = (1/B) sum_i delta_i z_i per channel with delta_i = mu_g + sigma xi_i, xi_i i.i.d.
N(0, 1) (the noise model of MODEL.md section 2), so autograd gives dL/dgamma and dL/dbeta; the
optimiser is torch.optim's own SGD / SGD with momentum / Adam / AdamW over the two N-vectors.
All of them act elementwise, so the N channels are N independent trajectories.

After every update each collapse criterion is checked; the first-passage time is the 1-based index
of the first update after which it holds. A trajectory whose gamma or beta becomes non-finite
before its first passage counts in `nonFinite`, in neither numerator nor denominator.

Usage: python3 single_unit.py --lr 0.2 --batch 32 --steps 1000 --trials 4000 --collapse ratio:3
prints one JSON object with p, se and the counts;
       python3 single_unit.py --cases '[{"lr": 0.2, "batch": 8, "collapse": "dead"}, ...]'
runs each case (keys as the flags, with underscores) and prints a JSON array.
"""

import argparse
import json
import math
import statistics
import sys

import torch
import torch.nn.functional as F


def threshold(criterion, batch):
    """(on, value): the criterion holds when r <= value (on "r") or |gamma| <= value (on "gamma")."""
    kind, _, arg = criterion.partition(":")
    if kind == "dead" and not arg:
        return "r", -math.sqrt(batch - 1)
    if kind == "ratio":
        return "r", -float(arg)
    if kind == "sparsity":
        # Phi(r) <= 1 - s  <=>  r <= Phi^-1(1 - s)
        return "r", statistics.NormalDist().inv_cdf(1 - float(arg))
    if kind == "gamma":
        return "gamma", float(arg)
    raise SystemExit(f"--collapse: unknown criterion {criterion!r} (dead, ratio:C, sparsity:S, gamma:E)")


def ratio(gamma, beta):
    """r = beta/|gamma|; at gamma = 0 exactly, -inf if beta < 0 else +inf (MODEL.md section 4)."""
    g = gamma.abs()
    at_zero = torch.where(beta < 0, torch.full_like(beta, -math.inf), torch.full_like(beta, math.inf))
    return torch.where(g == 0, at_zero, beta / torch.where(g == 0, torch.ones_like(g), g))


def optimizer(spec, params, lr, weight_decay):
    kind, *args = spec.split(":")
    if kind == "sgd" and not args:
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    if kind == "momentum" and len(args) == 1:
        return torch.optim.SGD(params, lr=lr, momentum=float(args[0]), weight_decay=weight_decay)
    if kind in ("adam", "adamw") and len(args) in (0, 2):
        betas = (float(args[0]), float(args[1])) if args else (0.9, 0.999)
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return cls(params, lr=lr, betas=betas, eps=1e-8, weight_decay=weight_decay)
    raise SystemExit(f"--optimizer: unknown optimiser {spec!r} (sgd, momentum:M, adam[:B1:B2], adamw[:B1:B2])")


def simulate(lr, gamma0, beta0, batch, steps, trials, criterion, opt="sgd", weight_decay=0.0, sigma=1.0, signal=0.0, seed=1, eps=1e-5):
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(seed)
    gamma = torch.full((trials,), float(gamma0), requires_grad=True)
    beta = torch.full((trials,), float(beta0), requires_grad=True)
    optim = optimizer(opt, [gamma, beta], lr, weight_decay)
    on, value = threshold(criterion, batch)
    first = torch.zeros(trials, dtype=torch.long)  # 0: not yet
    broken = torch.zeros(trials, dtype=torch.bool)  # non-finite before any first passage
    for t in range(1, steps + 1):
        h = torch.randn(batch, trials, generator=gen)
        xi = torch.randn(batch, trials, generator=gen)
        y = F.batch_norm(h, None, None, weight=gamma, bias=beta, training=True, eps=eps)
        z = torch.relu(y)
        delta = signal + sigma * xi
        loss = (delta * z).mean(dim=0).sum()  # sum over channels of each channel's (1/B) sum_i delta_i z_i
        optim.zero_grad(set_to_none=False)
        loss.backward()
        optim.step()
        with torch.no_grad():
            pending = (first == 0) & ~broken
            bad = pending & ~(torch.isfinite(gamma) & torch.isfinite(beta))
            broken |= bad
            pending &= ~bad
            met = ratio(gamma, beta) <= value if on == "r" else gamma.abs() <= value
            first[pending & met] = t
    finite = int((~broken).sum())
    collapsed = int((first > 0).sum())
    p = collapsed / finite if finite else None
    se = math.sqrt(p * (1 - p) / finite) if finite else None
    times = first[first > 0].double()
    return {
        "lr": lr, "gamma": gamma0, "beta": beta0, "batch": batch, "steps": steps, "trials": trials,
        "collapse": criterion, "optimizer": opt, "weightDecay": weight_decay, "sigma": sigma, "signal": signal, "seed": seed,
        "collapsed": collapsed, "nonFinite": trials - finite, "p": p, "se": se,
        "meanCollapsed": float(times.mean()) if collapsed else None,
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", help="JSON array of cases; each key is a flag name with _ for -")
    ap.add_argument("--lr", type=float)
    ap.add_argument("--gamma", type=float, default=1.0)
    ap.add_argument("--beta", type=float, default=0.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--trials", type=int, default=2000)
    ap.add_argument("--collapse", default="ratio:3")
    ap.add_argument("--optimizer", default="sgd")
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--sigma", type=float, default=1.0)
    ap.add_argument("--signal", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    if a.cases is not None:
        defaults = {k: v for k, v in vars(a).items() if k != "cases"}
        print(json.dumps([run({**defaults, **case}) for case in json.loads(a.cases)]))
    elif a.lr is None:
        raise SystemExit("--lr: required (or give --cases)")
    else:
        print(json.dumps(run(vars(a))))


def run(c):
    if c["batch"] < 2:
        raise SystemExit("batch: must be >= 2")
    return simulate(c["lr"], c["gamma"], c["beta"], c["batch"], c["steps"], c["trials"], c["collapse"], c["optimizer"], c["weight_decay"], c["sigma"], c["signal"], c["seed"])


if __name__ == "__main__":
    main(sys.argv[1:])
