import { checkStdoutOpen, writeStdout } from "../solution/output.ts";
import { readFileSync } from "node:fs";
import { mergeShards } from "../ensemble/shards.ts";
import type { ShardInput } from "../solution/shard-file.ts";
import { sweepCsvChunks } from "../solution/csv.ts";
import { resultsChunks } from "../solution/json.ts";
import { ConfigError } from "../model/errors.ts";
import { parseArgs, type FlagSpec } from "./args.ts";
import { choiceFlag } from "./flag-values.ts";
import { checkOutPath, writeOutput } from "../solution/files.ts";

export const MERGE_HELP = `bn-collapse merge: combine the shard files of one sweep into its result, exactly as a single
machine would have written it (the same bytes).

Usage: bn-collapse merge SHARD_FILES... [--out FILE] [--format json|csv]

  --out FILE      write there (atomically) instead of stdout
  --format F      json | csv                              [json]
  --quiet         no message on stderr

Every shard 1/n..n/n must be given once, all made by this version with the same config and seed;
anything else is refused with a message naming the file and the problem.

Example (shards made with "bn-collapse sweep ... --shard i/3 --out part-i.json"):
  bn-collapse merge part-1.json part-2.json part-3.json --out sweep.json
`;

const MERGE_FLAGS: FlagSpec[] = [
  { name: "out", value: true },
  { name: "format", value: true },
  { name: "quiet", value: false },
  { name: "help", value: false },
];

export async function mergeCommand(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, MERGE_FLAGS);
  if (flags.has("help")) {
    writeStdout(MERGE_HELP);
    return;
  }
  const format = choiceFlag(flags, "format", ["json", "csv"], "json");
  const out = flags.get("out");
  if (typeof out === "string") checkOutPath(out, positional);
  else checkStdoutOpen();
  const inputs: ShardInput[] = positional.map((name) => ({ name, text: readShardFile(name) }));
  const result = mergeShards(inputs);
  writeOutput(format === "csv" ? sweepCsvChunks(result) : resultsChunks(result), typeof out === "string" ? out : null);
  if (typeof out === "string" && !flags.has("quiet")) process.stderr.write(`merge: wrote ${out} (${result.cells.length} cells from ${inputs.length} shards)\n`);
}

function readShardFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
