/**
 * The text keys that seed every random stream (src/rng/streams.ts turns one into a generator state).
 * As with numpy's SeedSequence, a key is a lineage: the run's seed, then a family of streams named
 * for its purpose (a sweep cell, a figure's paths, a layer configuration, ...), then the trajectory's
 * index in the family; a child family extends its parent's name. Every key the project uses is built
 * here, one builder per purpose, so no two purposes share streams by accident and a new purpose
 * (say, the replicas of a rare-event splitting run) is a new builder.
 *
 * The texts are exactly the ones the earlier versions built by hand: they decide every number a seed
 * gives, so changing one changes every result that depends on it (test/keys.test.ts pins them).
 */

declare const familyBrand: unique symbol;

/** The name of a family of streams, one per trajectory index (see trajectoryKey). */
export type StreamFamily = string & { readonly [familyBrand]: true };

/** A master seed, as the user gives it. */
export type Seed = string | number;

const family = (name: string) => name as StreamFamily;

/** The coordinates that name a sweep cell's streams. */
export interface CellCoordinates {
  lr: number;
  gamma: number;
  beta: number;
  batch: number;
}

/**
 * A sweep cell's family: named by lr, gamma, beta and batch, so a cell draws the same numbers in any
 * grid that contains it. Weight decay and signal are left out on purpose: cells that differ only there
 * share their random numbers (paired comparisons). With streams "common" every cell uses one family.
 */
export function cellStreams(at: CellCoordinates, streams: "per-cell" | "common" = "per-cell"): StreamFamily {
  if (streams === "common") return family("common");
  return family(`lr=${at.lr};gamma=${at.gamma};beta=${at.beta};batch=${at.batch}`);
}

/** The one-step drift estimator's runs from a cell's initial state (`fit`): a child of the cell. */
export function fitDriftStreams(cell: StreamFamily): StreamFamily {
  return family(`fit-drift;${cell}`);
}

/** The one-step boundary estimator's runs near the criterion (`fit`): a child of the cell. */
export function fitBoundaryStreams(cell: StreamFamily): StreamFamily {
  return family(`fit-boundary;${cell}`);
}

/**
 * Adaptive multilevel splitting (src/ensemble/ams-run.ts): run `run` of a cell, iteration
 * `iteration` (0: the initial replicas), a child of the cell; the index is the replica. A branch's
 * stream first picks the survivor it copies, then drives the branch from the copied state.
 */
export function amsStreams(cell: string, run: number, iteration: number): StreamFamily {
  return family(`ams;${cell};run=${run};iteration=${iteration}`);
}

/** The (gamma, beta) paths a figure draws. */
export const PATH_STREAMS = family("paths");

/** The one-step blocks the bench runs to time worker start-up. */
export const STARTUP_STREAMS = family("startup");

/** What a layer's random numbers depend on (docs/layer.md): not lr, gamma0 or beta0, for paired comparisons. */
export interface LayerStreamFields {
  units: number;
  inputDim: number;
  batch: number;
  teacherGamma: number;
  teacherBeta: number;
  labelNoise: number;
  readoutScale: number;
}

/** The layers of one configuration: layer j draws its features, readouts and batches from stream j. */
export function layerStreams(c: LayerStreamFields): StreamFamily {
  return family(`layer;K=${c.units};d=${c.inputDim};B=${c.batch};tg=${c.teacherGamma};tb=${c.teacherBeta};noise=${c.labelNoise};a=${c.readoutScale}`);
}

/** The single-unit runs that predict a layer's collapsed fraction at learning rate lr. */
export function layerSingleUnitStreams(lr: number): StreamFamily {
  return family(`layer-single;lr=${lr}`);
}

/** A seed derived from another for a named part of a computation (its families are then all new). */
export function childSeed(seed: Seed, name: string): string {
  return `${seed}/${name}`;
}

/**
 * The key of trajectory `index` of a family under a seed: what seedState hashes. `streams` is a
 * StreamFamily from a builder above, or a user's own family name (SimulateOptions.streamKey).
 */
export function trajectoryKey(seed: Seed, streams: string, index: number): string {
  return `bn-collapse/${seed}/${streams}/${index}`;
}
