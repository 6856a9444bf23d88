// The package as a user installs it: `npm pack`, then the tarball installed into a new project in a
// temporary folder, where
//   (a) a plain Node ES module imports the library, runs a small sweep and draws it (SVG and PNG),
//   (b) tsc type-checks a TypeScript file against the shipped declarations (and refuses a wrong one),
//   (c) `npx bn-collapse` runs a sweep, and the bench with its C and numpy references, from the installed bin,
//   (d) Deno imports the library through an `npm:` specifier and runs the same sweep.
// The results of (a), (c) and (d) are compared with the same runs of the sources in this checkout. It
// prints the tarball's file list and size. The project installs the dependency versions of this
// checkout's lockfile, which `npm ci` has put in npm's cache, so it needs no network;
// PACKAGE_TEST_RESOLVE=1 resolves them afresh from the registry instead, as a user's `npm install`
// does. Run by `npm test` (after the build); KEEP=1 keeps the temporary folder when it fails.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseEntry } from "../bin/build-stamp.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const deno = join(root, "node_modules", ".bin", "deno");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const t0 = performance.now();
const step = (what) => process.stderr.write(`package-test: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);

/** Runs a command; its output, or a failure that shows what it printed. */
function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 26, timeout: 300_000, ...options });
  if (r.status !== 0 && !options.mayFail) {
    throw new Error(`${command} ${args.join(" ")} (in ${options.cwd ?? root}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

if (chooseEntry(root).kind !== "dist") throw new Error("dist/ is missing or older than src/: run `npm run build` first");

// ---- the tarball
const work = mkdtempSync(join(tmpdir(), "bn-collapse-package-"));
let ok = false;
try {
  step("npm pack");
  const packed = JSON.parse(run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: root }).stdout)[0];
  const files = packed.files.map((f) => f.path).sort();
  process.stdout.write(`${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked\n`);
  for (const f of packed.files.sort((a, b) => (a.path < b.path ? -1 : 1))) process.stdout.write(`  ${String(f.size).padStart(8)}  ${f.path}\n`);

  for (const need of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin/bn-collapse.mjs", "bin/build-stamp.mjs",
    "dist/index.js", "dist/index.d.ts", "dist/cli/main.js", "dist/ensemble/worker.js", "bench/reference.c", "bench/reference.py"]) {
    assert.ok(files.includes(need), `the tarball lacks ${need}`);
  }
  // what a user does not need: sources (dist/ has them in its source maps), tests, figures, notebooks, docs
  const unwanted = /^(src|test|figures|notebooks|docs|scripts|\.ci|bench\/out|node_modules)\/|^(tsconfig.*|jsr|deno)\.json$|^dist\/\.build-stamp\.json$|^dist\.|\.tmp$/;
  assert.deepEqual(files.filter((f) => unwanted.test(f)), [], "the tarball holds files a user does not need");
  // every source module is compiled, with its declarations: no list of files to keep up to date
  const sources = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) sources.push(relative(join(root, "src"), join(dir, e.name)));
    }
  };
  walk(join(root, "src"));
  for (const s of sources) {
    const base = `dist/${s.replace(/\.ts$/, "")}`;
    for (const ext of [".js", ".d.ts", ".js.map"]) assert.ok(files.includes(base + ext), `src/${s} has no ${base}${ext} in the tarball`);
  }

  // ---- a fresh project that depends on it
  const project = join(work, "project");
  run("mkdir", [project]);
  const tarball = `file:../${packed.filename}`;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "uses-bn-collapse", private: true, type: "module", dependencies: { "bn-collapse": tarball } }, null, 2));
  const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--fetch-retries=1", "--fetch-timeout=30000"];
  let install;
  if (process.env.PACKAGE_TEST_RESOLVE) {
    // as a user's `npm install` does: the newest dependencies in the package's ranges (needs the registry)
    step("npm install of the tarball into a new project, dependencies resolved afresh");
    install = run(npm, ["install", ...npmFlags], { cwd: project });
  } else {
    // the dependency versions of this checkout's lockfile (its non-development part), so the project
    // installs from npm's cache alone after `npm ci` and computes with the versions the tests used
    step("npm ci of the tarball into a new project, with this checkout's locked dependency versions");
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
    const packages = {
      "": { name: "uses-bn-collapse", dependencies: { "bn-collapse": tarball } },
      "node_modules/bn-collapse": { version: pkg.version, resolved: tarball, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
    };
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && !entry.dev && !entry.devOptional) packages[path] = entry;
    writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "uses-bn-collapse", lockfileVersion: 3, requires: true, packages }, null, 2));
    install = run(npm, ["ci", ...npmFlags], { cwd: project });
  }
  assert.doesNotMatch(install.stdout + install.stderr, /EBADENGINE/, `an engines warning on Node ${process.version}:\n${install.stderr}`);
  const installed = join(project, "node_modules", "bn-collapse");
  assert.ok(!existsSync(join(installed, "src")), "the installed package has src/");

  // the same sweep everywhere: two workers, so the compiled worker threads run too
  const config = { lr: [0.15, 0.3], gamma: [1], batch: [8], steps: 150, trials: 120 };
  const flags = ["--lr", "0.15,0.3", "--gamma", "1", "--batch", "8", "--steps", "150", "--trials", "120", "--seed", "5", "--workers", "2"];

  // (a) a plain Node ES module
  step("(a) the library from a Node ES module");
  // a sweep, and a figure drawn to SVG and PNG (the font and the rasteriser's WebAssembly are read at run time)
  const userScript = `import { sweep, renderSvg, svgToPng, VERSION, closeWorkerPool } from ${JSON.stringify("LIB")};
const result = await sweep(${JSON.stringify({ ...config, seed: 5 })}, { workers: 2 });
await closeWorkerPool();
const svg = await renderSvg({ config: { font: "DejaVu Sans" }, data: { values: result.cells }, mark: "point",
  encoding: { x: { field: "lr", type: "quantitative" }, y: { field: "p", type: "quantitative" } } });
const png = await svgToPng(svg);
process.stdout.write(JSON.stringify({ VERSION, result, svg, png: Array.from(png.subarray(0, 8)), pngBytes: png.length }));
`;
  writeFileSync(join(project, "use.mjs"), userScript.replace('"LIB"', '"bn-collapse"'));
  const fromPackage = JSON.parse(run(process.execPath, ["use.mjs"], { cwd: project }).stdout);
  writeFileSync(join(work, "use-sources.mts"), userScript.replace('"LIB"', JSON.stringify(join(root, "src", "index.ts"))));
  const fromSources = JSON.parse(run(process.execPath, ["--import", "tsx", join(work, "use-sources.mts")], { cwd: root }).stdout);
  assert.equal(fromPackage.VERSION, pkg.version);
  assert.equal(fromPackage.result.version, pkg.version);
  assert.equal(fromPackage.result.cells.length, 2);
  assert.ok(fromPackage.result.cells.some((c) => c.collapsed > 0), "the sweep should see collapses at lr 0.3");
  assert.deepEqual(fromPackage.result, fromSources.result, "the compiled library's sweep differs from the sources'");
  assert.match(fromPackage.svg, /^<svg[^]*DejaVu Sans[^]*<\/svg>$/);
  assert.equal(fromPackage.svg, fromSources.svg, "the compiled library draws another SVG than the sources");
  assert.deepEqual(fromPackage.png, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "not a PNG");
  assert.equal(fromPackage.pngBytes, fromSources.pngBytes);

  // (b) TypeScript against the shipped declarations, no @types/node, no skipLibCheck: typed.ts must pass
  // and wrong.ts must fail exactly where it misuses them (declarations of \`any\` would accept it)
  step("(b) tsc against the declarations");
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: ["typed.ts", "wrong.ts"],
  }, null, 2));
  writeFileSync(join(project, "typed.ts"), `import { sweep, defineProblem, simulateTrajectories, VERSION, type SweepResult, type CellResult } from "bn-collapse";
const problem = defineProblem({ batch: 8, gamma0: 1, beta0: 0, steps: 50, collapse: { kind: "ratio", c: 3 }, optimizer: { kind: "sgd", lr: 0.2 } });
export const outcomes = simulateTrajectories(problem, { seed: 1, trials: 10 });
export const result: Promise<SweepResult> = sweep({ lr: [0.2], trials: 10 });
export const firstP = (r: SweepResult): number | null => r.cells[0].p;
export const cell = (c: CellResult): [number, number] => [c.lr, c.gamma];
export const version: string = VERSION;
`);
  writeFileSync(join(project, "wrong.ts"), `import { VERSION, sweep } from "bn-collapse";
export const n: number = VERSION;
export const r = sweep({}).then((x) => x.cells[0].notAField);
`);
  const checked = run(process.execPath, [tsc, "-p", project], { cwd: project, mayFail: true });
  const errors = checked.stdout.split("\n").filter((l) => /error TS/.test(l));
  const where = errors.map((l) => (l.match(/^(.+?)\((\d+),/) ?? []).slice(1).join(":"));
  assert.deepEqual(where, ["wrong.ts:2", "wrong.ts:3"], `tsc against the declarations:\n${checked.stdout}`);
  assert.match(errors[0], /TS2322/);
  assert.match(errors[1], /TS2339: Property 'notAField'/);

  // (c) the installed bin
  step("(c) npx bn-collapse");
  assert.equal(run("npx", ["--no", "--", "bn-collapse", "--version"], { cwd: project }).stdout, `${pkg.version}\n`);
  const cliPackage = run("npx", ["--no", "--", "bn-collapse", "sweep", ...flags], { cwd: project }).stdout;
  const cliSources = run(process.execPath, ["--import", "tsx", join(root, "src", "cli", "main.ts"), "sweep", ...flags], { cwd: root }).stdout;
  assert.equal(cliPackage, cliSources, "the installed bin's sweep differs from the sources'");
  // the bench reads bench/reference.c and reference.py from the package: each runs, or is skipped
  // for want of a compiler or of numpy, never fails for want of its file
  const bench = JSON.parse(run("npx", ["--no", "--", "bn-collapse", "bench", "--quick", "--json", "--quiet", "--workers", "1", "--no-reproduce"], { cwd: project }).stdout);
  for (const ref of Object.values(bench.references)) {
    assert.ok(ref.available || /^no .* found: skipped$/.test(ref.note), `bench reference ${ref.impl}: ${ref.note}`);
  }

  // (d) Deno through an npm: specifier (resolved from the project's node_modules)
  step("(d) Deno, npm:bn-collapse");
  writeFileSync(join(project, "use-deno.ts"), userScript.replace('"LIB"', '"npm:bn-collapse"'));
  const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  run(deno, ["check", "use-deno.ts"], { cwd: project, env });
  const fromDeno = JSON.parse(run(deno, ["run", "-A", "use-deno.ts"], { cwd: project, env }).stdout);
  assert.equal(fromDeno.VERSION, pkg.version);
  // the counts; the Kaplan-Meier band may differ in its last digit between the runtimes' log/exp
  const counts = (r) => r.cells.map((c) => [c.lr, c.trials, c.collapsed, c.nonFinite, c.p]);
  assert.deepEqual(counts(fromDeno.result), counts(fromPackage.result), "Deno's sweep from the package differs from Node's");
  assert.equal(fromDeno.pngBytes, fromPackage.pngBytes, "Deno draws another PNG");

  step("passed");
  ok = true;
} finally {
  if (ok || !process.env.KEEP) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`package-test: left ${work} for a look\n`);
}
