import type { SweepProblem } from "./problem.ts";

/**
 * Settings that run but measure something other than what the user likely meant. With ReLU and no
 * weight decay, r freezes once it enters the dead cone r <= -sqrt(B - 1); a ratio threshold beyond
 * the cone is then reached only by single steps that jump past it.
 */
export function sweepWarnings(sweep: SweepProblem): string[] {
  const { template, axes } = sweep;
  const c = template.collapse;
  if (template.activation.kind !== "relu" || c.kind !== "ratio") return [];
  const threshold = -c.c;
  const out: string[] = [];
  for (const B of axes.batch) {
    const cone = -Math.sqrt(B - 1);
    if (threshold < cone) {
      out.push(
        `--collapse ratio:${c.c} lies beyond the dead cone r = -sqrt(B-1) = ${cone.toFixed(3)} at B = ${B}: ` +
          `a ReLU unit freezes at the cone and reaches r <= ${threshold} only by jumping past it; --collapse dead counts dead units`,
      );
    }
  }
  return out;
}
