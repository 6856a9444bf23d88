/**
 * Property-based fuzzing of the command line (fast-check, fixed seed): malformed flags, config files
 * and shard files must each give one line on stderr, exit code 2, nothing on stdout and no file left
 * behind; the few generated inputs that happen to be valid (and small) must run and exit 0.
 * Runs in-process through main(argv) so that thousands of inputs take seconds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { runCliInProcess, type CliOutcome } from "./run-cli.ts";
import { parseSweepInvocation } from "../src/cli/sweep-command.ts";
import { digestOf } from "../src/solution/digest.ts";
import { countCells } from "../src/ensemble/grid.ts";

const SEED = 20240817;
const root = fileURLToPath(new URL("..", import.meta.url));

type Outcome = CliOutcome;

const runCli = runCliInProcess;

/** The refusal contract: exit 2, one line naming the command, no stack trace, nothing on stdout. */
function assertRefused(r: Outcome, command: string, input: unknown): void {
  const show = `${JSON.stringify(input).slice(0, 400)} -> code ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 600))}`;
  assert.equal(r.code, 2, show);
  assert.equal(r.stdout, "", show);
  assert.match(r.stderr, new RegExp(`^bn-collapse ${command}: [^\\n\\r]+\\n$`), show);
  assert.doesNotMatch(r.stderr, /\n\s+at |\bat [^ ]+:\d+:\d+/, show);
  // refusals come before any work: a bad flag next to a huge --steps must not wait for its tables
  assert.ok(r.ms < 5000, `${show}: refused only after ${r.ms.toFixed(0)} ms`);
}

// Values that have broken parsers somewhere: numbers Number() reads oddly, lists, criteria, terms,
// expressions, and things that are not text a user would type.
const NASTY = [
  "", " ", "-", "--", "---", "--lr", "=", "NaN", "nan", "Infinity", "-Infinity", "1e309", "-1e309", "1e308", "1.7976931348623157e308", "5e-324", "1e-320", "2", "10", "-0", "0", "00", "1.",
  ".5", "5e", "0x10", "0b1", "1_000", "1 000", "١", "½", "+1", "++1", "1e+", "9".repeat(400), "1".padEnd(40, "0"),
  "4294967297", "2147483648", "9007199254740993", "\u0000", "\n", "a\nb", "\r", "\t1", "1,", ",1", ",", "1,,2", "1:2", ":", "::", "1:2:0",
  "1:2:3log", "-1:2:3log", "0:1:3log", "1:1:1", "1:2:1", "1:2:100001", "1:2:1e3", "1:2:-3", "1:2:3:4", "1:2:3 log", "1:1e308:3",
  "dead", "dead:1", "ratio", "ratio:", "ratio:NaN", "ratio:1e999", "ratio::", "sparsity:0", "sparsity:1", "gamma:-1", "gamma:x",
  "relu:1", "leaky", "leaky:1", "leaky:-0.1", "leaky:NaN", "gauss", "gauss:-1", "gauss:1:2", "student:2", "student:1e999", "student:3:-1",
  "teacher", "teacher:1:0:0:0", "teacher:1:0:-1", "teacher:a:b:c", "linear", "linear:0", "linear:5000", "linear:1.5", "sgd:1",
  "momentum", "momentum:1", "momentum:-1", "adam:1:0.9", "adam:0.9:1", "adam:a", "adamw:0.9:0.999:1", "step", "step:0:0.5",
  "step:10:-1", "step:1:1e308", "cosine:-1", "cosine:x", "cosine:1e308", "t^1000", "1/0", "0/0", "log(-1)", "sqrt(-1)", "[1,2]",
  "t > 5", "\"a\"", "i", "e", "1/t", "1/(t-3)", "x", "T-t-1", "-1", "f(x)=x", "import({}, {})", "evaluate(\"1\")", "matrix([1])", "1 ? 2",
  "__proto__", "constructor", "toString", "hasOwnProperty", "1/2", "3/2", "0/3", "1/0", "2/1", "a/b", "1/1e6", "1/99999999",
  "json", "csv", "JSON", "exact-sum", "per-sample", "wilson", "clopper-pearson", "common", "per-cell", "mechanistic", "reduced",
  "${HOME}", "$(id)", "%s%n", "\u202e", "💥", "\ud800",
];

const SWEEP_VALUE_FLAGS = [
  "lr", "gamma", "beta", "batch", "weight-decay", "signal", "steps", "trials", "seed", "collapse", "act", "noise", "loss",
  "input", "optimizer", "schedule", "bn-eps", "noise-sampling", "interval", "streams", "model", "workers", "format", "shard",
  "norm", "phases",
];

const value = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 3_000_000_000 }).map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.constantFrom(...NASTY, "0.1", "1", "2", "8"), { minLength: 1, maxLength: 4 }), fc.constantFrom(",", ":")).map(([a, sep]) => a.join(sep)) },
);

// Valid but extreme values, so that combinations of them reach the run itself (tiny sizes): a run
// that fails after its input was accepted is a bug too.
const EXTREME: Record<string, string[]> = {
  lr: ["1e308", "0.1,1e308", "5e-324", "1e-300:1e300:3log", "1.7976931348623157e308"],
  schedule: ["2", "10", "t", "T-t", "2^t", "exp(t)", "step:1:10", "step:1:1e308", "cosine:1e308", "1e308", "0"],
  gamma: ["1e-300", "-1e300", "5e-324", "1e308"],
  beta: ["-1e308", "1e308", "-1e300,1e300"],
  batch: ["2", "2,3"],
  "weight-decay": ["1e308", "0,1e300"],
  signal: ["1e308", "-1e308"],
  optimizer: ["adam:0:0", "adam:0.999999:0", "momentum:0.999999", "adamw:0:0.9999999"],
  noise: ["gauss:1e308", "gauss:0", "student:2.0000001", "student:1e308:1e308"],
  loss: ["teacher:1e308:-1e308:1e308", "teacher:1:0:0:1e-300"],
  input: ["linear:1", "linear:64"],
  collapse: ["ratio:-1e308", "ratio:1e308", "gamma:1e308", "sparsity:1e-300", "sparsity:0.9999999"],
  act: ["leaky:0.9999999", "leaky:0"],
  "bn-eps": ["0", "1e308", "5e-324"],
  seed: ["-9007199254740991", "💥", "__proto__"],
  shard: ["1/1", "3/3", "1000000/1000000"],
  norm: ["psbn", "psbn:0", "psbn:1e308", "revive", "revive:0", "revive:1e308", "rshift"],
  phases: ["[]", '[{"steps":2,"lr":1e308}]', '[{"steps":1,"lr":0.1,"optimizer":"adam","loss":"teacher:0.3:-0.6:0.5"}]', '[{"steps":2000000000}]', '[{"steps":1,"lr":0.1,"schedule":"2"}]'],
};

/** One command-line token group: --flag value, --flag=value, a bare flag, an unknown flag or a stray word. */
const token = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...SWEEP_VALUE_FLAGS), value).map(([f, v]) => [`--${f}`, v]) },
  { weight: 4, arbitrary: fc.constantFrom(...Object.entries(EXTREME).flatMap(([f, vs]) => vs.map((v) => [`--${f}`, v]))) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SWEEP_VALUE_FLAGS), value).map(([f, v]) => [`--${f}=${v}`]) },
  { weight: 2, arbitrary: fc.constantFrom(...SWEEP_VALUE_FLAGS).map((f) => [`--${f}`]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(["--run-to-horizon"], ["--quiet"], ["--run-to-horizon=1"], ["--quiet", "yes"], ["--keep-optimizer-state"]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(["--bogus"], ["-x"], ["--LR", "0.1"], ["--lr_"], ["stray"], ["--"], ["-"], ["--config"]) },
);

/** Small work only: a valid input generated by chance runs for real, so it must be tiny. */
function smallEnough(argv: string[]): boolean {
  let inv;
  try {
    inv = parseSweepInvocation(argv);
  } catch {
    return false;
  }
  if (inv === "help") return true;
  const { steps, trials, batch } = inv.spec.config;
  return inv.workers === 1 && countCells(inv.spec) * trials * steps * Math.max(...batch) <= 2e5 && steps <= 1e4;
}

/** Adds tiny defaults for the flags the generator left out, so valid inputs stay cheap. */
function withSmallDefaults(tokens: string[][], out: string): string[] {
  const argv = tokens.flat();
  const has = (f: string) => argv.some((a) => a === `--${f}` || a.startsWith(`--${f}=`));
  for (const [f, v] of [["steps", "3"], ["trials", "2"], ["workers", "1"], ["lr", "0.1"], ["batch", "4"]]) if (!has(f)) argv.push(`--${f}`, v);
  return ["sweep", ...argv, "--out", out];
}

function leftover(dir: string, keep: string[] = []): string[] {
  return readdirSync(dir).filter((f) => !keep.includes(f));
}

test("fuzzed sweep arguments: >= 1000 malformed inputs, each refused in one line with exit 2 and no file", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-fuzz-args-"));
  const out = join(dir, "out.json");
  let refused = 0, ran = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 5 }), async (tokens) => {
      const argv = withSmallDefaults(tokens, out);
      const valid = (() => {
        try {
          parseSweepInvocation(argv.slice(1));
          return true;
        } catch {
          return false;
        }
      })();
      if (valid) {
        fc.pre(smallEnough(argv.slice(1)));
        const r = await runCli(argv);
        assert.equal(r.code, 0, `${JSON.stringify(argv)}: ${r.stderr}`);
        ran++;
        rmSync(out, { force: true });
        assert.deepEqual(leftover(dir), [], `${JSON.stringify(argv)} left files`);
        return;
      }
      const r = await runCli(argv);
      assertRefused(r, "sweep", argv);
      assert.deepEqual(leftover(dir), [], `${JSON.stringify(argv)} left files`);
      refused++;
    }),
    { seed: SEED, numRuns: 1300, endOnFailure: true },
  );
  t.diagnostic(`${refused} malformed argument lists refused, ${ran} valid ones run`);
  assert.ok(refused >= 1000, `only ${refused} malformed argument lists were generated (and ${ran} valid ones)`);
  rmSync(dir, { recursive: true, force: true });
});

test("fuzzed extreme settings: refused up front, or run to the end with exit 0; never a failure mid-run", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-fuzz-extreme-"));
  const out = join(dir, "out.json");
  const flagsOf = (tokens: string[][]) => new Set(tokens.map((t) => t[0]));
  let refused = 0, ran = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...Object.entries(EXTREME).flatMap(([f, vs]) => vs.map((v) => [`--${f}`, v]))), { minLength: 1, maxLength: 4 }).filter((t) => flagsOf(t).size === t.length),
      async (tokens) => {
        const argv = withSmallDefaults(tokens, out);
        const r = await runCli(argv);
        if (smallEnough(argv.slice(1))) {
          assert.equal(r.code, 0, `${JSON.stringify(argv)}: ${r.stderr}`);
          ran++;
        } else {
          assertRefused(r, "sweep", argv);
          refused++;
        }
        rmSync(out, { force: true });
        assert.deepEqual(leftover(dir), [], `${JSON.stringify(argv)} left files`);
      },
    ),
    { seed: SEED + 4, numRuns: 300, endOnFailure: true },
  );
  t.diagnostic(`${refused} extreme settings refused, ${ran} run`);
  assert.ok(ran >= 100 && refused >= 5, `${ran} ran, ${refused} refused`);
  rmSync(dir, { recursive: true, force: true });
});

const CONFIG_KEYS = [
  "model", "lr", "gamma", "beta", "batch", "weightDecay", "signal", "steps", "trials", "seed", "collapse", "act", "noise", "loss",
  "input", "optimizer", "schedule", "bnEps", "noiseSampling", "stopAtCollapse", "interval", "streams", "$schema", "norm", "phases",
  "keepOptimizerState",
];
const jsonish = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...NASTY) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.constantFrom<unknown>("1", 1e308, -0)), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer({ min: -10, max: 3_000_000_000 }), fc.boolean(), fc.constant(null)) },
);
const configObject = fc.dictionary(
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CONFIG_KEYS) }, { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "weight_decay", "LR", "") }),
  jsonish,
  { minKeys: 1, maxKeys: 4 },
);
/** Config file text: a malformed object, broken JSON, or something that is not an object at all. */
const configText = fc.oneof(
  { weight: 6, arbitrary: configObject.map((o) => JSON.stringify({ steps: 3, trials: 2, lr: 0.1, batch: 4, ...o })) },
  { weight: 1, arbitrary: configObject.map((o) => JSON.stringify(o)).chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))) },
  { weight: 1, arbitrary: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.constantFrom("", "\ufeff{}", "{}{}", "{\"lr\":1e999}", "[1]", "null", "{\"lr\":NaN}", "{\"__proto__\":{\"lr\":-1}}")) },
);

test("fuzzed config files: each malformed file refused in one line with exit 2 and no file", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-fuzz-config-"));
  const cfg = join(dir, "cfg.json");
  const out = join(dir, "out.json");
  let refused = 0, ran = 0;
  await fc.assert(
    fc.asyncProperty(configText, fc.constantFrom<string[]>([], ["--workers", "1"], ["--lr", "0.2"], ["--collapse", "dead"]), async (text, extra) => {
      writeFileSync(cfg, text);
      const argv = ["sweep", "--config", cfg, ...extra, "--out", out];
      let valid = true;
      try {
        parseSweepInvocation(argv.slice(1));
      } catch {
        valid = false;
      }
      if (valid) {
        fc.pre(smallEnough([...argv.slice(1), ...(extra.includes("--workers") ? [] : ["--workers", "1"])]));
        const r = await runCli([...argv, ...(extra.includes("--workers") ? [] : ["--workers", "1"])]);
        assert.equal(r.code, 0, `${text}: ${r.stderr}`);
        ran++;
        rmSync(out, { force: true });
      } else {
        const r = await runCli(argv);
        assertRefused(r, "sweep", text);
        refused++;
      }
      assert.deepEqual(leftover(dir, ["cfg.json"]), [], `${text} left files`);
    }),
    { seed: SEED + 1, numRuns: 700, endOnFailure: true },
  );
  t.diagnostic(`${refused} malformed config files refused, ${ran} valid ones run`);
  assert.ok(refused >= 500, `only ${refused} malformed config files were generated (and ${ran} valid ones)`);
  rmSync(dir, { recursive: true, force: true });
});

test("fuzzed shard files for merge: refused in one line with exit 2 unless they are exactly the shards", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bnc-fuzz-merge-"));
  const sweepArgs = ["--lr", "0.1,0.3", "--gamma", "0.5,1", "--batch", "4", "--steps", "30", "--trials", "20", "--workers", "1", "--quiet"];
  const shardFiles = [1, 2, 3].map((i) => join(dir, `s${i}.json`));
  for (const [i, f] of shardFiles.entries()) assert.equal((await runCli(["sweep", ...sweepArgs, "--shard", `${i + 1}/3`, "--out", f])).code, 0);
  const whole = join(dir, "whole.json");
  assert.equal((await runCli(["sweep", ...sweepArgs, "--out", whole])).code, 0);
  const expected = readFileSync(whole, "utf8");
  const texts = shardFiles.map((f) => readFileSync(f, "utf8"));
  const canon = texts.map((t) => JSON.stringify(JSON.parse(t)));

  // A file: one of the shards, a mutation of one (its JSON or its bytes), another kind of file, or none.
  // Half the JSON mutations are signed again (a fresh digest), as a hand-edited file or another tool
  // might be, so that the checks behind the digest are fuzzed too.
  const resigned = new Set<string>();
  const mutatedJson = fc.tuple(fc.nat({ max: 2 }), fc.array(fc.oneof(fc.constantFrom("tool", "version", "kind", "seed", "shard", "config", "template", "cells", "digest", "index", "count", "gridCells", "lr", "gamma", "batch", "p", "trials", "steps", "0", "1", "3")), { minLength: 1, maxLength: 3 }), jsonish, fc.boolean(), fc.boolean())
    .map(([k, path, v, del, sign]) => {
      const o = JSON.parse(texts[k]);
      let node = o;
      for (const key of path.slice(0, -1)) if (node && typeof node === "object" && key in node && typeof node[key] === "object" && node[key] !== null) node = node[key];
      const last = path[path.length - 1];
      if (node && typeof node === "object") {
        if (del) delete node[last];
        else node[last] = v;
      }
      if (!sign || o === null || typeof o !== "object") return JSON.stringify(o, null, path.length % 2 ? 2 : 0);
      const { digest: _, ...body } = o;
      const text = JSON.stringify({ ...body, digest: digestOf(body) });
      resigned.add(text);
      return text;
    });
  const mutatedBytes = fc.tuple(fc.nat({ max: 2 }), fc.nat(), fc.constantFrom("cut", "flip", "insert")).map(([k, at, how]) => {
    const t = texts[k];
    const i = at % t.length;
    if (how === "cut") return t.slice(0, i);
    if (how === "flip") return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ 1) + t.slice(i + 1);
    return t.slice(0, i) + " " + t.slice(i);
  });
  const file = fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: 2 }).map((k) => texts[k]) },
    { weight: 3, arbitrary: mutatedJson },
    { weight: 2, arbitrary: mutatedBytes },
    { weight: 1, arbitrary: fc.oneof(fc.constant(expected), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.constant(null)) },
  );
  // Any few files, or the three shards in some order with one of them (or none) replaced.
  const fileList = fc.oneof(
    fc.array(file, { minLength: 0, maxLength: 4 }),
    fc.tuple(fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), fc.nat({ max: 3 }), file).map(([order, k, f]) => order.map((i, j) => (j === k ? f : texts[i]))),
  );
  const mergedOut = join(dir, "merged.json");
  let refused = 0, merged = 0, signedMerged = 0;
  await fc.assert(
    fc.asyncProperty(fileList, fc.oneof({ weight: 8, arbitrary: fc.constant("json") }, { weight: 1, arbitrary: fc.constantFrom("csv", "xml", "") }), async (files, format) => {
      const names = files.map((t, i) => {
        const name = join(dir, `in-${i}.json`);
        if (t !== null) writeFileSync(name, t);
        return name;
      });
      const r = await runCli(["merge", ...names, "--out", mergedOut, `--format=${format}`]);
      const asShards = files.map((t) => {
        try {
          return t === null ? -1 : canon.indexOf(JSON.stringify(JSON.parse(t)));
        } catch {
          return -1;
        }
      });
      const exact = asShards.length === 3 && [0, 1, 2].every((k) => asShards.includes(k));
      const signedEdit = files.some((t) => t !== null && resigned.has(t)) && asShards.filter((k) => k >= 0).length + files.filter((t) => t !== null && resigned.has(t)).length === files.length;
      if (signedEdit && !exact && r.code === 0) {
        // an edited but signed set of shards may be accepted, if it still has the shape of the sweep's result
        const result = JSON.parse(readFileSync(mergedOut, "utf8"));
        assert.equal(result.kind, "sweep");
        assert.equal(result.cells.length, 4);
        signedMerged++;
      } else if (exact && format === "json") {
        assert.equal(r.code, 0, r.stderr);
        assert.equal(readFileSync(mergedOut, "utf8"), expected);
        merged++;
      } else if (exact && format === "csv") {
        assert.equal(r.code, 0, r.stderr);
        merged++;
      } else {
        assertRefused(r, "merge", { files: asShards, format });
        refused++;
      }
      rmSync(mergedOut, { force: true });
      for (const n of names) rmSync(n, { force: true });
      assert.deepEqual(leftover(dir, ["s1.json", "s2.json", "s3.json", "whole.json"]), []);
    }),
    { seed: SEED + 2, numRuns: 500, endOnFailure: true },
  );
  t.diagnostic(`${refused} malformed shard sets refused, ${merged} exact ones merged, ${signedMerged} re-signed edits accepted`);
  assert.ok(refused >= 300 && merged >= 1, `${refused} refused, ${merged} merged`);
  rmSync(dir, { recursive: true, force: true });
});

test("fuzzed command words: anything but a command is refused in one line with exit 2", async () => {
  const help = (await runCli(["help"])).stdout;
  const commands = [...help.slice(help.indexOf("Commands:")).matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
  assert.ok(commands.includes("sweep") && commands.includes("merge"), help);
  const known = new Set([...commands, "--help", "-h", "--version"]);
  const word = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "Sweep", "sweep ", ""));
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(word.filter((w) => !known.has(w)), async (w) => {
      const r = await runCli([w, "--lr", "0.1"]);
      assert.equal(r.code, 2, `${JSON.stringify(w)}: ${r.stderr}`);
      assert.match(r.stderr, /^bn-collapse: unknown command "[^\n\r]*"( \(did you mean "[a-z]+"\?\))? \(commands: [^\n\r]+\)\n$/);
      refused++;
    }),
    { seed: SEED + 3, numRuns: 200, endOnFailure: true },
  );
  assert.equal(refused, 200);
});

test("a refused input through the real binary: exit code 2, one line (the in-process runs above share its main)", () => {
  const bin = join(root, "bin", "bn-collapse.mjs");
  for (const args of [["merge", "/nonexistent/shard.json", "--format", "csv"]]) {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^bn-collapse (sweep|merge): [^\n]+\n$/);
    assert.equal(r.stdout, "");
  }
});
