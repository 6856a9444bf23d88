/** The shared readers of flag values (src/cli/flag-values.ts): fallbacks, bounds, and messages naming the flag. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs } from "../src/cli/args.ts";
import { choiceFlag, integerFlag, numberFlag } from "../src/cli/flag-values.ts";
import { ConfigError } from "../src/model/errors.ts";

const specs = [{ name: "n", value: true }, { name: "x", value: true }, { name: "format", value: true }];
const flags = (...argv: string[]) => parseArgs(argv, specs).flags;
const refused = (f: () => unknown, field: string, message: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof ConfigError && e.field === field && message.test(e.message));

test("integerFlag: fallback when absent, the value when in range, a named refusal otherwise", () => {
  assert.equal(integerFlag(flags(), "n", 7, 1, 10), 7);
  assert.equal(integerFlag(flags("--n", "10"), "n", 7, 1, 10), 10);
  for (const bad of ["0", "11", "2.5", "many", "1e400"]) refused(() => integerFlag(flags("--n", bad), "n", 7, 1, 10), "--n", /./);
  refused(() => integerFlag(flags("--n", "11"), "n", 7, 1, 10), "--n", /must be an integer in 1\.\.10, got "11"/);
});

test("numberFlag: any finite number; refuses text, blanks and infinities", () => {
  assert.equal(numberFlag(flags(), "x", 0.5), 0.5);
  assert.equal(numberFlag(flags("--x=-1.5e-3"), "x", 0.5), -1.5e-3);
  for (const bad of ["many", " ", "Infinity", "1e400"]) refused(() => numberFlag(flags(`--x=${bad}`), "x", 0), "--x", /must be a number/);
});

test("choiceFlag: one of the choices, or a refusal that lists them", () => {
  assert.equal(choiceFlag(flags(), "format", ["json", "csv"], "json"), "json");
  assert.equal(choiceFlag(flags("--format", "csv"), "format", ["json", "csv"], "json"), "csv");
  refused(() => choiceFlag(flags("--format", "xml"), "format", ["json", "csv"], "json"), "--format", /must be json or csv, got "xml"/);
});
