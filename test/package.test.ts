/** The package: the bin runs dist/ only while it was built from the sources there now (bin/build-stamp.mjs); one version. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseEntry, inputsFingerprint, STAMP } from "../bin/build-stamp.mjs";

/** A checkout in miniature: src/ with a nested folder, a tsconfig, and dist/ stamped as just built. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), "bnc-stamp-"));
  mkdirSync(join(root, "src", "cli"), { recursive: true });
  writeFileSync(join(root, "src", "index.ts"), "export const a = 1;\n");
  writeFileSync(join(root, "src", "cli", "main.ts"), "export const b = 2;\n");
  writeFileSync(join(root, "tsconfig.json"), "{}\n");
  mkdirSync(join(root, "dist"));
  writeFileSync(join(root, "dist", STAMP), JSON.stringify({ inputs: inputsFingerprint(root) }));
  return root;
}

/** Moves a path's modification time by `ms`, as an edit would (without waiting for the clock). */
function touch(path: string, ms = 1500): void {
  const t = statSync(path).mtimeMs + ms;
  utimesSync(path, t / 1000, t / 1000);
}

test("a fresh build runs dist/; an installed package (no src/) always does", () => {
  const root = checkout();
  assert.deepEqual(chooseEntry(root), { kind: "dist" });
  rmSync(join(root, "src"), { recursive: true });
  assert.deepEqual(chooseEntry(root), { kind: "dist" });
  rmSync(root, { recursive: true });
});

test("every kind of change to the inputs sends the bin to the sources", () => {
  const changes: [string, (root: string) => void][] = [
    ["an edited file", (r) => touch(join(r, "src", "cli", "main.ts"))],
    ["an edit that keeps the time but not the size", (r) => {
      const f = join(r, "src", "index.ts"), st = statSync(f);
      writeFileSync(f, "export const a = 10;\n");
      utimesSync(f, st.atime, st.mtime);
    }],
    ["a new file", (r) => writeFileSync(join(r, "src", "new.ts"), "")],
    ["a deleted file", (r) => rmSync(join(r, "src", "cli", "main.ts"))],
    ["a renamed file", (r) => renameSync(join(r, "src", "index.ts"), join(r, "src", "main.ts"))],
    ["a changed tsconfig", (r) => touch(join(r, "tsconfig.json"))],
    ["a new tsconfig.build.json", (r) => writeFileSync(join(r, "tsconfig.build.json"), "{}")],
    ["no stamp", (r) => rmSync(join(r, "dist", STAMP))],
    ["no dist/", (r) => rmSync(join(r, "dist"), { recursive: true })],
  ];
  for (const [what, change] of changes) {
    const root = checkout();
    change(root);
    const choice = chooseEntry(root);
    assert.equal(choice.kind, "sources", what);
    rmSync(root, { recursive: true });
  }
});

test("the version comes from package.json; jsr.json carries the same", async () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const jsr = JSON.parse(readFileSync(join(root, "jsr.json"), "utf8"));
  const { VERSION } = await import("../src/version.ts");
  assert.equal(VERSION, pkg.version);
  assert.equal(jsr.version, pkg.version, "jsr.json's version: `npm version` keeps it in step (scripts/sync-version.mjs)");
});
