import { seedState } from "../rng/streams.ts";
import { chiSquareSf } from "../stats/gamma.ts";
import { tau } from "../theory/scaling.ts";
import { binomialDraw, binomialLaw } from "./binomial-draw.ts";
import { BOOTSTRAP_DRAWS, MIN_EXPECTED } from "./exponent-fit.ts";
import { binomialDeviance, fitLogisticPolynomial, type BinomialPoint } from "./logistic.ts";

/** One cell for the data-collapse test: k collapsed of n by T, and what tau needs. */
export interface CollapseCell {
  lr: number;
  gamma: number;
  beta: number;
  batch: number;
  steps: number;
  sigma: number;
  k: number;
  n: number;
}

export interface ChiSquareTest {
  /** the binomial deviance of the fit */
  chi2: number;
  dof: number;
  /** from `reference` */
  pValue: number;
  reference: "chi-square" | "parametric bootstrap";
  /** the chi-square approximation's p (equal to pValue with that reference) */
  chiSquareP: number;
  draws?: number;
  exceeded?: number;
}

export interface CollapseTest {
  /** cells used: every cell with a valid run (k = 0 and k = n included) */
  cells: number;
  /** distinct r0 = beta0/|gamma0|: the law is a function of (tau, r0), so each r0 is its own curve */
  strata: number;
  /**
   * Deviance of a binomial (logit-link) maximum-likelihood fit of P as a polynomial in log tau, per r0
   * stratum, summed over strata; dof = cells - parameters. Null when no stratum has a positive dof.
   */
  polynomial: (ChiSquareTest & { degree: number }) | null;
  /**
   * Shape-free: deviance of the cells of equal tau (and r0) against their pooled P, relative
   * tolerance 1e-9, summed over such groups; null when no two cells share a tau.
   */
  equalTau: (ChiSquareTest & { groups: number }) | null;
  /** 0.05 for one test, 0.025 each (Bonferroni, which is Holm for the either-rejects decision) when both are available */
  level: number;
  rejected: boolean | null;
}

const MAX_DEGREE = 3;

/**
 * Whether P(T) is one function of tau (per r0). Both statistics are deviances, referred to chi-square
 * when every cell expects at least 5 collapsed and 5 surviving runs under the fit, otherwise to a
 * parametric bootstrap (999 draws from the fitted model, a fixed seed): cells with few or no collapses
 * stay in, and the reference distribution is the right one for them.
 */
export function collapseTest(cells: readonly CollapseCell[], options: { maxDegree?: number; draws?: number } = {}): CollapseTest {
  const maxDegree = options.maxDegree ?? MAX_DEGREE;
  const draws = options.draws ?? BOOTSTRAP_DRAWS;
  const used = cells.filter((c) => c.n > 0);
  const strata = groupBy(used, (c) => c.beta / Math.abs(c.gamma), 1e-12).map((stratum) =>
    stratum.map((c) => ({ u: Math.log(tau(c.lr, c.sigma, c.steps, c.batch, c.gamma)), k: c.k, n: c.n })),
  );

  // the polynomial in log tau, per stratum with a positive dof
  const polyStrata = strata.flatMap((pts) => {
    const distinct = groupBy(pts, (p) => p.u, 1e-9, true).length;
    const degree = Math.max(1, Math.min(maxDegree, distinct - 2));
    return pts.length - (degree + 1) >= 1 && distinct >= 2 ? [{ pts, degree }] : [];
  });
  let polynomial: CollapseTest["polynomial"] = null;
  if (polyStrata.length > 0) {
    const fits = polyStrata.map((s) => fitLogisticPolynomial(s.pts, s.degree));
    const dev = fits.reduce((a, f) => a + f.deviance, 0);
    const dof = polyStrata.reduce((a, s) => a + s.pts.length - (s.degree + 1), 0);
    const fitted = polyStrata.map((s, i) => s.pts.map((p, j) => ({ n: p.n, p: fits[i].fitted[j] })));
    const refit = (sim: BinomialPoint[][]) => sim.reduce((a, pts, i) => a + fitLogisticPolynomial(pts, polyStrata[i].degree).deviance, 0);
    const reference = referenceP(dev, dof, fitted, polyStrata.map((s) => s.pts), refit, "collapse-polynomial", draws);
    polynomial = { chi2: dev, dof, ...reference, degree: Math.max(...polyStrata.map((s) => s.degree)) };
  }

  // equal-tau groups: each against its pooled P
  const groups = strata.flatMap((pts) => groupBy(pts, (p) => p.u, 1e-9, true).filter((g) => g.length >= 2 && pooledP(g) > 0 && pooledP(g) < 1));
  let equalTau: CollapseTest["equalTau"] = null;
  if (groups.length > 0) {
    const homogeneity = (gs: readonly BinomialPoint[][]) =>
      gs.reduce((a, g) => {
        const p = pooledP(g);
        return a + g.reduce((b, c) => b + binomialDeviance(c.k, c.n, p), 0);
      }, 0);
    const dev = homogeneity(groups);
    const dof = groups.reduce((a, g) => a + g.length - 1, 0);
    const fitted = groups.map((g) => g.map((c) => ({ n: c.n, p: pooledP(g) })));
    const reference = referenceP(dev, dof, fitted, groups, homogeneity, "collapse-equal-tau", draws);
    equalTau = { chi2: dev, dof, ...reference, groups: groups.length };
  }

  const tests = [polynomial, equalTau].filter((t): t is NonNullable<typeof t> => t !== null);
  const level = tests.length === 2 ? 0.025 : 0.05;
  return {
    cells: used.length,
    strata: strata.length,
    polynomial,
    equalTau,
    level,
    rejected: tests.length === 0 ? null : tests.some((t) => t.pValue < level),
  };
}

function pooledP(g: readonly { k: number; n: number }[]): number {
  return g.reduce((a, c) => a + c.k, 0) / g.reduce((a, c) => a + c.n, 0);
}

/**
 * The p-value of a deviance `dev` on `dof`: chi-square when every fitted cell expects at least
 * MIN_EXPECTED collapsed and surviving runs, else the parametric bootstrap (draws from `fitted`,
 * each restatistic'd by `statistic`), seeded by `key`.
 */
function referenceP(
  dev: number,
  dof: number,
  fitted: { n: number; p: number }[][],
  data: readonly BinomialPoint[][],
  statistic: (sim: BinomialPoint[][]) => number,
  key: string,
  draws: number,
): Omit<ChiSquareTest, "chi2" | "dof"> {
  const chiSquareP = chiSquareSf(dev, dof);
  const small = fitted.some((g) => g.some((c) => Math.min(c.n * c.p, c.n * (1 - c.p)) < MIN_EXPECTED));
  if (!small) return { pValue: chiSquareP, reference: "chi-square", chiSquareP };
  const rng = seedState(`bn-collapse/fit-gof/${key}`);
  const laws = fitted.map((g) => g.map((c) => binomialLaw(c.n, c.p)));
  let atLeast = 0;
  for (let r = 0; r < draws; r++) {
    const sim = data.map((g, i) => g.map((c, j) => ({ u: c.u, n: c.n, k: binomialDraw(rng, laws[i][j]) })));
    if (statistic(sim) >= dev - 1e-9 * (1 + dev)) atLeast++;
  }
  return { pValue: (1 + atLeast) / (draws + 1), reference: "parametric bootstrap", chiSquareP, draws, exceeded: atLeast };
}

/** Groups by a key with a relative (or, when `logScale`, absolute-on-log) tolerance, keys ascending. */
function groupBy<T>(items: readonly T[], key: (t: T) => number, tol: number, logScale = false): T[][] {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const out: T[][] = [];
  for (const item of sorted) {
    const last = out[out.length - 1];
    const a = last ? key(last[0]) : NaN, b = key(item);
    const same = last && (logScale ? Math.abs(a - b) <= tol : Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b)));
    if (same) last.push(item);
    else out.push([item]);
  }
  return out;
}
