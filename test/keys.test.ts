/**
 * The stream keys of src/rng/keys.ts seed every random number the project draws, so their texts are
 * part of every result: these are the texts earlier versions built by hand, pinned character for
 * character. A failure here means every seed now gives other numbers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PATH_STREAMS,
  STARTUP_STREAMS,
  amsStreams,
  cellStreams,
  childSeed,
  fitBoundaryStreams,
  fitDriftStreams,
  layerSingleUnitStreams,
  layerStreams,
  trajectoryKey,
} from "../src/rng/keys.ts";
import { DEFAULT_LAYER } from "../src/model/layer.ts";

test("stream keys: the texts every seed has always been extended with", () => {
  const at = { lr: 0.2, gamma: 1, beta: -0.5, batch: 32 };
  assert.equal(cellStreams(at), "lr=0.2;gamma=1;beta=-0.5;batch=32");
  assert.equal(cellStreams(at, "common"), "common");
  assert.equal(fitDriftStreams(cellStreams(at)), "fit-drift;lr=0.2;gamma=1;beta=-0.5;batch=32");
  assert.equal(fitBoundaryStreams(cellStreams(at)), "fit-boundary;lr=0.2;gamma=1;beta=-0.5;batch=32");
  assert.equal(amsStreams(cellStreams(at), 3, 0), "ams;lr=0.2;gamma=1;beta=-0.5;batch=32;run=3;iteration=0");
  assert.equal(PATH_STREAMS, "paths");
  assert.equal(STARTUP_STREAMS, "startup");
  assert.equal(layerStreams(DEFAULT_LAYER), "layer;K=16;d=32;B=8;tg=1;tb=0;noise=4;a=1");
  assert.equal(layerSingleUnitStreams(0.1), "layer-single;lr=0.1");
  assert.equal(childSeed(1, "g3"), "1/g3");
  assert.equal(trajectoryKey(1, cellStreams(at), 7), "bn-collapse/1/lr=0.2;gamma=1;beta=-0.5;batch=32/7");
  assert.equal(trajectoryKey("s", "", 0), "bn-collapse/s//0");
});

test("stream keys: a layer's family does not depend on lr, gamma0 or beta0 (paired comparisons)", () => {
  const base = layerStreams(DEFAULT_LAYER);
  assert.equal(layerStreams({ ...DEFAULT_LAYER, lr: 0.4, gamma0: 2, beta0: -1 } as typeof DEFAULT_LAYER), base);
  assert.notEqual(layerStreams({ ...DEFAULT_LAYER, batch: 16 }), base);
});
