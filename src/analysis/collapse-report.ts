import type { SweepResult } from "../solution/result.ts";
import type { UnitProblem } from "../model/problem.ts";
import { collapseTest, type CollapseCell, type CollapseTest } from "./collapse.ts";
import { fmt } from "./regime.ts";
import { gofPText, referenceText } from "./verdict.ts";

export interface CollapseReport {
  variable: string;
  test: CollapseTest;
  /** true when P depends on lr/gamma0 only by the exact scale symmetry, so collapse is exact by construction */
  trivial: boolean;
  sentence: string;
}

/** The noise scale sigma that enters tau. */
export function sigmaOf(problem: UnitProblem): number {
  return problem.loss.kind === "noise" ? problem.loss.noise.sigma : problem.loss.labelNoise;
}

/**
 * Scale symmetry (docs/model.md section 5): plain SGD or momentum, no weight decay, the noise loss, Gaussian
 * input, a criterion on r. Then P depends on lr and gamma0 only through lr/gamma0, and with one B and
 * one T tau is a function of lr/gamma0 too.
 */
export function collapseIsTrivial(result: SweepResult): boolean {
  const c = result.config;
  const t = result.template;
  return (
    c.batch.length === 1 &&
    (t.optimizer.kind === "sgd" || t.optimizer.kind === "momentum") &&
    c.weightDecay.every((w) => w === 0) &&
    t.loss.kind === "noise" &&
    t.input.kind === "gauss" &&
    t.collapse.kind !== "gamma"
  );
}

/** The collapse test's cells of a sweep, each with the sweep's horizon and noise scale. */
export function collapseCells(result: SweepResult): CollapseCell[] {
  const sigma = sigmaOf(result.template);
  return result.cells.map((c) => ({
    lr: c.lr, gamma: c.gamma, beta: c.beta, batch: c.batch, steps: result.config.steps, sigma,
    k: c.collapsed, n: c.trials - c.nonFinite,
  }));
}

export function collapseReport(result: SweepResult): CollapseReport {
  const test = collapseTest(collapseCells(result));
  const trivial = collapseIsTrivial(result);
  let sentence = collapseSentence(test);
  if (trivial) {
    sentence += ` Note: with one B, one T, ${result.template.optimizer.kind} and no weight decay, P depends on lr/gamma0 exactly (scale symmetry), so the collapse onto tau is exact by construction here; the test only checks the statistics and the fitted curve. It is informative when B or T vary, or with weight decay or Adam.`;
  }
  return { variable: "tau = lr^2 sigma^2 T / (B gamma0^2)", test, trivial, sentence };
}

/**
 * The collapse test over several sweeps together (their cells may differ in B and T): informative
 * unless every sweep is scale-symmetric with one and the same B and T.
 */
export function collapseReportOf(results: readonly SweepResult[]): CollapseReport {
  const test = collapseTest(results.flatMap(collapseCells));
  const sameBT = new Set(results.flatMap((r) => r.config.batch.map((b) => `${b}/${r.config.steps}`))).size === 1;
  const trivial = sameBT && results.every(collapseIsTrivial);
  return { variable: "tau = lr^2 sigma^2 T / (B gamma0^2)", test, trivial, sentence: collapseSentence(test) };
}

/** The test's statement: both statistics with their reference, and the decision. */
export function collapseSentence(test: CollapseTest): string {
  const parts: string[] = [];
  const poly = test.polynomial, eq = test.equalTau;
  if (poly) parts.push(`logit-polynomial fit in log tau (degree ${poly.degree}, per r0; every cell, zero counts included): deviance ${fmt(poly.chi2)} on ${poly.dof} dof, ${gofPText(poly)} (${referenceText(poly)})`);
  if (eq) parts.push(`homogeneity among ${eq.groups} groups of equal tau: deviance ${fmt(eq.chi2)} on ${eq.dof} dof, ${gofPText(eq)} (${referenceText(eq)})`);
  if (test.rejected === null) return `Data collapse onto tau: not testable on this grid (too few cells or distinct tau).`;
  const level = `the ${test.level} level${test.level < 0.05 ? " (each of two tests, Bonferroni)" : ""}`;
  return (
    `Data collapse of P(T) onto tau = lr^2 sigma^2 T/(B gamma0^2): ${parts.join("; ")}; ` +
    (test.rejected ? `rejected at ${level}: the cells do not fall on one curve of tau.` : `not rejected at ${level}: no evidence against one curve of tau on these cells.`)
  );
}

export function pfmt(p: number): string {
  return p >= 0.001 ? fmt(p) : p.toExponential(1);
}
