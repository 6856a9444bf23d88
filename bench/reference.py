#!/usr/bin/env python3
"""bn-collapse reference implementation in numpy, vectorised over trajectories, for `bn-collapse bench`.

The same mechanistic model and collapse check as the TypeScript engine's default path
(docs/conventions.md, "the exact-sum path"), written the way a numpy user would: every array holds
all N trajectories at once and the loop runs over steps.

Per step, for every trajectory: a batch h_1..h_B ~ N(0, 1); BN in training mode (biased variance,
eps inside the square root); y_i = gamma xhat_i + beta; ReLU, so a_i = 1 if y_i > 0 else 0;
Gaussian upstream noise (sigma 1, no signal) drawn as the two exact gradient sums given the batch
through the Cholesky factor of (1/B^2) sum_i a_i [[xhat_i^2, xhat_i], [xhat_i, 1]] (2 normal draws a
step instead of B); plain SGD; criterion ratio:C (r = beta/|gamma| <= -C, r = -inf at gamma = 0 with
beta < 0) checked after every update. Every trajectory runs all T steps (vectorised code does not
stop single rows); a row that goes non-finite is frozen out of the count from then on.

Random numbers: numpy's default Generator (PCG64, ziggurat normals). They differ from the
TypeScript streams: the results agree in distribution, not bit for bit.

Run: python3 bench/reference.py --lr 0.2 --gamma 1 --beta 0 --batch 32 --steps 1000 --trials 1000 --c 3 --seed 1
Prints one JSON object: counts, p and its standard error, executed steps, wall and CPU seconds of the
simulation loop, throughput (per wall second).
"""
import argparse
import json
import math
import time

import numpy as np


def simulate(lr, gamma0, beta0, batch, steps, trials, c, seed, eps):
    rng = np.random.default_rng(seed)
    B = batch
    gamma = np.full(trials, float(gamma0))
    beta = np.full(trials, float(beta0))
    first = np.zeros(trials, dtype=np.int64)  # 1-based first-passage step, 0 = not yet
    bad = np.zeros(trials, dtype=bool)  # went non-finite before its first passage
    for t in range(1, steps + 1):
        h = rng.standard_normal((trials, B))
        d = h - h.mean(axis=1, keepdims=True)
        var = np.einsum("ij,ij->i", d, d) / B  # biased batch variance
        xhat = d / np.sqrt(var + eps)[:, None]
        active = gamma[:, None] * xhat + beta[:, None] > 0
        xa = np.where(active, xhat, 0.0)
        q1 = active.sum(axis=1)
        qx = xa.sum(axis=1)
        qxx = np.einsum("ij,ij->i", xa, xa)
        # Cholesky factor of [[qxx, qx], [qx, q1]]; all zero when no sample is active
        z = rng.standard_normal((trials, 2))
        l11 = np.sqrt(qxx)
        l21 = np.divide(qx, l11, out=np.zeros(trials), where=l11 > 0)
        l22 = np.sqrt(np.maximum(q1 - l21 * l21, 0.0))
        gamma -= lr * (l11 * z[:, 0]) / B
        beta -= lr * (l21 * z[:, 0] + l22 * z[:, 1]) / B
        finite = np.isfinite(gamma) & np.isfinite(beta)
        bad |= ~finite & (first == 0)
        absg = np.abs(gamma)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(absg > 0, beta / absg, np.where(beta < 0, -np.inf, np.inf))
        newly = (first == 0) & ~bad & (r <= -c)
        first[newly] = t
    return first, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lr", type=float, default=0.2)
    ap.add_argument("--gamma", type=float, default=1.0)
    ap.add_argument("--beta", type=float, default=0.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--c", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--eps", type=float, default=1e-5)
    a = ap.parse_args()
    if a.batch < 2 or a.steps < 1 or a.trials < 1:
        ap.error("need batch >= 2, steps >= 1, trials >= 1")
    t0, c0 = time.perf_counter(), time.process_time()
    first, bad = simulate(a.lr, a.gamma, a.beta, a.batch, a.steps, a.trials, a.c, a.seed, a.eps)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    collapsed = int((first > 0).sum())
    non_finite = int(bad.sum())
    n = a.trials - non_finite
    p = collapsed / n if n > 0 else 0.0
    se = math.sqrt(p * (1 - p) / n) if n > 0 else 0.0
    executed = a.trials * a.steps
    print(json.dumps({
        "impl": "numpy", "numpy": np.__version__,
        "trials": a.trials, "collapsed": collapsed, "nonFinite": non_finite, "p": p, "se": se,
        "stepsExecuted": executed, "seconds": secs, "cpuSeconds": cpu, "sampleStepsPerSecond": executed * a.batch / secs,
    }))


if __name__ == "__main__":
    main()
