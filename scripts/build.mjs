// Builds dist/ from src/ with tsc (tsconfig.build.json): ESM JavaScript, declarations, source maps.
//
// `npm ci` runs it (the `prepare` script), so does `npm test`. It does nothing when dist/ was built from
// the inputs there now (--force rebuilds). It compiles into a fresh folder and swaps it in whole, so
// dist/ never holds files of two builds or of deleted sources, and writes the stamp the bin checks
// (bin/build-stamp.mjs) from the fingerprint taken before compiling: an edit made during the build
// leaves dist/ marked stale.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseEntry, inputsFingerprint, STAMP } from "../bin/build-stamp.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const force = process.argv.includes("--force");
const dist = join(root, "dist");

if (!force && existsSync(join(dist, STAMP)) && chooseEntry(root).kind === "dist") {
  process.stderr.write("build: dist/ is up to date\n");
  process.exit(0);
}

// the typescript package itself: node_modules/.bin/tsc may be another package's (tslab ships TypeScript 5.0)
const require = createRequire(import.meta.url);
let tsc, typescript;
try {
  tsc = require.resolve("typescript/bin/tsc");
  typescript = JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
} catch {
  process.stderr.write("build: typescript is not installed (npm ci --omit=dev?): it builds dist/, so install the development dependencies (`npm ci`), then `npm prune --omit=dev` if they are unwanted\n");
  process.exit(1);
}

const inputs = inputsFingerprint(root);
const fresh = join(root, `dist.build-${process.pid}`);
rmSync(fresh, { recursive: true, force: true });
const t0 = performance.now();
// --noCheck: emit only; `npm run typecheck` (the first step of `npm test`) checks the types, so `npm ci` need not twice
const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--noCheck", "--outDir", fresh], { cwd: root, stdio: "inherit" });
if (run.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  process.stderr.write(`build: tsc failed (exit ${run.status ?? run.signal}); dist/ left as it was\n`);
  process.exit(1);
}
writeFileSync(join(fresh, STAMP), JSON.stringify({ inputs, typescript }) + "\n");

const old = join(root, `dist.old-${process.pid}`);
if (existsSync(dist)) renameSync(dist, old);
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
process.stderr.write(`build: dist/ written by TypeScript ${typescript} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
