import { seedState } from "../rng/streams.ts";
import { chiSquareSf } from "../stats/gamma.ts";
import { binomialDraw, binomialLaw } from "./binomial-draw.ts";
import { addProfileDerivs, countsDeviance, countsIntercept, countsLine, refreshCounts, type CountsLine } from "./counts-line.ts";
import { informativeLine, lineFitted, lineProfile, prepareLine, type FamilyKind, type Observation, type PreparedLine } from "./families.ts";

/** Exponents beyond +-40 are not resolved: an estimate or a bound past them is reported as unbounded. */
export const EXPONENT_LIMIT = 40;
/** The 95% point of chi-square with 1 dof: the profile interval is where the objective is within it of its minimum. */
export const CHI2_1_95 = 3.841458820694124;
/** Below this expected count (collapsed or surviving) in some cell the chi-square law of the deviance is not trusted. */
export const MIN_EXPECTED = 5;
export const BOOTSTRAP_DRAWS = 999;

export interface GoodnessOfFit {
  /** the deviance (counts) or the chi-square (known SEs) at the fit */
  statistic: number;
  dof: number;
  /** the p-value the verdict uses, from `reference` */
  pValue: number;
  reference: "chi-square" | "parametric bootstrap";
  /** the chi-square approximation's p-value (the same as pValue when reference is chi-square) */
  chiSquareP: number;
  /** with reference "parametric bootstrap": the draws, and how many gave a statistic at least as large */
  draws?: number;
  exceeded?: number;
  /** counts: the smallest expected number of collapsed or surviving runs over the fitted cells */
  minExpected?: number;
}

/**
 * A power law y = c_j x^b fitted to one or more lines (one intercept c_j per line, one exponent b),
 * by maximum likelihood in the lines' family (src/analysis/families.ts).
 */
export interface ExponentFit {
  family: FamilyKind;
  /** the maximum-likelihood exponent; null when it is unbounded (`unbounded` says which way) or undetermined */
  slope: number | null;
  unbounded: "above" | "below" | null;
  /** the 95% profile-likelihood interval; an end is null where it lies beyond +-EXPONENT_LIMIT */
  ci95: [number | null, number | null];
  interval: "profile likelihood";
  /** lines and cells that carry information on the exponent (the others are left out and counted by the caller) */
  lines: number;
  cells: number;
  /** null when there are no degrees of freedom left (cells = lines + 1) */
  gof: GoodnessOfFit | null;
  /** likelihood-ratio test of b = expected (chi-square, 1 dof), when an expected exponent was given */
  law: { expected: number; statistic: number; pValue: number } | null;
}

export interface FitExponentOptions {
  expected?: number;
  /** seeds the parametric bootstrap of the deviance, used for counts when some expected count is small */
  bootstrap?: { key: string; draws?: number };
}

/**
 * Fits one exponent over `lines`. Lines without information on the slope (fewer than two distinct x,
 * or counts with no collapsed or no surviving run) are left out; they would fit any slope perfectly.
 * Returns null when no line is left.
 */
export function fitExponent(lines: readonly (readonly Observation[])[], options: FitExponentOptions = {}): ExponentFit | null {
  const prepared = lines.filter((l) => l.length > 0).map(prepareLine).filter(informativeLine);
  if (prepared.length === 0) return null;
  const family = prepared[0].obs[0].kind;
  const cells = prepared.reduce((s, l) => s + l.obs.length, 0);
  const best = minimiseProfile(prepared);
  const ci95 = best.slope === null && best.unbounded === null ? ([null, null] as [null, null]) : profileInterval(prepared, best);
  const dof = cells - prepared.length - 1;
  let gof: GoodnessOfFit | null = null;
  if (dof > 0) {
    const chiSquareP = chiSquareSf(best.value, dof);
    gof = { statistic: best.value, dof, pValue: chiSquareP, reference: "chi-square", chiSquareP };
    if (family === "binomial" && best.slope !== null) {
      const minExpected = smallestExpected(prepared, best.slope);
      gof.minExpected = minExpected;
      if (minExpected < MIN_EXPECTED && options.bootstrap) {
        const draws = options.bootstrap.draws ?? BOOTSTRAP_DRAWS;
        const exceeded = bootstrapExceedances(prepared, best.slope, best.value, options.bootstrap.key, draws);
        gof.pValue = (1 + exceeded) / (draws + 1);
        gof.reference = "parametric bootstrap";
        gof.draws = draws;
        gof.exceeded = exceeded;
      }
    }
  }
  let law: ExponentFit["law"] = null;
  if (options.expected !== undefined && (best.slope !== null || best.unbounded !== null)) {
    const statistic = Math.max(0, profileValue(prepared, options.expected) - best.value);
    law = { expected: options.expected, statistic, pValue: chiSquareSf(statistic, 1) };
  }
  return { family, slope: best.slope, unbounded: best.unbounded, ci95, interval: "profile likelihood", lines: prepared.length, cells, gof, law };
}

/** The profile objective: the sum over lines of each line's minimum over its intercept at slope b. */
export function profileValue(lines: readonly PreparedLine[], b: number): number {
  let s = 0;
  for (const l of lines) s += lineProfile(l, b).value;
  return s;
}

interface Minimum {
  slope: number | null;
  unbounded: "above" | "below" | null;
  /** the objective at the minimum (its infimum, at the edge, when unbounded) */
  value: number;
  /** where the objective was evaluated at its smallest */
  at: number;
}

const SCAN_STEP = 0.5;

/**
 * Scans b over [-EXPONENT_LIMIT, EXPONENT_LIMIT] in steps of 0.5, then refines the best bracket by
 * golden section. The binomial and lognormal objectives are convex in b (a profile of a convex
 * function); the gaussian one need not be, and the scan is what finds its global minimum. A minimum at
 * the edge of the scan means the estimate is unbounded (e.g. one cell collapsed and its neighbours none).
 */
function minimiseProfile(lines: readonly PreparedLine[]): Minimum {
  const n = Math.round((2 * EXPONENT_LIMIT) / SCAN_STEP);
  const bs: number[] = [], fs: number[] = [];
  for (let i = 0; i <= n; i++) {
    const b = -EXPONENT_LIMIT + i * SCAN_STEP;
    bs.push(b);
    fs.push(profileValue(lines, b));
  }
  let k = 0;
  for (let i = 1; i <= n; i++) if (fs[i] < fs[k]) k = i;
  const spread = Math.max(...fs.filter(Number.isFinite)) - fs[k];
  if (!(spread > 1e-9 * (1 + Math.abs(fs[k])))) return { slope: null, unbounded: null, value: fs[k], at: 0 };
  if (k === 0) return { slope: null, unbounded: "below", value: fs[0], at: bs[0] };
  if (k === n) return { slope: null, unbounded: "above", value: fs[n], at: bs[n] };
  const b = goldenSection((x) => profileValue(lines, x), bs[k - 1], bs[k + 1]);
  const value = profileValue(lines, b);
  const best = value <= fs[k] ? { slope: b, unbounded: null, value, at: b } : { slope: bs[k], unbounded: null, value: fs[k], at: bs[k] };
  // A minimum the data cannot tell from an edge (the objective there within FLAT of it) is the
  // flat tail of an unbounded estimate, e.g. one cell with collapses and its neighbours none.
  if (fs[n] - best.value <= FLAT) return { slope: null, unbounded: "above", value: fs[n], at: bs[n] };
  if (fs[0] - best.value <= FLAT) return { slope: null, unbounded: "below", value: fs[0], at: bs[0] };
  return best;
}

/** Differences of the objective (a likelihood-ratio statistic) below this are no information. */
const FLAT = 1e-6;

function goldenSection(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  while (b - a > 1e-10 * (1 + Math.abs(a) + Math.abs(b))) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * {b : F(b) - F_min <= 3.84}: from the minimum outward in doubling steps until the objective exceeds
 * the threshold, then bisection. An end not reached within +-EXPONENT_LIMIT is null.
 */
function profileInterval(lines: readonly PreparedLine[], best: Minimum): [number | null, number | null] {
  const threshold = best.value + CHI2_1_95;
  const f = (b: number) => profileValue(lines, b);
  const side = (dir: 1 | -1): number | null => {
    if ((best.unbounded === "above" && dir === 1) || (best.unbounded === "below" && dir === -1)) return null;
    let inside = best.at, step = 0.25;
    for (;;) {
      const next = Math.max(-EXPONENT_LIMIT, Math.min(EXPONENT_LIMIT, inside + dir * step));
      if (f(next) > threshold) return bisectCrossing(f, threshold, inside, next);
      if (Math.abs(next) >= EXPONENT_LIMIT) return null;
      inside = next;
      step *= 2;
    }
  };
  return [side(-1), side(1)];
}

function bisectCrossing(f: (b: number) => number, threshold: number, inside: number, outside: number): number {
  let a = inside, b = outside;
  for (let i = 0; i < 200 && Math.abs(b - a) > 1e-9 * (1 + Math.abs(a)); i++) {
    const m = (a + b) / 2;
    if (f(m) > threshold) b = m;
    else a = m;
  }
  return (a + b) / 2;
}

function smallestExpected(lines: readonly PreparedLine[], b: number): number {
  let min = Infinity;
  for (const l of lines) {
    const a = lineProfile(l, b).intercept;
    const mu = lineFitted(l, a, b);
    l.obs.forEach((o, i) => {
      if (o.kind === "binomial") min = Math.min(min, o.n * mu[i], o.n * (1 - mu[i]));
    });
  }
  return min;
}

/**
 * The parametric bootstrap of the deviance: `draws` data sets drawn from the fitted model (every
 * cell's count from Binomial(n, P_fitted)), each refitted; returns #{D* >= D}, so that
 * p = (1 + #{D* >= D}) / (draws + 1). The random stream is keyed by `key`: the same p on every run.
 */
function bootstrapExceedances(lines: readonly PreparedLine[], slope: number, observed: number, key: string, draws: number): number {
  const rng = seedState(`bn-collapse/fit-gof/${key}`);
  const laws = lines.map((l) => {
    const mu = lineFitted(l, lineProfile(l, slope).intercept, slope);
    return l.obs.map((o, i) => binomialLaw((o as { n: number }).n, mu[i]));
  });
  const sim = lines.map((l) => countsLine(l.u, l.u.map(() => 0), Array.from(l.counts!.n)));
  let atLeast = 0;
  for (let r = 0; r < draws; r++) {
    sim.forEach((line, j) => {
      for (let i = 0; i < line.k.length; i++) line.k[i] = binomialDraw(rng, laws[j][i]);
      refreshCounts(line);
    });
    const d = refitCountsDeviance(sim, slope);
    if (d >= observed - 1e-9 * (1 + observed)) atLeast++;
  }
  return atLeast;
}

/**
 * The minimum over b of the profile deviance of count lines, by Newton from `start` on its
 * derivative (the profile is convex; src/analysis/counts-line.ts gives F' and F''). Steps are halved
 * while they do not lower F and clamped to +-EXPONENT_LIMIT, where an unbounded draw stops. Lines
 * without a collapsed or a surviving run contribute 0, as in the fit of the data.
 */
export function refitCountsDeviance(lines: readonly CountsLine[], start: number): number {
  const intercepts = new Float64Array(lines.length).fill(NaN);
  const acc = new Float64Array(2);
  const evaluate = (b: number, derivs: boolean): number => {
    let value = 0;
    acc[0] = 0;
    acc[1] = 0;
    for (let j = 0; j < lines.length; j++) {
      const a = countsIntercept(lines[j], b, intercepts[j]);
      if (!Number.isFinite(a)) continue;
      intercepts[j] = a;
      value += countsDeviance(lines[j], a, b);
      if (derivs) addProfileDerivs(lines[j], a, b, acc);
    }
    return value;
  };
  let b = start;
  let value = evaluate(b, true);
  for (let iter = 0; iter < 60; iter++) {
    let step = acc[1] > 0 ? -acc[0] / acc[1] : -Math.sign(acc[0]);
    if (!(Math.abs(step) > 1e-10)) break;
    let next = Math.max(-EXPONENT_LIMIT, Math.min(EXPONENT_LIMIT, b + step));
    let got = evaluate(next, false);
    const slack = 1e-12 * (1 + value);
    for (let h = 0; h < 40 && got > value + slack; h++) {
      step /= 2;
      next = b + step;
      got = evaluate(next, false);
    }
    if (got > value + slack) break;
    b = next;
    value = evaluate(b, true);
    if (Math.abs(b) >= EXPONENT_LIMIT) break;
  }
  return value;
}
