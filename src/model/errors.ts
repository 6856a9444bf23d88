/** A problem with user input, naming the flag or config field at fault. The CLI prints it in one line. */
export class ConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "ConfigError";
    this.field = field;
  }
}
