import { countsDeviance, countsIntercept, countsLine, type CountsLine } from "./counts-line.ts";

/** k of n runs collapsed. */
export interface BinomialCell {
  k: number;
  n: number;
}

/**
 * The three ways a cell's estimate enters a power-law fit y = c x^b along a line of the grid. Each
 * family defines an objective that is -2 log-likelihood up to a constant (a deviance, or a chi-square
 * with known standard errors): at its minimum it is the goodness-of-fit statistic, and differences
 * of it are likelihood-ratio statistics, so the profile interval is {b : F(b) - F(b_hat) <= 3.84}.
 *
 * - binomial: k of n, P = 1 - exp(-c x^b) (complementary log-log link): every cell, k = 0 and k = n included;
 * - gaussian: y ~ N(c x^b, se^2) with se known, on the linear scale (a drift, whose sign can be anything);
 * - lognormal: log y ~ N(log c + b log x, seLog^2) with seLog known (a median time).
 */
export type Observation =
  | ({ kind: "binomial"; x: number } & BinomialCell)
  | { kind: "gaussian"; x: number; y: number; se: number }
  | { kind: "lognormal"; x: number; logY: number; seLog: number };

export type FamilyKind = Observation["kind"];

/** One line's cells with u = log x - centre (centred for conditioning). */
export interface PreparedLine {
  obs: Observation[];
  u: number[];
  /** the same cells in flat arrays, for counts */
  counts?: CountsLine;
}

export interface LineProfile {
  /** min over the line's intercept of the objective at slope b (the infimum where it is not attained) */
  value: number;
  /** the minimising intercept (log c at u = 0); +-Infinity where the infimum is not attained */
  intercept: number;
}

export function prepareLine(obs: readonly Observation[]): PreparedLine {
  const logs = obs.map((o) => Math.log(o.x));
  const centre = logs.reduce((a, b) => a + b, 0) / logs.length;
  const u = logs.map((l) => l - centre);
  const counts = obs[0]?.kind === "binomial" ? countsLine(u, obs.map((o) => (o as BinomialCell).k), obs.map((o) => (o as BinomialCell).n)) : undefined;
  return { obs: [...obs], u, counts };
}

/**
 * Whether the line can say anything about the slope: two distinct x, and for counts at least one
 * collapsed and one surviving run (a line of all-zero counts fits any slope perfectly).
 */
export function informativeLine(line: PreparedLine): boolean {
  if (new Set(line.obs.map((o) => o.x)).size < 2) return false;
  const first = line.obs[0];
  if (first.kind === "binomial") {
    const bin = line.obs as BinomialCell[];
    return bin.some((c) => c.k > 0) && bin.some((c) => c.k < c.n);
  }
  return true;
}

/** The profile of one line at slope b (`warm`: a starting intercept, for the binomial family's Newton). */
export function lineProfile(line: PreparedLine, b: number, warm?: number): LineProfile {
  switch (line.obs[0].kind) {
    case "binomial":
      return binomialProfile(line, b, warm);
    case "gaussian":
      return gaussianProfile(line, b);
    case "lognormal":
      return lognormalProfile(line, b);
  }
}

/** The objective of a line at (intercept, slope). */
export function lineObjective(line: PreparedLine, a: number, b: number): number {
  if (line.counts) return countsDeviance(line.counts, a, b);
  let s = 0;
  line.obs.forEach((o, i) => {
    const eta = a + b * line.u[i];
    if (o.kind === "gaussian") s += ((o.y - Math.exp(eta)) / o.se) ** 2;
    else if (o.kind === "lognormal") s += ((o.logY - eta) / o.seLog) ** 2;
  });
  return s;
}

/** The fitted mean of each cell at (intercept, slope): P for counts, y for the others. */
export function lineFitted(line: PreparedLine, a: number, b: number): number[] {
  return line.obs.map((o, i) => {
    const eta = a + b * line.u[i];
    return o.kind === "binomial" ? -Math.expm1(-Math.exp(eta)) : Math.exp(eta);
  });
}

/** Counts: the deviance is convex in the intercept (src/analysis/counts-line.ts). */
function binomialProfile(line: PreparedLine, b: number, warm?: number): LineProfile {
  const c = line.counts!;
  const a = countsIntercept(c, b, warm ?? NaN);
  return { value: Number.isFinite(a) ? countsDeviance(c, a, b) : 0, intercept: a };
}

/** y ~ N(c v, se^2), v = e^(b u): the best c is a weighted projection; with c constrained to be positive. */
function gaussianProfile(line: PreparedLine, b: number): LineProfile {
  let syy = 0, syv = 0, svv = 0;
  line.obs.forEach((o, i) => {
    if (o.kind !== "gaussian") throw new Error("mixed families on one line");
    const w = 1 / (o.se * o.se), v = Math.exp(b * line.u[i]);
    syy += w * o.y * o.y;
    syv += w * o.y * v;
    svv += w * v * v;
  });
  if (!(syv > 0)) return { value: syy, intercept: -Infinity };
  return { value: Math.max(0, syy - (syv * syv) / svv), intercept: Math.log(syv / svv) };
}

/** log y ~ N(a + b u, seLog^2): the best a is the weighted mean of log y - b u. */
function lognormalProfile(line: PreparedLine, b: number): LineProfile {
  let sw = 0, s = 0;
  line.obs.forEach((o, i) => {
    if (o.kind !== "lognormal") throw new Error("mixed families on one line");
    const w = 1 / (o.seLog * o.seLog);
    sw += w;
    s += w * (o.logY - b * line.u[i]);
  });
  const a = s / sw;
  return { value: lineObjective(line, a, b), intercept: a };
}
