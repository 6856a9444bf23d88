import { writeStdout } from "../solution/output.ts";
import { ConfigError } from "../model/errors.ts";
import { VERSION } from "../version.ts";
import { nearest } from "./args.ts";

const HELP = `bn-collapse ${VERSION}: why BN+ReLU units collapse under noisy SGD, measured.

Usage: bn-collapse <command> [flags]

Commands:
  sweep     Monte Carlo collapse probability over a grid of lr, gamma, beta, batch
  merge     combine the shard files of a sweep run as --shard i/n into its result
  plan      a Slurm job array (or Kubernetes Indexed Job) script for a sweep, shards and merge
  reproduce run the figure set and write every figure with its caption (--quick: < 1 min)
  bench     throughput of the engine, side by side with numpy and C references (--json)
  theory    leading-order drift and variance of r per step, tau, and the predicted collapse probability
  fit       exponents in lr and gamma of a sweep result, with intervals and verdicts
  layer     collapsed fraction of a BN layer of K units against the single-unit prediction
  scan      the collapsed channels of every BN layer of a safetensors checkpoint
  help      this text

Run "bn-collapse <command> --help" for a command's flags and an example, e.g.
  bn-collapse sweep --lr 0.1,0.2 --gamma 1 --trials 1000 --format csv
`;

type Command = (argv: string[]) => Promise<void>;

/**
 * Each command is loaded when it runs: only `reproduce` needs vega, and --help needs none of them.
 * Loading waits on the event loop; code that captures stdout around main() (the tests' in-process
 * runners) calls loadCommand first, so that nothing else writes while it captures.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  sweep: async () => (await import("./sweep-command.ts")).sweepCommand,
  reproduce: async () => (await import("./reproduce-command.ts")).reproduceCommand,
  merge: async () => (await import("./merge-command.ts")).mergeCommand,
  plan: async () => (await import("./plan-command.ts")).planCommand,
  bench: async () => (await import("./bench-command.ts")).benchCommand,
  fit: async () => (await import("./fit-command.ts")).fitCommand,
  theory: async () => (await import("./theory-command.ts")).theoryCommand,
  layer: async () => (await import("./layer-command.ts")).layerCommand,
  scan: async () => (await import("./scan-command.ts")).scanCommand,
};

const loaded = new Map<string, Command>();

/** The code of a command, loaded once (undefined for a name that is no command). */
export async function loadCommand(name: string | undefined): Promise<Command | undefined> {
  if (name === undefined || !Object.hasOwn(COMMANDS, name)) return undefined;
  let run = loaded.get(name);
  if (!run) loaded.set(name, (run = await COMMANDS[name]()));
  return run;
}

/** Runs the CLI; returns the exit code (0 ok, 2 bad input, 1 anything else). */
export async function main(argv: string[]): Promise<number> {
  let [command, ...rest] = argv;
  // `help sweep` is `sweep --help`
  if (command === "help" && rest.length > 0 && Object.hasOwn(COMMANDS, rest[0])) [command, rest] = [rest[0], ["--help"]];
  try {
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      writeStdout(HELP);
      return 0;
    }
    if (command === "--version") {
      writeStdout(`${VERSION}\n`);
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) {
      const near = nearest(command.replace(/^-+/, ""), Object.keys(COMMANDS));
      process.stderr.write(`bn-collapse: unknown command "${oneLine(command)}"${near ? ` (did you mean "${near}"?)` : ""} (commands: ${Object.keys(COMMANDS).join(", ")})\n`);
      return 2;
    }
    const run = (await loadCommand(command)) as Command;
    // -h is --help for every command
    await run(rest.map((a) => (a === "-h" ? "--help" : a)));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`bn-collapse ${command}: ${oneLine(stripCommand(e.message, command))}\n`);
      return 2;
    }
    process.stderr.write(`bn-collapse ${command}: error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
}

/** A message that begins with the command's own name ("sweep: ...") is not prefixed twice. */
const stripCommand = (message: string, command: string) => (message.startsWith(`${command}: `) ? message.slice(command.length + 2) : message);

/** A message as one printable line: messages quote user input, which may hold newlines or escapes. */
function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const isEntry = (() => {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return new URL(import.meta.url).pathname === new URL(`file://${argv1}`).pathname || argv1.endsWith("/src/cli/main.ts");
  } catch {
    return false;
  }
})();

if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
