import { resolveSweep } from "../ensemble/problem.ts";
import { runSweep } from "../ensemble/sweep.ts";

/**
 * The work, in executed updates (B sample-steps each), that AMS and brute-force Monte Carlo need for
 * a 10% relative standard error on P(first passage <= T), at three settings whose P is near 1e-3,
 * 1e-5 and 1e-7 (one unit, B = 8, SGD, gamma0 = 1, beta0 = 0, ratio:2, T = 200; lr sets P).
 *
 * Brute force: n trajectories give relative variance (1 - p) / (n p), so it needs (1 - p) / (0.01 p)
 * of them, each costing the mean updates per trajectory its own runs take (measured on a short run at
 * the same setting). Where P is too small for brute force to see, p is AMS's estimate: the brute-force
 * work is extrapolated from the binomial variance, not run. At P ~ 1e-3 it is also run, and its own
 * p is reported beside AMS's.
 * AMS: M runs give the spread s of a run's estimate; a 10% relative SE needs (s / p)^2 / 0.01 runs,
 * each costing the mean work of a run (replays to branch points included).
 */
export interface RarePoint {
  target: string;
  /** the AMS score function */
  score: string;
  lr: number;
  /** AMS's estimate, its SE and the runs it came from */
  p: number;
  se: number;
  runs: number;
  /** brute force run at this setting: trajectories, their p (null if not run for p) and mean updates each */
  bruteTrials: number;
  bruteP: number | null;
  bruteMeanSteps: number;
  /** updates to reach 10% relative SE */
  workBrute: number;
  workAms: number;
  /** workBrute / workAms */
  workRatio: number;
  /** brute force's work extrapolated from the binomial variance at AMS's p (it was not run to 10%) */
  extrapolated: boolean;
}

export interface RareWorkReport {
  note: string;
  setting: string;
  estimator: string;
  /** workRatio per target P, AMS with the sweep's default (time-aware) score */
  workRatio: Record<string, number>;
  /** the same with the running-extreme score */
  workRatioExtreme: Record<string, number>;
  points: RarePoint[];
}

const POINTS = [
  { target: "1e-3", lr: 0.072, runBrute: true },
  { target: "1e-5", lr: 0.053, runBrute: false },
  { target: "1e-7", lr: 0.043, runBrute: false },
];

const SETTING = { gamma: 1, beta: 0, batch: 8, steps: 200, collapse: "ratio:2", optimizer: "sgd" };
const ESTIMATOR = "ams:100:10";
const SCORES = ["time", "extreme"] as const;

export async function measureRareWork(quick: boolean, log: (line: string) => void = () => {}): Promise<RareWorkReport> {
  const amsRuns = quick ? 8 : 32;
  const points: RarePoint[] = [];
  for (const pt of POINTS) {
    const bruteTrials = pt.runBrute ? (quick ? 5_000 : 40_000) : quick ? 500 : 2_000;
    log(`rare events: brute force at lr ${pt.lr}, ${bruteTrials} trajectories`);
    const mc = (await runSweep(resolveSweep({ ...SETTING, lr: pt.lr, trials: bruteTrials, seed: 102 }), { workers: 1 })).cells[0];
    for (const score of SCORES) {
      log(`rare events: AMS (${score} score) at lr ${pt.lr} (P ~ ${pt.target}), ${amsRuns} runs`);
      const ams = (await runSweep(resolveSweep({ ...SETTING, lr: pt.lr, estimator: `${ESTIMATOR}:${score}`, amsRuns, seed: 101 }), { workers: 1 })).cells[0];
      const a = ams.ams!;
      const p = a.p;
      const runSd = (a.se ?? NaN) * Math.sqrt(a.runs);
      const workAms = ((runSd / p) ** 2 / 0.01) * (a.work.steps / a.runs);
      const own = pt.runBrute && mc.p !== null && mc.p > 0;
      const pBrute = own ? mc.p! : p;
      const workBrute = ((1 - pBrute) / (0.01 * pBrute)) * mc.meanSteps;
      points.push({
        target: pt.target,
        score,
        lr: pt.lr,
        p,
        se: a.se ?? NaN,
        runs: a.runs,
        bruteTrials,
        bruteP: pt.runBrute ? mc.p : null,
        bruteMeanSteps: mc.meanSteps,
        workBrute,
        workAms,
        workRatio: workBrute / workAms,
        extrapolated: !own,
      });
    }
  }
  const ratios = (score: string) => Object.fromEntries(points.filter((p) => p.score === score).map((p) => [p.target, p.workRatio]));
  return {
    note:
      "work (executed updates) to a 10% relative SE; brute force's from the binomial variance with its measured updates per trajectory, at its own p where it ran (P ~ 1e-3), else at AMS's p (extrapolated); AMS's from the spread of its runs' estimates and their mean work",
    setting: `B ${SETTING.batch}, SGD, gamma0 ${SETTING.gamma}, beta0 ${SETTING.beta}, ${SETTING.collapse}, T ${SETTING.steps}, gauss:1 noise, mechanistic`,
    estimator: ESTIMATOR,
    workRatio: ratios("time"),
    workRatioExtreme: ratios("extreme"),
    points,
  };
}
