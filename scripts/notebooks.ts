/**
 * Executes every notebook in notebooks/ headless, as `npm run test:notebooks` does, and fails on any
 * cell error.
 *
 *   tsx scripts/notebooks.ts                 # run all, executed copies go to a temp dir
 *   tsx scripts/notebooks.ts 01-tour.ipynb   # only these (names or paths)
 *   tsx scripts/notebooks.ts --write         # run all and write the executed notebooks back in place
 *                                            # (how the committed outputs are refreshed)
 *   tsx scripts/notebooks.ts --out=DIR       # keep the executed copies in DIR
 *
 * Needs Jupyter's nbconvert on PATH (Debian: jupyter-nbconvert jupyter-client python3-ipython).
 * The kernels need no installing: the script writes private kernelspecs for this checkout's Deno
 * (node_modules/deno) and tslab (node_modules/tslab) into a temp dir and points JUPYTER_PATH at it,
 * so it neither needs nor touches the kernels installed for your own Jupyter.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const notebookDir = join(root, "notebooks");
/** per-cell limit; a notebook is meant to take under a minute in all */
const CELL_TIMEOUT_S = 300;

const args = process.argv.slice(2);
const write = args.includes("--write");
const keep = args.find((a) => a.startsWith("--out="))?.slice("--out=".length);
const named = args.filter((a) => !a.startsWith("--"));
const notebooks = (named.length > 0 ? named.map((n) => resolve(notebookDir, basename(n))) : readdirSync(notebookDir)
  .filter((f) => f.endsWith(".ipynb"))
  .sort()
  .map((f) => join(notebookDir, f)));
for (const nb of notebooks) if (!existsSync(nb)) fail(`no such notebook: ${nb}`);

function fail(message: string): never {
  console.error(`test:notebooks: ${message}`);
  process.exit(1);
}

const nbconvert = spawnSync("jupyter", ["nbconvert", "--version"], { encoding: "utf8" });
if (nbconvert.status !== 0) {
  fail(
    "`jupyter nbconvert` is not available. On Debian/Ubuntu: " +
      "apt-get install jupyter-nbconvert jupyter-client python3-ipython (see README, Notebooks).",
  );
}

// private kernelspecs for this checkout's kernels (the same argv `deno jupyter --install` and
// `tslab install` write, with absolute paths into node_modules; tslab runs on the node running this)
const work = mkdtempSync(join(tmpdir(), "bn-collapse-notebooks-"));
const kernels = join(work, "share", "kernels");
const denoBin = realpathSync(join(root, "node_modules", ".bin", "deno"));
const tslabBin = realpathSync(join(root, "node_modules", ".bin", "tslab"));
const specs: Record<string, object> = {
  deno: { argv: [denoBin, "jupyter", "--kernel", "--conn", "{connection_file}"], display_name: "Deno", language: "typescript" },
  tslab: {
    argv: [process.execPath, tslabBin, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  },
};
for (const [name, spec] of Object.entries(specs)) {
  mkdirSync(join(kernels, name), { recursive: true });
  writeFileSync(join(kernels, name, "kernel.json"), JSON.stringify(spec, null, 1));
}
const env = {
  ...process.env,
  JUPYTER_PATH: join(work, "share"),
  JUPYTER_DATA_DIR: join(work, "data"),
  JUPYTER_CONFIG_DIR: join(work, "config"),
  JUPYTER_RUNTIME_DIR: join(work, "runtime"),
  JUPYTER_PLATFORM_DIRS: "1",
  // kernels and their Deno/Node children: no colour codes in captured output
  NO_COLOR: "1",
};
const outDir = join(work, "out");
mkdirSync(outDir);

let passed = 0;
let failed = 0;
const started = Date.now();
for (const nb of notebooks) {
  const name = basename(nb);
  const kernel = JSON.parse(readFileSync(nb, "utf8")).metadata?.kernelspec?.name ?? "?";
  const t0 = Date.now();
  const run = execute(nb, false);
  const seconds = (Date.now() - t0) / 1000;
  const executed = join(outDir, name);
  const errors = run.status === 0 ? cellErrors(executed) : [];
  if (run.status === 0 && errors.length === 0) {
    passed++;
    console.log(`ok   ${name} (${kernel}) ${seconds.toFixed(1)} s`);
    if (write) copyFileSync(executed, nb);
  } else {
    failed++;
    console.log(`FAIL ${name} (${kernel}) ${seconds.toFixed(1)} s`);
    // nbclient's message: the failing cell's source, then the kernel's error and traceback
    const log = (run.stderr || run.stdout || "").trim();
    const at = log.indexOf("CellExecutionError");
    console.log(indent((at >= 0 ? log.slice(at) : log).split("\n").slice(0, 40).join("\n")));
    // some kernels (tslab) put the message in a stderr stream, which nbconvert does not print:
    // run again letting errors through, and show every error and stderr output
    if (run.status !== 0 && execute(nb, true).status === 0 && existsSync(executed)) {
      console.log(indent(cellErrors(executed, true).join("\n")));
    }
  }
  if (keep && existsSync(executed)) {
    mkdirSync(keep, { recursive: true });
    copyFileSync(executed, join(keep, name));
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`notebooks ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
// the plain closing line CI reads: "N passed, N failed" alone on a line
console.log(`notebooks: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function execute(nb: string, allowErrors: boolean) {
  return spawnSync(
    "jupyter",
    [
      "nbconvert",
      "--to", "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
      `--ExecutePreprocessor.allow_errors=${allowErrors ? "True" : "False"}`,
      "--ExecutePreprocessor.record_timing=False",
      "--output-dir", outDir,
      nb,
    ],
    { cwd: notebookDir, env, encoding: "utf8" },
  );
}

/** Error outputs in an executed notebook (and, with `stderr`, what cells wrote to stderr). */
function cellErrors(path: string, stderr = false): string[] {
  const nb = JSON.parse(readFileSync(path, "utf8")) as {
    cells: { outputs?: { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string }[] }[];
  };
  const found: string[] = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "error") found.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      if (stderr && out.output_type === "stream" && out.name === "stderr") {
        const lines = [out.text ?? ""].flat().join("").trim().split("\n").slice(-30);
        found.push(`cell ${i} stderr: ${lines.map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join("\n")}`);
      }
    }
  });
  return found;
}

function indent(s: string): string {
  return s.replace(/^/gm, "     ");
}
