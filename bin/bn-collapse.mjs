#!/usr/bin/env node
// The command. Runs the compiled CLI in dist/; in a checkout whose dist/ is older than src/ it runs the
// sources through tsx instead (slower to start, never stale), saying so when a person is watching.
import { fileURLToPath } from "node:url";
import { chooseEntry } from "./build-stamp.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const choice = chooseEntry(root);
let main;
if (choice.kind === "dist") {
  ({ main } = await import("../dist/cli/main.js"));
} else {
  if (process.stderr.isTTY) {
    process.stderr.write(`bn-collapse: ${choice.why}: running the sources through tsx (\`npm run build\` makes start-up fast)\n`);
  }
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write(`bn-collapse: ${choice.why} and tsx is not installed: run \`npm run build\` (or \`npm ci\`)\n`);
    process.exit(1);
  }
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
