/**
 * Issue 18 items 10-12: phases are checked early and strictly, the same from a flag and a config
 * file; a start already past the criterion, a negative ratio threshold, repeated axis values and a
 * schedule that is 0 everywhere are refused with the field named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, oneLine, tempDir } from "./robust-cli.ts";

const run = ["--steps", "20", "--trials", "10", "--quiet"];

function refused(args: string[], re: RegExp): void {
  const r = cli(["sweep", ...run, ...args]);
  assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code} ${r.stderr}`);
  assert.ok(oneLine(r.stderr), r.stderr);
  assert.match(r.stderr, re, args.join(" "));
  assert.equal(r.stdout, "");
}

test("a phase's bad schedule gives exit 2 with one worker and with two (item 10)", () => {
  for (const workers of ["1", "2"]) refused(["--workers", workers, "--phases", '[{"steps":10,"lr":0.1,"schedule":"-1"}]'], /--phases: .*factor -1/);
});

test("a misspelt phase key is refused, naming the phase and the key, from a flag and from a config file (item 10)", (t) => {
  const phases = [{ steps: 10, lr: 0.1, weight_decay: 0 }];
  refused(["--workers", "1", "--phases", JSON.stringify(phases)], /--phases: phase 1: unknown key "weight_decay"/);
  const dir = tempDir(t);
  const cfg = join(dir, "c.json");
  writeFileSync(cfg, JSON.stringify({ phases }));
  refused(["--workers", "1", "--config", cfg], /field "phases": phase 1: unknown key "weight_decay"/);
  for (const [bad, re] of [
    [[{ steps: 0, lr: 0.1 }], /phase 1: "steps" must be an integer >= 1/],
    [[{ steps: 10, lr: 0.1 }, { steps: 10, lr: -1 }], /phase 2: "lr" must be a finite number > 0/],
    [[{ steps: 10, lr: 0.1, weightDecay: -1 }], /"weightDecay" must be/],
    [[], /is empty/],
    [[5], /phase 1 must be an object/],
  ] as const) {
    refused(["--workers", "1", "--phases", JSON.stringify(bad)], re);
    writeFileSync(cfg, JSON.stringify({ phases: bad }));
    refused(["--workers", "1", "--config", cfg], re);
  }
});

test("a start already past the criterion is refused (item 11)", () => {
  refused(["--beta", "-3.01", "--collapse", "ratio:3"], /--beta: the start gamma = 1, beta = -3\.01 is already collapsed by ratio:3/);
  refused(["--beta", "-1,0", "--gamma", "0.5,1", "--collapse", "ratio:1.5"], /gamma = 0\.5, beta = -1 /);
  refused(["--batch", "4", "--beta", "-2", "--collapse", "dead"], /already collapsed by dead/);
  refused(["--gamma", "0.001", "--collapse", "gamma:0.01"], /--gamma: .*\|gamma\| = 0\.001/);
  const ok = cli(["sweep", ...run, "--beta", "-2.99", "--collapse", "ratio:3", "--workers", "1"]);
  assert.equal(ok.code, 0, ok.stderr);
});

test("ratio:-3, repeated axis values and a schedule of 0 are refused (item 12)", () => {
  refused(["--collapse", "ratio:-3"], /--collapse: ratio:C needs C >= 0/);
  refused(["--lr", "0.1,0.1"], /--lr: the value 0\.1 is given twice/);
  refused(["--lr", "0.1:0.1:3"], /--lr: the value 0\.1 is given twice/);
  refused(["--gamma", "1,2,1"], /--gamma: the value 1 is given twice/);
  refused(["--schedule", "0"], /--schedule: is 0 at every update/);
  refused(["--schedule", "0*t"], /--schedule: is 0 at every update/);
  const ok = cli(["sweep", ...run, "--schedule", "t < 5 ? 0 : 1", "--lr", "0.1", "--workers", "1"]);
  assert.equal(ok.code, 0, ok.stderr);
});

test("first contact: -h, help CMD, did-you-mean, enum values listed, no doubled name, theory refuses --shard (item 15)", () => {
  const help = cli(["sweep", "--help"]).stdout;
  assert.match(help, /^bn-collapse sweep:/);
  assert.equal(cli(["sweep", "-h"]).stdout, help);
  assert.equal(cli(["help", "sweep"]).stdout, help);
  assert.match(cli(["theory", "-h"]).stdout, /^bn-collapse theory:/);
  const cases: [string[], RegExp][] = [
    [["sweep", "--gama", "1"], /^bn-collapse sweep: --gama: unknown flag \(did you mean --gamma\?\)/],
    [["sweep", "-l"], /^bn-collapse sweep: -l: unknown option/],
    [["sweep", "--interval", "foo"], /--interval: must be one of "wilson", /],
    [["swep"], /unknown command "swep" \(did you mean "sweep"\?\)/],
    [["theory", "--shard", "1/2", "--lr", "0.1"], /--shard: theory has no shards/],
    [["fit", "x.json", "--gap", "1e308"], /--gap: must be in/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /sweep: sweep:/);
  }
});
