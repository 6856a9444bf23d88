/**
 * Just enough YAML to write Kubernetes manifests from plain data: block mappings and sequences,
 * multi-line strings as literal blocks, other strings plain where YAML reads them back as the same
 * string and JSON-quoted otherwise (a JSON string is a valid YAML double-quoted scalar).
 */
export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

const PLAIN = /^[A-Za-z_/$][A-Za-z0-9_./$()-]*$/;
const SPECIAL = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`yaml: ${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === "boolean") return String(v);
  return PLAIN.test(v) && !SPECIAL.test(v) ? v : JSON.stringify(v);
}

const isBlock = (v: Yaml): v is string => typeof v === "string" && v.includes("\n");

/** `|` keeps the one final newline, `|-` has none; the block is indented under its key. */
function literal(text: string, indent: string): string[] {
  const head = text.endsWith("\n") ? "|" : "|-";
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  if (/^\s/.test(body) || body.split("\n").some((l) => /\s$/.test(l) || /\t/.test(l))) {
    throw new Error("yaml: a literal block may not start with a space nor hold tabs or trailing spaces");
  }
  return [head, ...body.split("\n").map((l) => (l === "" ? "" : indent + l))];
}

function lines(v: Yaml, indent: string): string[] {
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const item of v) {
      if (isBlock(item)) {
        const [head, ...body] = literal(item, indent + "  ");
        out.push(`${indent}- ${head}`, ...body);
      } else if (item !== null && typeof item === "object" && !(Array.isArray(item) && item.length === 0) && Object.keys(item).length > 0) {
        const inner = lines(item, indent + "  ");
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return out;
  }
  if (v !== null && typeof v === "object") {
    const out: string[] = [];
    for (const [k, x] of Object.entries(v)) {
      const key = scalar(k);
      if (isBlock(x)) {
        const [head, ...body] = literal(x, indent + "  ");
        out.push(`${indent}${key}: ${head}`, ...body);
      } else if (x !== null && typeof x === "object" && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0)) {
        out.push(`${indent}${key}:`, ...lines(x, indent + "  "));
      } else out.push(`${indent}${key}: ${inline(x)}`);
    }
    return out;
  }
  return [indent + inline(v)];
}

function inline(v: Yaml): string {
  if (Array.isArray(v)) return "[]";
  if (v !== null && typeof v === "object") return "{}";
  return scalar(v);
}

/** One YAML document (no "---"), ending in a newline. */
export function toYaml(value: Yaml): string {
  return lines(value, "").join("\n") + "\n";
}
