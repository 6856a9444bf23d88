import type { FitReport } from "./fit-sweep.ts";
import { fmt } from "./regime.ts";

const TAG = { probability: "(a)", median: "(b)", drift: "(c)", boundary: "(d)" } as const;

/** The fit report as text for a reader: regime, method, one sentence per line of the grid, the collapse test. */
export function fitReportText(r: FitReport, source: string): string {
  const g = r.regime;
  const out: string[] = [];
  out.push(`bn-collapse fit: scaling exponents of ${source}`);
  out.push(
    `Regime: lr in [${fmt(g.lr[0])}, ${fmt(g.lr[1])}], gamma0 in [${fmt(g.gamma[0])}, ${fmt(g.gamma[1])}], B = ${g.batch.join(",")}, T = ${g.steps}, ` +
      `${g.optimizer}${g.weightDecay.some((w) => w !== 0) ? ` (weight decay ${g.weightDecay.join(",")})` : ""}, collapse ${g.collapse}, noise ${g.noise}, loss ${g.loss}, ${g.model} model, ${g.trials} trajectories per cell, seed ${g.seed}.`,
  );
  out.push(`The paper's law (P ~ lr^2/gamma^2) implies exponents +2 in lr and -2 in gamma for probabilities and drifts, -2 and +2 for the median time.`);
  out.push(
    `Fits: weighted least squares of log y on log x, weights 1/var(log y) by the delta method (var(log y) = (se/y)^2); the slope's SE is inflated by sqrt(chi2/dof) when chi2/dof > 1 (then a Student-t interval), never deflated; cells whose estimate cannot enter a log (p = 0 or 1, no median by T, drift <= 0) are excluded and counted.`,
  );
  out.push(`Estimators (c) and (d) ran fresh one-step simulations: ${r.simulation.trials} runs per cell with the sweep's seed ${r.simulation.seed} (${r.simulation.seconds.toFixed(1)} s; --trials sets the number).`);
  for (const e of r.estimators) {
    out.push("");
    out.push(`${TAG[e.info.id]} ${e.info.label}: ${e.info.quantity}. Expected exponents: ${signed(e.info.expected.lr)} in lr, ${signed(e.info.expected.gamma)} in gamma.`);
    out.push(`    method: ${e.method}`);
    for (const axis of ["lr", "gamma"] as const) {
      const lines = e.lines.filter((l) => l.axis === axis);
      if (lines.length === 0) continue;
      const tally = ["holds", "does not hold", "inconclusive", "untestable"].map((k) => [k, lines.filter((l) => l.verdict === k).length] as const).filter(([, n]) => n > 0);
      out.push(`  in ${axis} (${lines.length} lines: ${tally.map(([k, n]) => `${n} ${k}`).join(", ")}):`);
      const pooled = e.pooled[axis];
      if (pooled) out.push(`  * ${pooled.sentence}`);
      for (const l of lines) {
        out.push(`  - ${l.sentence}`);
        if (l.local.length > 1) out.push(`      local: ${l.local.map((x) => `${fmt(x.from)}-${fmt(x.to)}: ${fmt(x.slope)} [${fmt(x.ci95[0])}, ${fmt(x.ci95[1])}]`).join("; ")}`);
      }
    }
  }
  out.push("");
  out.push(r.collapse.sentence);
  return out.join("\n") + "\n";
}

const signed = (x: number) => (x > 0 ? `+${x}` : `${x}`);
