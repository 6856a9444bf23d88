import { createHash } from "node:crypto";

/**
 * JSON with the keys of every object sorted: the same data gives the same text whatever order its
 * fields were built in. Like JSON.stringify, NaN and infinities become null and -0 becomes 0, so a
 * value and its JSON round trip have the same canonical text.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  }) ?? "null";
}

/** Hex SHA-256 of a text. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** SHA-256 of the canonical text of a value: equal for equal data, different (in practice) otherwise. */
export function digestOf(value: unknown): string {
  return sha256(stableStringify(value));
}

/** The first top-level field in which two objects differ (canonically), or null if they agree. */
export function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) if (stableStringify(a[k]) !== stableStringify(b[k])) return k;
  return null;
}

/** A value as short text for a one-line message. */
export function brief(value: unknown, max = 40): string {
  const t = value === undefined ? "absent" : stableStringify(value);
  return t.length <= max ? t : `${t.slice(0, max - 3)}...`;
}
