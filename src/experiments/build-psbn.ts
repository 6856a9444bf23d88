import type { Norm } from "../model/problem.ts";
import { psbnRecoverySpec, type RecoveryTimePoint } from "../plot/psbn-recovery.ts";
import { coneDepth, coneExitStep, decayFactors, firingSurvival, survivalQuantileStep } from "../theory/psbn-recovery.ts";
import type { Built } from "./built.ts";
import { fmt } from "./caption.ts";
import { deadFractionOverTime, measureRecovery, quantileWithInterval, type RecoveryCell } from "./psbn-recovery.ts";
import type { MeasureContext } from "./measure.ts";
import type { Experiment, Mode, PsbnRecoveryMeasurement } from "./types.ts";
import { VERSION } from "../solution/result.ts";

/**
 * The figure psbn-recovery (docs/psbn.md): BN, psBN (FixMatch's BN + 0.1) and revive (our
 * reconstruction) on the same random numbers with weight decay, and the recovery time of a dead psBN
 * unit against lr x lambda and alpha beside the derived times. The settings are here, in one place.
 */
export const DEAD_SETTING = { batch: 8, steps: 3000, optimizer: { lr: 0.3, weightDecay: 0.01 } } as const;
export const DEAD_NORMS: { label: string; norm: Norm }[] = [
  { label: "BN", norm: { kind: "bn" } },
  { label: "psBN (α = 0.1)", norm: { kind: "psbn", alpha: 0.1 } },
  { label: "revive", norm: { kind: "revive", margin: 0.5, patience: 20 } },
];
const LR = 0.1;
const DECAYS = [0.005, 0.01, 0.02, 0.04];
export const RECOVERY_GRID: (RecoveryCell & { group: string })[] = [
  ...[0.05, 0.1, 0.2].flatMap((alpha) => DECAYS.map((weightDecay) => ({ group: `α = ${alpha}, B = 8`, alpha, lr: LR, weightDecay, batch: 8, gamma0: 1, beta0: -4 }))),
  ...DECAYS.map((weightDecay) => ({ group: "α = 0.1, B = 32", alpha: 0.1, lr: LR, weightDecay, batch: 32, gamma0: 1, beta0: -8 })),
];
const SEED = 1;
const TITLE = "psBN under weight decay: a dead unit fires again after ≈ ln(D/α)/(ηλ) updates; a BN unit never does";

/** One row of the recovery table (docs/psbn.md): the derived times beside the measured ones. */
export interface RecoveryRow extends RecoveryTimePoint {
  alpha: number;
  batch: number;
  /** the small-lr lambda approximation ln(D / alpha) / (lr lambda) */
  exitApprox: number;
  /** every path's measured exit equals t_exit */
  exitExact: boolean;
  /** the law's median is exact (H exact up to there) or from the union bound (a lower bound on the time) */
  lawExact: boolean;
  paths: number;
}

export function measureRecoveryRows(mode: Mode): RecoveryRow[] {
  const paths = mode === "quick" ? 100 : 400;
  return RECOVERY_GRID.map((cell) => {
    const k = cell.lr * cell.weightDecay;
    const maxSteps = Math.ceil(8 / k);
    const exit = coneExitStep(cell)!;
    const c = decayFactors(cell, maxSteps);
    const { survival, exactUpTo } = firingSurvival(cell, c);
    const predicted = survivalQuantileStep(survival, 0.5)!;
    const runs = measureRecovery(cell, { seed: SEED, paths, maxSteps });
    const med = quantileWithInterval(runs.fire, 0.5);
    if (med.value === null || med.lo === null || med.hi === null) throw new Error(`psbn-recovery: ${cell.group} at lr x lambda ${k}: fewer than half fired within ${maxSteps} updates`);
    return {
      group: cell.group, alpha: cell.alpha, batch: cell.batch, lrLambda: k, paths,
      measured: med.value, lo: med.lo, hi: med.hi, predicted, exit,
      exitApprox: Math.log(coneDepth(cell) / cell.alpha) / k,
      exitExact: runs.exit.every((t) => t === exit),
      lawExact: predicted <= exactUpTo,
    };
  });
}

export function buildPsbnRecovery(mode: Mode): Built {
  const quick = mode === "quick";
  const deadPaths = quick ? 100 : 300;
  const setting = { ...DEAD_SETTING, steps: quick ? 1000 : DEAD_SETTING.steps };
  const dead = deadFractionOverTime(setting, DEAD_NORMS, { seed: SEED, paths: deadPaths, every: 20 });
  const rows = measureRecoveryRows(mode);
  const title = TITLE;
  const spec = psbnRecoverySpec(dead, rows, {
    title,
    subtitle: [
      `left: B = ${setting.batch}, η = ${setting.optimizer.lr}, λ = ${setting.optimizer.weightDecay} (SGD, L2), noise σ = 1, from (γ, β) = (1, 0);`,
      "the same random numbers for every norm; bands: Wilson 95%",
      `right: a psBN unit started dead at (γ, β) = (1, −4) (B = 8) or (1, −8) (B = 32), η = 0.1;`,
      `dots: median first firing of ${rows[0].paths} units (95% bars, most smaller than the dots);`,
      "solid: median of the derived law of the first firing (exact at B = 8, union bound at B = 32);",
      "dashed: exit from the dead cone, t_exit = ⌊ln(D/α) / −ln(1 − ηλ)⌋ + 1, D = −β₀ − |γ₀|√(B−1)",
    ],
    deadTitle: "units in the dead cone β + shift ≤ −√(B−1)|γ|",
    timesTitle: "recovery time of a dead psBN unit",
  });
  const endOf = (label: string) => dead.filter((p) => p.series === label).at(-1)!;
  return {
    figure: { name: "psbn-recovery", spec, rows: [...dead.map((p) => ({ panel: "dead", ...p })), ...rows.map((r) => ({ panel: "recovery", ...r }))] },
    plotted: "Left: the fraction of units in the dead cone against the update under BN, psBN (BN + α) and revive, with weight decay; right: the median update at which a dead psBN unit first fires again, against ηλ, beside the exit time from the cone and the derived law.",
    headline: [
      `In the dead cone at T = ${setting.steps}: ${DEAD_NORMS.map(({ label }) => `${label} ${fmt(endOf(label).fraction)} [${fmt(endOf(label).lo)}, ${fmt(endOf(label).hi)}]`).join("; ")}.`,
      `The derived law's median first firing lies inside the measured median's 95% interval in ${rows.filter((r) => r.predicted >= r.lo && r.predicted <= r.hi).length}/${rows.length} cells.`,
    ],
    simulated: [
      `dead fraction: ${deadPaths} paths per norm, B = ${setting.batch}, T = ${setting.steps}, SGD η = ${setting.optimizer.lr}, λ = ${setting.optimizer.weightDecay}, noise gauss:1, seed ${SEED}, the same streams for every norm`,
      `recovery: ${rows[0].paths} units per cell, η = ${LR}, λ in {${DECAYS.join(", ")}}, α in {0.05, 0.1, 0.2} at B = 8 (β₀ = −4), α = 0.1 at B = 32 (β₀ = −8), BN ε = 0, seed ${SEED}`,
    ],
    measured: [
      `In the dead cone at T = ${setting.steps}: ${DEAD_NORMS.map(({ label }) => `${label} ${fmt(endOf(label).fraction)} [${fmt(endOf(label).lo)}, ${fmt(endOf(label).hi)}]`).join("; ")}.`,
      `The cone exit of every unit is t_exit = floor(ln(D/α) / −ln(1 − ηλ)) + 1 exactly (${rows.filter((r) => r.exitExact).length}/${rows.length} cells); the derived law's median first firing (exact at B = 8, from the union bound at B = 32) lies inside the measured median's 95% interval in ${rows.filter((r) => r.predicted >= r.lo && r.predicted <= r.hi).length}/${rows.length} cells.`,
    ],
  };
}

export interface PsbnRecoveryMeasured {
  kind: "psbn-recovery";
  label: string;
  built: Built;
}

/** The figure's measurement for the figure set, cached under its settings (a change to them recomputes). */
export async function measurePsbnRecovery(m: PsbnRecoveryMeasurement, ctx: MeasureContext): Promise<{ value: PsbnRecoveryMeasured; cached: boolean }> {
  const key = { version: VERSION, mode: ctx.mode, seed: SEED, dead: DEAD_SETTING, norms: DEAD_NORMS, grid: RECOVERY_GRID };
  const got = await ctx.cache.get("psbn-recovery", key, async () => buildPsbnRecovery(ctx.mode));
  return { value: { kind: "psbn-recovery", label: m.label, built: got.value }, cached: got.cached };
}

export const PSBN_RECOVERY_EXPERIMENT: Experiment = {
  id: "psbn-recovery",
  title: TITLE,
  figure: "psbn-recovery",
  claim:
    "psBN makes saturated BN parameters trainable again (the paper). In its public form (FixMatch's PSBatchNorm2d, y = BN(x) + 0.1) that happens through weight decay: a dead unit gets no loss gradient, decay shrinks (γ, β) by 1 − ηλ per update, and the output tends to α > 0. Derived (docs/psbn.md): the unit leaves its dead cone at t_exit = ⌊ln(D/α) / −ln(1 − ηλ)⌋ + 1, D = −β₀ − |γ₀|√(B−1), and fires at a random time after it whose law is exact for small B.",
  measurements: [{ kind: "psbn-recovery", label: "dead fractions and recovery times" }],
};
