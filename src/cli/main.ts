import { ConfigError } from "../model/errors.ts";
import { VERSION } from "../ensemble/sweep.ts";
import { sweepCommand } from "./sweep-command.ts";

const HELP = `bn-collapse ${VERSION}: why BN+ReLU units collapse under noisy SGD, measured.

Usage: bn-collapse <command> [flags]

Commands:
  sweep     Monte Carlo collapse probability over a grid of lr, gamma, beta, batch
  help      this text

Run "bn-collapse <command> --help" for a command's flags and an example, e.g.
  bn-collapse sweep --lr 0.1,0.2 --gamma 1 --trials 1000 --format csv
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  sweep: sweepCommand,
};

/** Runs the CLI; returns the exit code (0 ok, 2 bad input, 1 anything else). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === "--version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`bn-collapse: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(", ")})\n`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`bn-collapse ${command}: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    process.stderr.write(`bn-collapse ${command}: error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
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
