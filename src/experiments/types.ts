import type { LayerConfig } from "../model/layer.ts";
import type { RawSweepConfig } from "../config/fields.ts";

export type Mode = "full" | "quick";

/** A grid run by `runSweep`. `quick` overrides fields of `config` in quick mode. */
export interface SweepMeasurement {
  kind: "sweep";
  label: string;
  config: RawSweepConfig;
  quick: RawSweepConfig;
}

/** Sample (gamma, beta) paths of one setting (`config` must name one cell). */
export interface PathsMeasurement {
  kind: "paths";
  label: string;
  config: RawSweepConfig;
  quick: RawSweepConfig;
  paths: number;
  /** record every this many updates */
  every: number;
}

/**
 * The mean one-step change of the sparsity s = 1 - Phi(beta/|gamma|) from (gamma0, beta0), by
 * simulation (src/analysis's drift estimator): along `lr` at gamma0 = `atGamma`, and along `gamma` at
 * lr = `atLr`; `trials` one-step runs per point.
 */
export interface DriftMeasurement {
  kind: "drift";
  label: string;
  config: RawSweepConfig;
  quick: { trials?: number };
  lr: number[];
  gamma: number[];
  atGamma: number;
  atLr: number;
  trials: number;
}

/**
 * A BN layer against the single unit along lr (src/layer/rows.ts): `layers` layers per lr, the
 * single-unit engine at each lr's measured sigma_eff with `singleTrials` trajectories. `quick`
 * overrides fields in quick mode.
 */
export interface LayerMeasurement {
  kind: "layer";
  label: string;
  config: Partial<LayerConfig>;
  lr: number[];
  layers: number;
  singleTrials: number;
  seed: number;
  quick: { config?: Partial<LayerConfig>; lr?: number[]; layers?: number; singleTrials?: number };
}

/** psBN's dead fractions and recovery times (src/experiments/build-psbn.ts, which holds the settings). */
export interface PsbnRecoveryMeasurement {
  kind: "psbn-recovery";
  label: string;
}

export type Measurement = SweepMeasurement | PathsMeasurement | DriftMeasurement | LayerMeasurement | PsbnRecoveryMeasurement;

/**
 * The measurements each kind of figure is drawn from, in order. An experiment declared with other
 * measurements than its figure needs is a compile error (and so is a builder that reads one its
 * kind does not have): the set in set.ts is checked by the type checker, not at run time.
 */
export interface MeasurementsOf {
  "probability-vs-lr": [SweepMeasurement];
  heatmap: [SweepMeasurement];
  exponents: [SweepMeasurement];
  "probability-vs-tau": [SweepMeasurement, ...SweepMeasurement[]];
  survival: [SweepMeasurement];
  comparison: [SweepMeasurement, ...SweepMeasurement[]];
  drift: [DriftMeasurement];
  trajectories: [PathsMeasurement];
  "layer-vs-unit": [LayerMeasurement];
  recovery: [PathsMeasurement, ...PathsMeasurement[]];
  "psbn-recovery": [PsbnRecoveryMeasurement];
}

export type FigureKind = keyof MeasurementsOf;

/** One figure of kind K: what to measure, how to draw it, and what the paper says it should show. */
export interface ExperimentOf<K extends FigureKind> {
  id: string;
  title: string;
  figure: K;
  /** the paper's claim this figure tests, in one or two sentences */
  claim: string;
  measurements: MeasurementsOf[K];
  /** figure-specific settings (e.g. which gamma the survival curves are drawn at) */
  options?: ExperimentOptions;
}

/** A figure of any kind (a union discriminated by `figure`). */
export type Experiment = { [K in FigureKind]: ExperimentOf<K> }[FigureKind];

export interface ExperimentOptions {
  /** survival: the gamma0 whose cells are drawn, at most `maxCurves` of them */
  gamma?: number;
  maxCurves?: number;
  /** heat map: the lr/gamma iso-lines */
  isoRatios?: number[];
  /** comparison: split one sweep's cells into variants along this axis */
  splitBy?: "batch" | "weightDecay";
  legendTitle?: string;
  /** comparison: the y axis's title where "collapse" would mislead (e.g. a LeakyReLU unit recovers) */
  yTitle?: string;
}
