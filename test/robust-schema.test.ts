/**
 * Issue 18 item 14 and issue 19 item 5: the files sweep, merge, theory and fit write match the JSON
 * Schemas shipped in schema/, and the tool reads results back through them: an edited shard (digest
 * recomputed) cannot carry fields into merge's output, and fit refuses a cell with "p": "x".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkAgainstSchema, resultSchema } from "../src/solution/schema.ts";
import { digestOf } from "../src/solution/digest.ts";
import { cli, oneLine, root, tempDir } from "./robust-cli.ts";

const grid = ["--lr", "0.1,0.2,0.3", "--steps", "20", "--trials", "10", "--workers", "1", "--quiet"];

test("what sweep, a shard, merge, theory and fit write matches its schema in schema/", (t) => {
  const dir = tempDir(t);
  const files: [string, Parameters<typeof checkAgainstSchema>[0]][] = [];
  const write = (args: string[], name: string, kind: Parameters<typeof checkAgainstSchema>[0]) => {
    const r = cli([...args, "--out", join(dir, name)]);
    assert.equal(r.code, 0, r.stderr);
    files.push([name, kind]);
  };
  write(["sweep", ...grid], "sweep.json", "sweep");
  write(["sweep", ...grid, "--shard", "1/2"], "s1.json", "shard");
  write(["sweep", ...grid, "--shard", "2/2"], "s2.json", "shard");
  write(["merge", join(dir, "s1.json"), join(dir, "s2.json"), "--quiet"], "merged.json", "sweep");
  write(["theory", "--lr", "0.1,0.2", "--steps", "50", "--quiet"], "theory.json", "theory");
  const fit = cli(["fit", join(dir, "sweep.json"), "--trials", "20", "--format", "json"]);
  assert.equal(fit.code, 0, fit.stderr);
  writeFileSync(join(dir, "fit.json"), fit.stdout);
  files.push(["fit.json", "fit"]);
  for (const [name, kind] of files) checkAgainstSchema(kind, JSON.parse(readFileSync(join(dir, name), "utf8")), name);
  assert.equal(readFileSync(join(dir, "merged.json"), "utf8"), readFileSync(join(dir, "sweep.json"), "utf8"));
  // the package ships them: package.json "files" has schema/, and each names its own $id
  assert.ok(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).files.includes("schema"));
  for (const kind of ["sweep", "shard", "theory", "fit", "scan"] as const) assert.match(String(resultSchema(kind).$id), new RegExp(`${kind}\\.schema\\.json$`));
});

test("an edited shard with a recomputed digest cannot put fields into merge's output; fit refuses \"p\": \"x\"", (t) => {
  const dir = tempDir(t);
  for (const i of [1, 2]) assert.equal(cli(["sweep", ...grid, "--shard", `${i}/2`, "--out", join(dir, `s${i}.json`)]).code, 0);
  const reseal = (name: string, edit: (o: Record<string, unknown>) => void) => {
    const o = JSON.parse(readFileSync(join(dir, "s1.json"), "utf8"));
    edit(o);
    delete o.digest;
    o.digest = digestOf(o);
    writeFileSync(join(dir, name), JSON.stringify(o));
  };
  const cases: [string, (o: Record<string, unknown>) => void, RegExp][] = [
    ["proto.json", (o) => Object.defineProperty(o.template, "__proto__", { value: { polluted: true }, enumerable: true, configurable: true, writable: true }), /template is not the problem its config resolves to|resolved problem differs/],
    ["extra.json", (o) => ((o.template as Record<string, unknown>).extra = 1), /template is not the problem its config resolves to|resolved problem differs/],
    ["cellx.json", (o) => ((o.cells as Record<string, unknown>[])[0].p = "x"), /cells\.0\.p must be number,null/],
    ["cellextra.json", (o) => ((o.cells as Record<string, unknown>[])[0].note = "hi"), /must NOT have additional properties "note"/],
  ];
  for (const [name, edit, re] of cases) {
    reseal(name, edit);
    assert.match(readFileSync(join(dir, name), "utf8"), name === "proto.json" ? /"__proto__"/ : /./);
    const r = cli(["merge", join(dir, name), join(dir, "s2.json")]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.ok(oneLine(r.stderr), r.stderr);
    assert.match(r.stderr, re, name);
  }
  assert.equal(cli(["sweep", ...grid, "--out", join(dir, "r.json")]).code, 0);
  const text = readFileSync(join(dir, "r.json"), "utf8").replace(/"p": [0-9.e-]+,/, '"p": "x",');
  writeFileSync(join(dir, "px.json"), text);
  const f = cli(["fit", join(dir, "px.json")]);
  assert.equal(f.code, 2, f.stderr);
  assert.ok(oneLine(f.stderr));
  assert.match(f.stderr, /px\.json: is not a valid sweep file .*cells\.0\.p must be number,null/);
});
