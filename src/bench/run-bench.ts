import { defaultWorkerCount } from "../ensemble/pool.ts";
import { VERSION } from "../solution/result.ts";
import { measureEngine, measureWorkerStartup, type EngineRuns } from "./engine-throughput.ts";
import { loadAverage, machineFacts, type MachineFacts } from "./machine.ts";
import { measureRareWork, type RareWorkReport } from "./rare-work.ts";
import { runCReference, runNumpyReference, type ReferenceRuns } from "./references.ts";
import { timeReproduceQuick, type ReproduceTiming } from "./reproduce-timing.ts";
import { median, pairwiseAgreement, pooledEstimate, type Estimate, type PairCheck } from "./stats.ts";
import { checkTargets, ratio, type Ratios, type TargetCheck } from "./targets.ts";
import { describeWorkload, type BenchWorkload } from "./workload.ts";

/** One model's throughput with one worker and with all cores. */
export interface ModelThroughput {
  available: boolean;
  note: string;
  unit: "sample-steps/s" | "trajectory-steps/s";
  perSecond1: number | null;
  perSecondAll: number | null;
  /** one worker, per CPU second: less sensitive to other load on the machine than the wall rate */
  perCpuSecond1: number | null;
  workersAll: number;
  seconds1: number[];
  secondsAll: number[];
  /** wall time for the all-cores workers to start and run a one-step block (measured once, cold) */
  workerStartupSeconds: number | null;
  /** the all-cores rate had each run also started its workers: a process's first sweep */
  perSecondAllCold: number | null;
  stepsExecuted: number | null;
  /** the all-cores runs reproduced the one-worker runs' counts exactly (same seeds) */
  sameCountsAllCores: boolean | null;
  estimate: Estimate | null;
}

export interface BenchReport {
  tool: "bn-collapse";
  version: string;
  kind: "bench";
  quick: boolean;
  workload: Record<string, unknown>;
  machine: MachineFacts;
  mechanistic: ModelThroughput;
  reduced: ModelThroughput;
  references: { numpy: Omit<ReferenceRuns, "counts"> & { estimate: Estimate | null }; c: Omit<ReferenceRuns, "counts"> & { estimate: Estimate | null } };
  agreement: { rule: string; pairs: PairCheck[]; ok: boolean };
  reproduceQuick: ReproduceTiming;
  ratios: Ratios;
  /** the engine-vs-reference ratios per CPU second, for a machine that is not quiet (no targets) */
  ratiosCpu: { mechanistic1VsNumpy: number | null; mechanistic1VsC: number | null };
  targets: TargetCheck[];
  /** AMS against brute force: work to a 10% relative SE at P ~ 1e-3, 1e-5, 1e-7 (src/bench/rare-work.ts) */
  rare: RareWorkReport;
}

export interface BenchOptions {
  quick: boolean;
  /** all-cores worker count; default all cores */
  workers?: number;
  references?: boolean;
  reproduce?: boolean;
  log?: (line: string) => void;
}

async function modelThroughput(
  w: BenchWorkload,
  model: "mechanistic" | "reduced",
  workersAll: number,
  log: (line: string) => void,
): Promise<ModelThroughput> {
  const unit = model === "mechanistic" ? "sample" : "trajectory";
  const name = model === "mechanistic" ? "mechanistic" : "reduced";
  let one: EngineRuns, all: EngineRuns;
  let startup: number | null = null;
  try {
    log(`${name}: 1 worker x ${w.repeats}`);
    one = await measureEngine(w, model, 1, unit);
    if (workersAll > 1) startup = await measureWorkerStartup(w, workersAll);
    if (workersAll > 1) log(`${name}: ${workersAll} workers x ${w.repeats}`);
    all = workersAll > 1 ? await measureEngine(w, model, workersAll, unit) : one;
  } catch (e) {
    const note = `${name} model not available: ${e instanceof Error ? e.message : String(e)}`;
    return {
      available: false, note, unit: model === "mechanistic" ? "sample-steps/s" : "trajectory-steps/s",
      perSecond1: null, perSecondAll: null, perCpuSecond1: null, workersAll, seconds1: [], secondsAll: [],
      workerStartupSeconds: null, perSecondAllCold: null, stepsExecuted: null,
      sameCountsAllCores: null, estimate: null,
    };
  }
  const same = one.counts.every((c, i) => c.collapsed === all.counts[i].collapsed && c.n === all.counts[i].n);
  return {
    available: true,
    note: "runSweep on one cell, wall time end to end, median of the repeats, each after an untimed warm-up run on the same threads (the worker pool is kept between runs)",
    unit: model === "mechanistic" ? "sample-steps/s" : "trajectory-steps/s",
    perSecond1: one.perSecond,
    perSecondAll: all.perSecond,
    perCpuSecond1: one.perCpuSecond,
    workersAll,
    seconds1: one.seconds,
    secondsAll: all.seconds,
    workerStartupSeconds: startup,
    perSecondAllCold: startup === null ? all.perSecond : coldRate(all, startup, unit === "sample" ? w.batch : 1),
    stepsExecuted: one.steps[0],
    sameCountsAllCores: same,
    estimate: pooledEstimate(name, one.counts),
  };
}

/** Median over the runs of steps / (wall + start-up). */
function coldRate(runs: EngineRuns, startup: number, per: number): number {
  return median(runs.seconds.map((s, i) => (runs.steps[i] * per) / (s + startup)));
}

function referenceEntry(r: ReferenceRuns) {
  const { counts, ...rest } = r;
  return { ...rest, estimate: r.available ? pooledEstimate(r.impl, counts) : null };
}

/** Runs the whole bench: engine throughputs, references side by side, agreement, ratios, targets. */
export async function runBench(w: BenchWorkload, options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const machine = machineFacts();
  const workersAll = options.workers ?? defaultWorkerCount();

  const mechanistic = await modelThroughput(w, "mechanistic", workersAll, log);
  const reduced = await modelThroughput(w, "reduced", workersAll, log);

  const skipped = (impl: "c" | "numpy"): ReferenceRuns =>
    ({ impl, available: false, note: "skipped (--no-references)", version: null, seconds: [], perSecond: null, perCpuSecond: null, counts: [] });
  const wantRefs = options.references ?? true;
  if (wantRefs) log(`numpy reference x ${w.repeats}`);
  const numpy = wantRefs ? runNumpyReference(w) : skipped("numpy");
  if (wantRefs) log(`C reference x ${w.repeats}`);
  const c = wantRefs ? runCReference(w) : skipped("c");

  const wantReproduce = options.reproduce ?? !options.quick;
  if (wantReproduce) log("reproduce --quick");
  const reproduceQuick: ReproduceTiming = wantReproduce
    ? timeReproduceQuick()
    : { available: false, note: options.quick ? "not timed with --quick" : "skipped (--no-reproduce)", seconds: null, exitCode: null };
  const rare = await measureRareWork(options.quick, log);
  machine.loadAverageEnd = loadAverage();

  const references = { numpy: referenceEntry(numpy), c: referenceEntry(c) };
  const estimates = [mechanistic.estimate, references.numpy.estimate, references.c.estimate].filter((e): e is Estimate => e !== null);
  const mechTrajectoryRate = mechanistic.perSecond1 === null ? null : mechanistic.perSecond1 / w.batch;
  const ratios: Ratios = {
    mechanistic1VsNumpy: ratio(mechanistic.perSecond1, numpy.perSecond),
    mechanistic1VsC: ratio(mechanistic.perSecond1, c.perSecond),
    allCoresVs1: workersAll > 1 ? ratio(mechanistic.perSecondAll, mechanistic.perSecond1) : null,
    allCoresVs1Cold: workersAll > 1 ? ratio(mechanistic.perSecondAllCold, mechanistic.perSecond1) : null,
    reducedVsMechanistic: ratio(reduced.perSecond1, mechTrajectoryRate),
  };
  return {
    tool: "bn-collapse",
    version: VERSION,
    kind: "bench",
    quick: options.quick,
    workload: describeWorkload(w),
    machine,
    mechanistic,
    reduced,
    references,
    agreement: pairwiseAgreement(estimates),
    reproduceQuick,
    ratios,
    ratiosCpu: {
      mechanistic1VsNumpy: ratio(mechanistic.perCpuSecond1, numpy.perCpuSecond),
      mechanistic1VsC: ratio(mechanistic.perCpuSecond1, c.perCpuSecond),
    },
    targets: checkTargets(ratios, workersAll),
    rare,
  };
}
