/** The command line: output, config files, and every error path (one line, exit 2, no file). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dirs.ts";


const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "bn-collapse.mjs");

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = ["--lr", "0.2", "--gamma", "1", "--batch", "8", "--steps", "50", "--trials", "40", "--workers", "1"];

test("sweep prints JSON with the resolved config and one cell per grid point", () => {
  const r = cli(["sweep", "--lr", "0.1,0.2", "--batch", "8", "--steps", "50", "--trials", "40", "--workers", "1", "--seed", "3"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.seed, 3);
  assert.deepEqual(out.config.lr, [0.1, 0.2]);
  assert.equal(out.cells.length, 2);
  for (const c of out.cells) {
    for (const k of ["lr", "gamma", "beta", "batch", "trials", "collapsed", "p", "ci95", "firstPassage", "nonFinite"]) assert.ok(k in c, k);
  }
});

test("the resolved config of a result reproduces it through --config", () => {
  const dir = tempDir("bnc-");
  const first = cli(["sweep", ...small, "--seed", "11", "--out", join(dir, "a.json"), "--quiet"]);
  assert.equal(first.code, 0, first.stderr);
  const a = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
  writeFileSync(join(dir, "cfg.json"), JSON.stringify(a.config));
  const second = cli(["sweep", "--config", join(dir, "cfg.json"), "--workers", "2", "--out", join(dir, "b.json"), "--quiet"]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(readFileSync(join(dir, "b.json"), "utf8"), readFileSync(join(dir, "a.json"), "utf8"));
  assert.deepEqual(readdirSync(dir).sort(), ["a.json", "b.json", "cfg.json"]); // no temporary files left
});

test("csv output has a header and one row per cell", () => {
  const r = cli(["sweep", ...small, "--format", "csv"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 2);
  assert.ok(lines[0].startsWith("lr,gamma,beta,batch"));
});

test("--help of every command exits 0 and shows an example", () => {
  for (const args of [["--help"], ["sweep", "--help"]]) {
    const r = cli(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /bn-collapse sweep/);
  }
});

const bad: Array<[string[], RegExp]> = [
  [["--lr", "0"], /--lr/],
  [["--lr", "-0.1"], /--lr/],
  [["--lr", "abc"], /--lr/],
  [["--lr", "1:2"], /--lr/],
  [["--lr", "0:1:5log"], /--lr/],
  [["--lr", "Infinity"], /--lr/],
  [["--gamma", "0"], /--gamma/],
  [["--gamma", "1,0"], /--gamma/],
  [["--batch", "1"], /--batch/],
  [["--batch", "2.5"], /--batch/],
  [["--steps", "0"], /--steps/],
  [["--steps", "1.5"], /--steps/],
  [["--trials", "-3"], /--trials/],
  [["--trials", "ten"], /--trials/],
  [["--collapse", "bogus"], /--collapse/],
  [["--collapse", "ratio"], /--collapse/],
  [["--collapse", "sparsity:1.5"], /--collapse/],
  [["--act", "tanh"], /--act/],
  [["--act", "leaky:x"], /--act/],
  [["--noise", "cauchy"], /--noise/],
  [["--noise", "student:2"], /--noise/],
  [["--optimizer", "rmsprop"], /--optimizer/],
  [["--optimizer", "momentum:1.5"], /--optimizer/],
  [["--schedule", "1/(t-"], /--schedule/],
  [["--schedule", "undefinedSymbol * t"], /--schedule/],
  [["--schedule", "-1"], /--schedule/],
  [["--weight-decay", "-1"], /--weight-decay/],
  [["--workers", "0"], /--workers/],
  [["--format", "xml"], /--format/],
  [["--no-such-flag", "1"], /--no-such-flag/],
  [["--lr"], /--lr/],
  [["--trials", "100000000000", "--steps", "100000000"], /--trials/],
  [["--lr", "0.1:1:100000", "--gamma", "0.1:1:100000"], /--lr/],
];

for (const [args, names] of bad) {
  test(`bad input ${args.join(" ")} -> one line naming the flag, exit 2, no file`, () => {
    const dir = tempDir("bnc-bad-");
    const out = join(dir, "out.json");
    const defaults = ["--steps", "20", "--trials", "10", "--workers", "1"].filter((x, i, a) => {
      const flag = x.startsWith("--") ? x : a[i - 1];
      return !args.includes(flag);
    });
    const r = cli(["sweep", ...defaults, ...args, "--out", out]);
    assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, names);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
    assert.equal(r.stdout, "");
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir), []);
  });
}

test("a bad config file names the file and the field", () => {
  const dir = tempDir("bnc-cfg-");
  const cases: Array<[string, RegExp]> = [
    ['{"lr": [0.1, "x"]}', /field "lr"/],
    ['{"trials": 0}', /field "trials"/],
    ['{"colapse": "dead"}', /colapse/],
    ['{"batch": 1}', /field "batch"/],
    ["{not json", /not valid JSON/],
    ["[1,2]", /JSON object/],
  ];
  for (const [text, re] of cases) {
    writeFileSync(join(dir, "c.json"), text);
    const r = cli(["sweep", "--config", join(dir, "c.json"), "--workers", "1"]);
    assert.equal(r.code, 2, `${text}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  }
  const missing = cli(["sweep", "--config", join(dir, "nope.json")]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--config/);
});

test("an unknown command exits 2", () => {
  const r = cli(["sweeep"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command/);
});

test("a ratio criterion beyond the dead cone is run, with a warning naming the batch size", () => {
  const warned = cli(["sweep", "--batch", "8,32", "--steps", "20", "--trials", "10", "--workers", "1", "--format", "csv"]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: .*dead cone.* B = 8/);
  assert.doesNotMatch(warned.stderr, /B = 32/);
  const clean = cli(["sweep", "--batch", "32", "--steps", "20", "--trials", "10", "--workers", "1", "--format", "csv"]);
  assert.doesNotMatch(clean.stderr, /warning/);
});
