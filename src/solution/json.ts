/**
 * JSON with two-space indentation, except that arrays of numbers stay on one line: result files
 * carry survival curves, and one number per line would make them unreadable.
 */
export function stringifyResults(value: unknown): string {
  return format(value, "") + "\n";
}

/**
 * The same text as stringifyResults, in pieces: a container is opened, its members are yielded one
 * by one, and only a leaf (a number, a string, an array of numbers) or a small member is ever one
 * string. A result far larger than the runtime's longest string (about 2^29 characters in V8) is
 * written this way. `whole` bounds the size of a member formatted in one piece.
 */
export function* resultsChunks(value: unknown, whole = 65536): Generator<string> {
  yield* chunks(value, "", whole);
  yield "\n";
}

const isNumberArray = (v: unknown[]) => v.every((x) => typeof x === "number" || x === null);

function* chunks(v: unknown, indent: string, whole: number): Generator<string> {
  if (Array.isArray(v) && !isNumberArray(v) && v.length > 0) {
    const inner = indent + "  ";
    yield "[\n";
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? inner : `,\n${inner}`;
      yield* member(v[i], inner, whole);
    }
    yield `\n${indent}]`;
    return;
  }
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return yield "{}";
    const inner = indent + "  ";
    yield "{\n";
    for (let i = 0; i < entries.length; i++) {
      const [k, x] = entries[i];
      yield `${i === 0 ? "" : ",\n"}${inner}${JSON.stringify(k)}: `;
      yield* member(x, inner, whole);
    }
    yield `\n${indent}}`;
    return;
  }
  yield format(v, indent);
}

/** A member: a container with many members is streamed, a small one formatted whole (fewer pieces). */
function* member(v: unknown, indent: string, whole: number): Generator<string> {
  const many = Array.isArray(v) ? !isNumberArray(v) && v.length > 8 : v !== null && typeof v === "object" && Object.keys(v).length > 64;
  if (many) return yield* chunks(v, indent, whole);
  const text = format(v, indent);
  if (text.length <= whole) return yield text;
  yield* chunks(v, indent, whole);
}

function format(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    if (isNumberArray(v)) return JSON.stringify(v);
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
