import { ConfigError } from "./errors.ts";
import type { UnitProblem } from "./problem.ts";

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

function need(ok: boolean, field: string, message: string): void {
  if (!ok) throw new ConfigError(field, message);
}

/** Throws a ConfigError naming the first field of `p` that breaks docs/model.md's assumptions. */
export function validateProblem(p: UnitProblem): void {
  need(isInt(p.batch) && p.batch >= 2, "batch", `must be an integer >= 2 (B = 1 has no batch variance), got ${p.batch}`);
  need(finite(p.gamma0) && p.gamma0 !== 0, "gamma", `gamma0 must be finite and non-zero, got ${p.gamma0}`);
  need(finite(p.beta0), "beta", `beta0 must be finite, got ${p.beta0}`);
  need(finite(p.bnEps) && p.bnEps >= 0, "bnEps", `must be finite and >= 0, got ${p.bnEps}`);
  need(isInt(p.steps) && p.steps >= 1, "steps", `must be a positive integer, got ${p.steps}`);

  const a = p.activation;
  if (a.kind === "leaky") need(finite(a.alpha) && a.alpha >= 0 && a.alpha < 1, "act", `leaky slope must be in [0, 1), got ${a.alpha}`);
  else need(a.kind === "relu", "act", `unknown activation "${(a as { kind: string }).kind}" (relu or leaky:ALPHA)`);

  const inp = p.input;
  if (inp.kind === "linear") need(isInt(inp.dim) && inp.dim >= 1 && inp.dim <= 4096, "input", `linear pre-layer dimension must be an integer in 1..4096, got ${inp.dim}`);
  else need(inp.kind === "gauss", "input", `unknown input "${(inp as { kind: string }).kind}" (gauss or linear:D)`);

  const loss = p.loss;
  if (loss.kind === "noise") {
    need(finite(loss.signal), "signal", `must be finite, got ${loss.signal}`);
    const n = loss.noise;
    if (n.kind === "gauss") need(finite(n.sigma) && n.sigma >= 0, "noise", `gauss sigma must be finite and >= 0, got ${n.sigma}`);
    else if (n.kind === "student") {
      need(finite(n.nu) && n.nu > 2, "noise", `student nu must be > 2 (finite variance), got ${n.nu}`);
      need(finite(n.sigma) && n.sigma >= 0, "noise", `student sigma must be finite and >= 0, got ${n.sigma}`);
    } else need(false, "noise", `unknown noise "${(n as { kind: string }).kind}" (gauss:SIGMA or student:NU)`);
  } else if (loss.kind === "teacher") {
    need(finite(loss.readout) && loss.readout !== 0, "loss", `teacher readout must be finite and non-zero, got ${loss.readout}`);
    need(finite(loss.gamma) && finite(loss.beta), "loss", "teacher gamma and beta must be finite");
    need(finite(loss.labelNoise) && loss.labelNoise >= 0, "loss", `teacher label noise must be finite and >= 0, got ${loss.labelNoise}`);
  } else need(false, "loss", `unknown loss "${(loss as { kind: string }).kind}" (noise or teacher)`);

  const o = p.optimizer;
  need(["sgd", "momentum", "adam", "adamw"].includes(o.kind), "optimizer", `unknown optimiser "${o.kind}" (sgd, momentum:M, adam, adamw)`);
  need(finite(o.lr) && o.lr > 0, "lr", `must be positive and finite, got ${o.lr}`);
  need(finite(o.momentum) && o.momentum >= 0 && o.momentum < 1, "optimizer", `momentum must be in [0, 1), got ${o.momentum}`);
  need(finite(o.weightDecay) && o.weightDecay >= 0, "weightDecay", `must be finite and >= 0, got ${o.weightDecay}`);
  need(finite(o.beta1) && o.beta1 >= 0 && o.beta1 < 1, "optimizer", `adam beta1 must be in [0, 1), got ${o.beta1}`);
  need(finite(o.beta2) && o.beta2 >= 0 && o.beta2 < 1, "optimizer", `adam beta2 must be in [0, 1), got ${o.beta2}`);
  need(finite(o.eps) && o.eps > 0, "optimizer", `adam eps must be positive, got ${o.eps}`);
  const s = o.schedule;
  if (s.kind === "step") {
    need(isInt(s.every) && s.every >= 1, "schedule", `step schedule needs an integer period >= 1, got ${s.every}`);
    need(finite(s.factor) && s.factor >= 0, "schedule", `step schedule factor must be finite and >= 0, got ${s.factor}`);
  } else if (s.kind === "cosine") {
    need(finite(s.minFactor) && s.minFactor >= 0, "schedule", `cosine floor must be finite and >= 0, got ${s.minFactor}`);
  } else if (s.kind === "expr") {
    need(typeof s.expr === "string" && s.expr.trim().length > 0, "schedule", "expression is empty");
  } else need(s.kind === "constant", "schedule", `unknown schedule "${(s as { kind: string }).kind}"`);

  const c = p.collapse;
  if (c.kind === "ratio") need(finite(c.c), "collapse", `ratio:c needs a finite c, got ${c.c}`);
  else if (c.kind === "sparsity") need(finite(c.s) && c.s > 0 && c.s < 1, "collapse", `sparsity:s needs 0 < s < 1, got ${c.s}`);
  else if (c.kind === "gamma") need(finite(c.e) && c.e >= 0, "collapse", `gamma:e needs a finite e >= 0, got ${c.e}`);
  else need(c.kind === "dead", "collapse", `unknown criterion "${(c as { kind: string }).kind}" (dead, ratio:C, sparsity:S, gamma:E)`);

  need(p.noiseSampling === "exact-sum" || p.noiseSampling === "per-sample", "noiseSampling", `must be "exact-sum" or "per-sample", got ${String(p.noiseSampling)}`);

  need(p.model === "mechanistic" || p.model === "reduced", "model", `must be "mechanistic" or "reduced", got ${String(p.model)}`);
  if (p.model === "reduced") {
    // The reduced law is derived for xhat ~ N(0, 1) and delta_i = signal + Gaussian noise only.
    need(p.input.kind === "gauss", "model", "reduced needs --input gauss (the linear pre-layer has no reduced law); use --model mechanistic");
    need(p.loss.kind === "noise", "model", "reduced needs --loss noise (the teacher loss has no reduced law); use --model mechanistic");
    need(
      p.loss.kind !== "noise" || p.loss.noise.kind === "gauss",
      "model",
      "reduced draws Gaussian gradients, so Student-t noise would silently equal gauss:SIGMA; use --noise gauss:SIGMA, or --model mechanistic for heavy tails",
    );
  }

  // norms and phases (docs/psbn.md, docs/regimes.md)
  const norm = p.norm ?? { kind: "bn" };
  need(["bn", "psbn", "revive", "rshift"].includes(norm.kind), "norm", `unknown norm "${norm.kind}" (bn, psbn[:ALPHA], revive[:MARGIN[:PATIENCE]], rshift)`);
  if (norm.kind === "psbn") need(finite(norm.alpha), "norm", `psbn alpha must be finite, got ${norm.alpha}`);
  if (norm.kind === "revive") {
    need(finite(norm.margin) && norm.margin >= 0, "norm", `revive margin must be finite and >= 0, got ${norm.margin}`);
    need(isInt(norm.patience) && norm.patience >= 1, "norm", `revive patience must be an integer >= 1, got ${norm.patience}`);
    need(p.model === "mechanistic", "norm", "revive shifts by the batch's top sample, which the reduced model does not draw; use --model mechanistic");
  }
  need(p.phases === undefined || Array.isArray(p.phases), "phases", "must be a list of phases");
  for (const [k, ph] of (p.phases ?? []).entries()) {
    need(isInt(ph.steps) && ph.steps >= 1, "phases", `phase ${k + 1}: steps must be a positive integer, got ${ph.steps}`);
    const { phases: _drop, ...rest } = p;
    try {
      validateProblem({ ...rest, steps: ph.steps, optimizer: ph.optimizer, loss: ph.loss ?? p.loss });
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError("phases", `phase ${k + 1}: ${e.message}`);
      throw e;
    }
  }
}
