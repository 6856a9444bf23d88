#!/usr/bin/env node
// The installed command: registers tsx (TypeScript on Node) and runs the CLI in src/cli.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
