// `npm version` runs this (the `version` script) after it has set package.json's version: jsr.json gets
// the same one, so npm and JSR publish one version. package.json stays the single place it is written.
import { readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const jsrPath = new URL("jsr.json", root);
const jsr = JSON.parse(readFileSync(jsrPath, "utf8"));
if (jsr.version !== version) {
  jsr.version = version;
  writeFileSync(jsrPath, JSON.stringify(jsr, null, 2) + "\n");
}
