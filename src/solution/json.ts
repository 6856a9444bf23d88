/**
 * JSON with two-space indentation, except that arrays of numbers stay on one line: result files
 * carry survival curves, and one number per line would make them unreadable.
 */
export function stringifyResults(value: unknown): string {
  return format(value, "") + "\n";
}

function format(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "number" || x === null)) return JSON.stringify(v);
    if (v.length === 0) return "[]";
    const inner = indent + "  ";
    return "[\n" + v.map((x) => inner + format(x, inner)).join(",\n") + "\n" + indent + "]";
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return "{}";
    const inner = indent + "  ";
    return "{\n" + entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(",\n") + "\n" + indent + "}";
  }
  return JSON.stringify(v) ?? "null";
}
