import { chiSquareSf } from "../stats/gamma.ts";
import { tau } from "../theory/scaling.ts";
import { fitLogisticPolynomial } from "./logistic.ts";

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
  chi2: number;
  dof: number;
  pValue: number;
}

export interface CollapseTest {
  /** cells used; cells with no valid trajectory are left out */
  cells: number;
  /** distinct r0 = beta0/|gamma0|: the law is a function of (tau, r0), so each r0 is its own curve */
  strata: number;
  /**
   * Pearson chi-square of a binomial (logit-link) fit of P as a polynomial in log tau, per r0 stratum,
   * summed over strata; dof = cells - parameters. Only cells with at least 5 collapsed and 5 surviving
   * runs enter (`excluded` counts the others). Null when no stratum has a positive dof.
   */
  polynomial: (ChiSquareTest & { degree: number; excluded: number }) | null;
  /**
   * Shape-free: Pearson chi-square homogeneity test among cells of equal tau (and r0), relative
   * tolerance 1e-9, summed over such groups; null when no two cells share a tau.
   */
  equalTau: (ChiSquareTest & { groups: number }) | null;
  /** 0.05 for one test, 0.025 each (Bonferroni) when both are available */
  level: number;
  rejected: boolean | null;
}

const MAX_DEGREE = 3;
const MIN_COUNT = 5;

export function collapseTest(cells: readonly CollapseCell[], maxDegree = MAX_DEGREE): CollapseTest {
  const used = cells.filter((c) => c.n > 0);
  const strata = groupBy(used, (c) => c.beta / Math.abs(c.gamma), 1e-12);
  let polyChi2 = 0, polyDof = 0, degreeUsed = 0, excluded = 0;
  let eqChi2 = 0, eqDof = 0, groups = 0;
  for (const stratum of strata) {
    const pts = stratum.map((c) => ({ u: Math.log(tau(c.lr, c.sigma, c.steps, c.batch, c.gamma)), k: c.k, n: c.n }));
    // Pearson's chi-square law needs expected counts of several on both sides: cells with fewer than
    // MIN_COUNT collapsed or surviving runs (P near 0 or 1, where a logit fit also separates) stay out
    // of the curve test and are counted in `excluded`; the equal-tau test below still uses them.
    const fitted = pts.filter((p) => p.k >= MIN_COUNT && p.n - p.k >= MIN_COUNT);
    excluded += pts.length - fitted.length;
    const distinct = groupBy(fitted, (p) => p.u, 1e-9, true).length;
    const degree = Math.max(1, Math.min(maxDegree, distinct - 2));
    const dof = fitted.length - (degree + 1);
    if (dof >= 1 && distinct >= 2) {
      polyChi2 += fitLogisticPolynomial(fitted, degree).pearson;
      polyDof += dof;
      degreeUsed = Math.max(degreeUsed, degree);
    }
    for (const group of groupBy(pts, (p) => p.u, 1e-9, true)) {
      if (group.length < 2) continue;
      const h = homogeneity(group);
      if (h.dof === 0) continue;
      eqChi2 += h.chi2;
      eqDof += h.dof;
      groups++;
    }
  }
  const polynomial = polyDof > 0 ? { chi2: polyChi2, dof: polyDof, pValue: chiSquareSf(polyChi2, polyDof), degree: degreeUsed, excluded } : null;
  const equalTau = eqDof > 0 ? { chi2: eqChi2, dof: eqDof, pValue: chiSquareSf(eqChi2, eqDof), groups } : null;
  const tests: ChiSquareTest[] = [];
  if (polynomial) tests.push(polynomial);
  if (equalTau) tests.push(equalTau);
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

/** Pearson chi-square of a 2 x m table (collapsed / not, per cell) against a common p. */
function homogeneity(group: readonly { k: number; n: number }[]): { chi2: number; dof: number } {
  const p = group.reduce((a, c) => a + c.k, 0) / group.reduce((a, c) => a + c.n, 0);
  if (p === 0 || p === 1) return { chi2: 0, dof: 0 };
  const chi2 = group.reduce((a, c) => a + (c.k - c.n * p) ** 2 / (c.n * p * (1 - p)), 0);
  return { chi2, dof: group.length - 1 };
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
