import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.ts";
import type { BenchWorkload } from "./workload.ts";

/**
 * The reference implementations in bench/ (reference.c, reference.py): the same mechanistic step and
 * collapse check, run side by side with the engine when a C compiler and python3 with numpy are here.
 */
export interface ReferenceRuns {
  impl: "c" | "numpy";
  available: boolean;
  /** why it did not run, or how it ran */
  note: string;
  /** the compiler or the numpy version */
  version: string | null;
  /** each run's own timing of its simulation loop (start-up, compilation and imports excluded) */
  seconds: number[];
  /** median sample-steps per second */
  perSecond: number | null;
  /** median sample-steps per CPU second of the simulation loop */
  perCpuSecond: number | null;
  counts: { collapsed: number; n: number }[];
}

const BENCH_DIR = fileURLToPath(new URL("../../bench/", import.meta.url));

/** The variables that select an OpenBLAS kernel on some processors; unset together for numpy. */
const OPENBLAS_VARS = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

interface RefOutput {
  collapsed: number;
  nonFinite: number;
  trials: number;
  seconds: number;
  cpuSeconds: number;
  sampleStepsPerSecond: number;
  stepsExecuted: number;
}

function workloadArgs(w: BenchWorkload, rep: number): string[] {
  return [
    "--lr", String(w.lr), "--gamma", String(w.gamma), "--beta", String(w.beta), "--batch", String(w.batch),
    "--steps", String(w.steps), "--trials", String(w.trials), "--c", String(w.c), "--seed", String(w.seed + rep),
  ];
}

function unavailable(impl: "c" | "numpy", note: string): ReferenceRuns {
  return { impl, available: false, note, version: null, seconds: [], perSecond: null, perCpuSecond: null, counts: [] };
}

/** Runs `command args` `repeats` times (rep k with seed + k) and collects what each run printed. */
function runRepeats(
  impl: "c" | "numpy",
  command: string,
  prefix: string[],
  w: BenchWorkload,
  env: NodeJS.ProcessEnv,
  note: string,
  version: string | null,
): ReferenceRuns {
  const seconds: number[] = [], rates: number[] = [], cpuRates: number[] = [];
  const counts: { collapsed: number; n: number }[] = [];
  for (let rep = 0; rep < w.repeats; rep++) {
    const r = spawnSync(command, [...prefix, ...workloadArgs(w, rep)], { env, encoding: "utf8", maxBuffer: 1 << 20 });
    if (r.status !== 0) return unavailable(impl, `failed (exit ${r.status}): ${(r.stderr || String(r.error ?? "")).trim().split("\n").pop()}`);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as RefOutput;
    seconds.push(out.seconds);
    rates.push(out.sampleStepsPerSecond);
    cpuRates.push((out.stepsExecuted * w.batch) / out.cpuSeconds);
    counts.push({ collapsed: out.collapsed, n: out.trials - out.nonFinite });
  }
  return { impl, available: true, note, version, seconds, perSecond: median(rates), perCpuSecond: median(cpuRates), counts };
}

/** Compiles bench/reference.c with `cc -O3` (or $CC) into a temporary directory and runs it. */
export function runCReference(w: BenchWorkload): ReferenceRuns {
  const cc = process.env.CC || "cc";
  const version = spawnSync(cc, ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return unavailable("c", `no C compiler (${cc}) found: skipped`);
  const dir = mkdtempSync(join(tmpdir(), "bn-collapse-bench-"));
  try {
    const exe = join(dir, "reference");
    const build = spawnSync(cc, ["-O3", "-o", exe, join(BENCH_DIR, "reference.c"), "-lm"], { encoding: "utf8" });
    if (build.status !== 0) return unavailable("c", `${cc} -O3 failed: ${build.stderr.trim().split("\n")[0]}`);
    const first = version.stdout.split("\n")[0].trim();
    return runRepeats("c", exe, [], w, process.env, `${cc} -O3, one thread`, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs bench/reference.py with python3 (numpy), OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. */
export function runNumpyReference(w: BenchWorkload): ReferenceRuns {
  const python = process.env.PYTHON || "python3";
  const env = { ...process.env };
  const unset = OPENBLAS_VARS.filter((v) => v in env);
  for (const v of OPENBLAS_VARS) delete env[v];
  const probe = spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], { env, encoding: "utf8" });
  if (probe.error || probe.status !== 0) return unavailable("numpy", `no ${python} with numpy found: skipped`);
  const note = `${python}, numpy ${probe.stdout.trim()}, vectorised over trajectories` +
    (unset.length ? ` (${unset.join(" and ")} unset for this command)` : "");
  return runRepeats("numpy", python, [join(BENCH_DIR, "reference.py")], w, env, note, `numpy ${probe.stdout.trim()}`);
}
