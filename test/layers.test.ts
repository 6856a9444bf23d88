/**
 * The layers of src/, checked from the import graph: every import in src/ is read (static imports and
 * re-exports, side-effect imports, `import("...")` with a literal path), each file is mapped to its
 * folder (a file directly in src/ stands for itself), and
 *  - every folder has a declared layer (LAYERS below, the same order as the README's "Where things live");
 *  - an import goes to the same folder or to a folder of a lower layer, never up and never sideways
 *    to another folder of the same layer;
 *  - no files import each other in a loop at run time (folders cannot, by the rule above; inside a
 *    folder an `import type` is erased when the code runs, so a loop through one is left to review).
 * A file's URL handed to a worker thread or a child process (`new URL("./worker.ts", import.meta.url)`)
 * is not an import: the other side runs in its own module graph. Nor is a JSON file read as data.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Bottom to top: a folder may import only from its own layer's folder and from the layers below. */
const LAYERS: readonly (readonly string[])[] = [
  ["version.ts", "stats", "rng"], // leaves: the version (package.json's); special functions, intervals, survival curves; random streams
  ["model"], // the problem as data, its validation, what a criterion and a schedule mean
  ["unit"], // the math of one BN + ReLU unit: a batch forward and backward by hand
  ["theory"], // the leading-order theory of a step, math on the model that never simulates
  ["engine"], // the algorithms that run a unit problem (mechanistic, reduced)
  ["layer"], // a BN layer of K units, built on the engine's parts
  ["config"], // raw input: the table of settings, their text forms, the template they describe
  ["solution"], // the result as plain data: its type, JSON, CSV, atomic files, checkpoints, shard files
  ["ensemble"], // the sweep problem, its grid, the pool that runs it, shards and their merge
  ["cluster"], // the sweep's shards placed on a scheduler: --shard auto, plan's scripts
  ["analysis", "plot", "digits"], // readers of a result: scaling fits; vega-lite spec builders; the digits MLP against the unit
  ["render"], // specs to SVG and PNG
  ["experiments", "scan"], // the figure set; scan, BN layers of a trained network read from safetensors
  ["bench"], // the benchmark
  ["cli"], // the command line
  ["index.ts"], // the public API
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

interface Import {
  path: string;
  /** `import type` / `export type`: erased at run time */
  typeOnly: boolean;
}

/** The relative module paths a file imports (npm packages and node: modules are not in the graph). */
function importsOf(text: string): Import[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: Import[] = [];
  const patterns = [
    /\b(?:import|export)\s+(type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']/g, // import x from, export { y } from
    /\bimport\s*()["']([^"']+)["']/g, // import "./side-effect.ts"
    /\bimport\(\s*()["']([^"']+)["']\s*\)/g, // import("./lazy.ts")
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push({ path: m[2], typeOnly: (m[1] ?? "") !== "" });
  return found.filter((i) => i.path.startsWith("."));
}

/** A file's folder under src/, or the file's own name when it sits in src/ itself. */
const folderOf = (file: string) => relative(SRC, file).split("/")[0];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function importGraph(): { files: string[]; edges: Edge[] } {
  const files = sourceFiles(SRC);
  const edges: Edge[] = [];
  for (const file of files) {
    for (const { path: spec, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
      const to = resolve(dirname(file), spec);
      if (spec.endsWith(".json")) continue; // data (package.json), not a module of the graph
      assert.ok(files.includes(to), `${relative(SRC, file)} imports ${spec}, which is not a source file of src/`);
      edges.push({ from: file, to, typeOnly });
    }
  }
  return { files, edges };
}

const layerOf = new Map(LAYERS.flatMap((folders, level) => folders.map((f) => [f, level] as const)));
const show = (e: Edge) => `src/${relative(SRC, e.from)} -> src/${relative(SRC, e.to)}`;
const order = LAYERS.map((l) => l.join(", ")).join("  <  ");

test("every folder of src/ has a declared layer", () => {
  const folders = [...new Set(importGraph().files.map(folderOf))].sort();
  const undeclared = folders.filter((f) => !layerOf.has(f));
  assert.deepEqual(undeclared, [], `declare the layer of ${undeclared.join(", ")} in test/layers.test.ts (and the README): ${order}`);
  const gone = [...layerOf.keys()].filter((f) => !folders.includes(f));
  assert.deepEqual(gone, [], `LAYERS names folders that are not in src/: ${gone.join(", ")}`);
});

test("no import runs up a layer or sideways between folders of one layer", () => {
  const wrong = importGraph()
    .edges.filter((e) => {
      const a = folderOf(e.from), b = folderOf(e.to);
      const la = layerOf.get(a), lb = layerOf.get(b);
      return a !== b && la !== undefined && lb !== undefined && lb >= la;
    })
    .map((e) => `${show(e)} (layer ${layerOf.get(folderOf(e.from))! + 1} imports layer ${layerOf.get(folderOf(e.to))! + 1}, counted from 1 as in the README)`);
  assert.deepEqual(wrong, [], `imports against the layers ${order}:\n  ${wrong.join("\n  ")}`);
});

/** The loops of a graph (node -> the nodes it imports), each as its nodes in order, found by depth-first search. */
function loopsOf(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "grey" | "black">();
  const loops: string[][] = [];
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, "grey");
    path.push(f);
    for (const g of next.get(f) ?? []) {
      if (state.get(g) === "grey") loops.push([...path.slice(path.indexOf(g)), g]); // a grey node met again closes a loop
      else if (!state.has(g)) visit(g);
    }
    path.pop();
    state.set(f, "black");
  };
  for (const f of nodes) if (!state.has(f)) visit(f);
  return loops;
}

test("no files import each other in a loop at run time", () => {
  const { files, edges } = importGraph();
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) if (!e.typeOnly) next.get(e.from)!.push(e.to);
  const loops = loopsOf(files, next).map((l) => l.map((x) => `src/${relative(SRC, x)}`).join(" -> "));
  assert.deepEqual(loops, [], `import loops:\n  ${loops.join("\n  ")}`);
});

test("the loop finder finds a loop, and none in a graph without one", () => {
  const graph = (pairs: string) => new Map<string, string[]>(Object.entries(Object.fromEntries(pairs.split(" ").map((p) => [p[0], p.slice(1).split("")]))));
  assert.deepEqual(loopsOf(["a", "b", "c", "d"], graph("ab bc cd db")), [["b", "c", "d", "b"]]);
  assert.deepEqual(loopsOf(["a", "b", "c", "d"], graph("abc bd cd d")), []);
});

test("the import reader sees every form of import", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b/b.ts";`,
    `export { c } from "./c.ts";`,
    `export * from "./d.ts";`,
    `import {\n  e,\n  type F,\n} from "./e.ts";`,
    `import "./side.ts";`,
    `const g = await import("./lazy.ts");`,
    `import x from "npm-package";`,
    `export type { G } from "./types.ts";`,
    `// import { no } from "./commented.ts";`,
    `/* import { no } from "./block.ts"; */`,
  ].join("\n");
  const found = importsOf(text).map((i) => `${i.path}${i.typeOnly ? " (type)" : ""}`).sort();
  assert.deepEqual(found, ["../b/b.ts (type)", "./a.ts", "./c.ts", "./d.ts", "./e.ts", "./lazy.ts", "./side.ts", "./types.ts (type)"]);
});
