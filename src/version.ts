// The version comes from package.json alone: the CLI prints it and every result file records it.
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
