// Which code the command runs: the compiled dist/, or the TypeScript sources.
//
// An installed package has no src/, so it runs dist/. A checkout has both, and dist/ may be older than
// an edit: the build writes into dist/ a fingerprint of its inputs (every path under src/ with its size
// and modification time, and the tsconfig files) taken before it compiles, and dist/ is run only while
// the inputs still have that fingerprint. An edit, a new or a deleted file, a switch of branch, or an
// edit made while the build ran changes it; the command then runs the sources through tsx instead.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The stamp file inside dist/, written last by the build. */
export const STAMP = ".build-stamp.json";

/** The files besides src/ whose change changes what the build writes. */
const CONFIGS = ["tsconfig.json", "tsconfig.build.json"];

/** The fingerprint of the build's inputs under `root` (a directory path). */
export function inputsFingerprint(root) {
  const lines = [];
  const visit = (dir, rel) => {
    const st = statSync(dir);
    lines.push(`${rel}/ ${st.mtimeMs}`); // a directory's time changes when an entry is added, removed or renamed
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name), name = `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(path, name);
      else {
        const f = statSync(path);
        lines.push(`${name} ${f.size} ${f.mtimeMs}`);
      }
    }
  };
  visit(join(root, "src"), "src");
  for (const name of CONFIGS) {
    const path = join(root, name);
    lines.push(existsSync(path) ? `${name} ${statSync(path).size} ${statSync(path).mtimeMs}` : `${name} none`);
  }
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/**
 * What to run: `{ kind: "dist" }`, or `{ kind: "sources", why }` in a checkout whose dist/ is missing
 * or was built from other inputs than the ones there now.
 */
export function chooseEntry(root) {
  if (!existsSync(join(root, "src"))) return { kind: "dist" };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, "dist", STAMP), "utf8"));
  } catch {
    return { kind: "sources", why: "dist/ has not been built" };
  }
  if (stamp.inputs !== inputsFingerprint(root)) return { kind: "sources", why: "src/ has changed since dist/ was built" };
  return { kind: "dist" };
}
