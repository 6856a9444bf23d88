import type { BenchReport, ModelThroughput } from "./run-bench.ts";

/** The bench report as text: what ran, how fast, whether the implementations agree, the ratios. */
export function formatBenchReport(r: BenchReport): string {
  const m = r.machine;
  const w = r.workload;
  const lines: string[] = [];
  lines.push(`bn-collapse ${r.version} bench${r.quick ? " --quick (small workload: indicative only)" : ""}`);
  lines.push(
    `machine: ${m.cores} cores, ${m.cpu}, ${m.platform}, ${m.runtime} ${m.node ?? m.deno} (V8 ${m.v8}); ` +
      `load average ${m.loadAverageStart.join(" ")} at start, ${m.loadAverageEnd?.join(" ") ?? "?"} at end`,
  );
  lines.push(
    `workload: lr ${w.lr}, gamma ${w.gamma}, beta ${w.beta}, B ${w.batch}, ${w.steps} steps, ${w.trials} trajectories ` +
      `(reduced: ${w.reducedTrials}), ${w.collapse} checked every step, not stopped at collapse, sgd, gauss:1 noise, ` +
      `exact-sum sampling; medians of ${w.repeats} run(s), seed ${w.seed}+k`,
  );
  lines.push("");
  lines.push(...modelLines("mechanistic", r.mechanistic));
  lines.push(...modelLines("reduced", r.reduced));
  for (const ref of [r.references.numpy, r.references.c]) {
    lines.push(
      ref.available
        ? `${ref.impl.padEnd(12)} ${fmtRate(ref.perSecond)} sample-steps/s, ${fmtRate(ref.perCpuSecond)} per CPU-s   (${ref.note})`
        : `${ref.impl.padEnd(12)} ${ref.note}`,
    );
  }
  const rq = r.reproduceQuick;
  lines.push(`reproduce --quick: ${rq.seconds !== null ? `${rq.seconds.toFixed(1)} s wall` : rq.note}`);
  lines.push("");
  lines.push("collapse probability by T (must agree):");
  const ests = [r.mechanistic.estimate, r.references.numpy.estimate, r.references.c.estimate];
  for (const e of ests) if (e) lines.push(`  ${e.name.padEnd(12)} p = ${e.p.toFixed(4)} +- ${e.se.toFixed(4)}  (${e.collapsed}/${e.n})`);
  for (const p of r.agreement.pairs) {
    lines.push(`  ${p.a} vs ${p.b}: |dp| = ${p.diff.toFixed(4)} = ${p.z.toFixed(2)} se, limit ${p.limit.toFixed(4)}: ${p.ok ? "agree" : "DISAGREE"}`);
  }
  lines.push(`  rule ${r.agreement.rule}: ${r.agreement.ok ? "all agree" : "NOT ALL AGREE"}`);
  lines.push("");
  lines.push("ratios against the targets (issue 7):");
  for (const t of r.targets) {
    const v = t.value === null ? "n/a" : `${t.value.toFixed(2)}x`;
    const verdict = t.met === null ? "not measured" : t.met ? "met" : "NOT met";
    lines.push(`  ${t.label.padEnd(44)} ${v.padStart(8)}   target >= ${t.target}x: ${verdict}${t.note ? ` (${t.note})` : ""}`);
  }
  const rc = r.ratiosCpu;
  const f = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(2)}x`);
  lines.push(`  per CPU second (load-robust, no target): 1 worker / numpy ${f(rc.mechanistic1VsNumpy)}, 1 worker / C ${f(rc.mechanistic1VsC)}`);
  if (r.ratios.allCoresVs1Cold !== null) {
    lines.push(`  ${"all cores / 1 worker, starting the workers".padEnd(44)} ${`${r.ratios.allCoresVs1Cold.toFixed(2)}x`.padStart(8)}   (no target)`);
  }
  lines.push("");
  lines.push(`rare events, work to a 10% relative SE (${r.rare.estimator}; ${r.rare.setting}):`);
  for (const p of r.rare.points) {
    lines.push(
      `  P ~ ${p.target.padEnd(5)} lr ${p.lr}, ${p.score.padEnd(7)} score: AMS p = ${p.p.toExponential(2)} +- ${p.se.toExponential(1)} (${p.runs} runs); ` +
        `brute force ${p.workBrute.toExponential(2)} updates${p.extrapolated ? " (extrapolated)" : ""}, AMS ${p.workAms.toExponential(2)}: ${p.workRatio.toFixed(1)}x less`,
    );
  }
  return lines.join("\n") + "\n";
}

function modelLines(name: string, t: ModelThroughput): string[] {
  if (!t.available) return [`${name.padEnd(12)} ${t.note}`];
  const same = t.sameCountsAllCores ? "same counts on all cores" : "COUNTS DIFFER between 1 and all workers";
  const lines = [
    `${name.padEnd(12)} ${fmtRate(t.perSecond1)} ${t.unit} on 1 worker (${fmtRate(t.perCpuSecond1)} per CPU-s), ` +
      `${fmtRate(t.perSecondAll)} on ${t.workersAll} (${same})`,
  ];
  if (t.workerStartupSeconds !== null) {
    lines.push(
      `${"".padEnd(12)} starting ${t.workersAll} workers takes ${t.workerStartupSeconds.toFixed(2)} s (once a process); ` +
        `a run that pays it: ${fmtRate(t.perSecondAllCold)} ${t.unit}`,
    );
  }
  return lines;
}

function fmtRate(x: number | null): string {
  if (x === null) return "n/a";
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}
