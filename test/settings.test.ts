/**
 * The table of sweep settings (src/config/fields.ts) and what is made from it: the defaults, the
 * JSON schema, the flags, the help; the grid's axes (src/ensemble/problem.ts); and one setting
 * followed from its flag to the output (--km-points).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_SWEEP, FIELD_NAMES, isOptional, LIST_FIELDS, SWEEP_CONFIG_SCHEMA, SWEEP_FIELDS } from "../src/config/fields.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { SETTING_FLAGS } from "../src/cli/setting-flags.ts";
import { SWEEP_HELP, parseSweepInvocation } from "../src/cli/sweep-command.ts";
import { AXES, cellProblem, GRID_ORDER, resolveSweep } from "../src/ensemble/problem.ts";
import { cellStreams } from "../src/rng/keys.ts";
import { enumerateCells } from "../src/ensemble/grid.ts";
import { runSweep } from "../src/ensemble/sweep.ts";
import { ConfigError } from "../src/model/errors.ts";
import { sweepToCsv } from "../src/solution/csv.ts";

test("each setting of the table has its schema entry, its flag, its help line and, unless optional, its default", () => {
  assert.deepEqual(Object.keys(SWEEP_CONFIG_SCHEMA.properties), ["$schema", ...FIELD_NAMES]);
  assert.deepEqual(Object.keys(DEFAULT_SWEEP), FIELD_NAMES.filter((k) => !isOptional(k)));
  assert.deepEqual(SETTING_FLAGS.map((f) => f.field), FIELD_NAMES);
  for (const flag of SETTING_FLAGS) assert.match(SWEEP_HELP, new RegExp(`^  --${flag.name}\\b`, "m"), `--${flag.name} is not in sweep --help`);
  // what sweep runs when given nothing is the table's defaults, and nothing optional
  assert.deepEqual(resolveConfig({}), DEFAULT_SWEEP);
});

test("the axes are the LIST settings; the grid nests them batch, gamma, beta, weightDecay, signal, lr", () => {
  assert.deepEqual([...AXES], ["lr", "gamma", "beta", "batch", "weightDecay", "signal"]);
  assert.deepEqual([...AXES], LIST_FIELDS);
  assert.deepEqual([...GRID_ORDER], ["batch", "gamma", "beta", "weightDecay", "signal", "lr"]);
  assert.deepEqual([...GRID_ORDER].sort(), [...AXES].sort(), "the nesting orders every axis once");
  const sweep = resolveSweep({ lr: "0.1,0.2", batch: "4,8", trials: 1, steps: 1 });
  assert.deepEqual(enumerateCells(sweep).map((c) => [c.at.batch, c.at.lr]), [[4, 0.1], [4, 0.2], [8, 0.1], [8, 0.2]]);
  assert.deepEqual(sweepToCsv({ ...sweep, tool: "bn-collapse", version: "", kind: "sweep", cells: [] }).split(",").slice(0, 6), [...AXES]);
});

test("each axis lands where the model reads it; lr, gamma, beta and batch key the streams", () => {
  const t = resolveSweep({ trials: 1, steps: 1 }).template;
  const p = cellProblem(t, { lr: 0.3, gamma: 2, beta: -1, batch: 8, weightDecay: 0.01, signal: 0.5 });
  assert.deepEqual([p.optimizer.lr, p.gamma0, p.beta0, p.batch, p.optimizer.weightDecay], [0.3, 2, -1, 8, 0.01]);
  assert.ok(p.loss.kind === "noise" && p.loss.signal === 0.5);
  // every axis, a new one too, must move the cell's problem (cellProblem is written out by hand)
  for (const axis of AXES) assert.notDeepEqual(cellProblem(t, { [axis]: 3 }), t, `cellProblem ignores ${axis}`);
  const teacher = resolveSweep({ loss: "teacher", trials: 1, steps: 1 }).template;
  assert.deepEqual(cellProblem(teacher, { signal: 0.5 }).loss, teacher.loss, "a teacher loss has no upstream signal to set");
  const at = { lr: 0.3, gamma: 2, beta: -1, batch: 8, weightDecay: 0.01, signal: 0.5 };
  assert.equal(cellStreams(at, "per-cell"), "lr=0.3;gamma=2;beta=-1;batch=8");
  assert.equal(cellStreams(at, "common"), "common");
});

test("--km-points, one entry of the table: flag, config file, schema, help, and the curve it thins", async () => {
  assert.equal(SWEEP_FIELDS.kmPoints.default, 200);
  assert.match(SWEEP_HELP, /--km-points N .*\[200\]/);
  const base = ["--lr", "0.4", "--batch", "8", "--steps", "300", "--trials", "400", "--collapse", "ratio:1.5", "--workers", "1", "--quiet"];
  const given = parseSweepInvocation([...base, "--km-points", "12"]);
  const absent = parseSweepInvocation(base);
  assert.ok(given !== "help" && absent !== "help");
  // optional: a config without it is what it was before the setting existed (outputs, digests, caches)
  assert.equal("kmPoints" in absent.spec.config, false);
  assert.equal(given.spec.config.kmPoints, 12);
  assert.equal(given.spec.kmPoints, 12);
  assert.equal(absent.spec.kmPoints, 200);
  const full = await runSweep(resolveSweep({ ...absent.spec.config, kmPoints: 1_000_000 }), { workers: 1 });
  const thin = await runSweep(given.spec, { workers: 1 });
  const [f, t] = [full.cells[0], thin.cells[0]];
  // the curve has more than 12 points (many distinct first-passage times), so thinning is not vacuous
  assert.ok(f.firstPassage.km.t.length > 12, `${f.firstPassage.km.t.length} points`);
  assert.equal(t.firstPassage.km.t.length, 12);
  // the thinned curve is points of the full one, ends kept; every other statistic is unchanged
  for (let i = 0; i < 12; i++) {
    const j = f.firstPassage.km.t.indexOf(t.firstPassage.km.t[i]);
    assert.ok(j >= 0 && f.firstPassage.km.survival[j] === t.firstPassage.km.survival[i]);
  }
  assert.equal(t.firstPassage.km.t.at(-1), f.firstPassage.km.t.at(-1));
  assert.deepEqual({ ...t, firstPassage: { ...t.firstPassage, km: null } }, { ...f, firstPassage: { ...f.firstPassage, km: null } });
  // refused, naming the flag or the field
  const refused = (argv: string[], re: RegExp) => assert.throws(() => parseSweepInvocation([...base, ...argv]), (e) => e instanceof ConfigError && re.test(e.message));
  refused(["--km-points", "1"], /^--km-points: must be >= 2/);
  refused(["--km-points", "2.5"], /^--km-points: must be integer/);
  refused(["--km-points", "many"], /^--km-points: "many" is not a number/);
  assert.throws(() => resolveSweep({ kmPoints: "12" }), (e) => e instanceof ConfigError && /^kmPoints: must be integer/.test(e.message));
});
