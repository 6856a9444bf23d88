import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../solution/files.ts";

/** JSON with object keys sorted, so equal configs give equal text whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** The first 16 hex digits of the SHA-256 of the canonical JSON: the name of a cached result. */
export function cacheKey(v: unknown): string {
  return createHash("sha256").update(canonicalJson(v)).digest("hex").slice(0, 16);
}

/**
 * Results on disk by key, one JSON file each; `fresh` ignores (and overwrites) what an earlier run
 * left there. Within one run each key is computed at most once.
 */
export class ResultCache {
  private readonly memo = new Map<string, unknown>();

  constructor(readonly dir: string, readonly fresh = false) {}

  async get<T>(kind: string, key: unknown, compute: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
    const file = join(this.dir, `${kind}-${cacheKey(key)}.json`);
    if (this.memo.has(file)) return { value: this.memo.get(file) as T, cached: true };
    const value = await this.load(file, key, compute);
    this.memo.set(file, value.value);
    return value;
  }

  private async load<T>(file: string, key: unknown, compute: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
    if (!this.fresh && existsSync(file)) {
      const stored = readEntry(file);
      if (typeof stored === "string") process.stderr.write(`reproduce: cache entry ${file} ${stored}; recomputing it\n`);
      else if (canonicalJson(stored.key) === canonicalJson(key)) return { value: stored.value as T, cached: true };
    }
    const value = await compute();
    const body = JSON.parse(JSON.stringify({ key, value })) as { key: unknown; value: unknown };
    writeFileAtomic(file, JSON.stringify({ ...body, digest: entryDigest(body) }) + "\n");
    return { value, cached: false };
  }
}

/** The digest of an entry's key and value together: an edited value, or a value moved under another key, fails it. */
const entryDigest = (body: { key: unknown; value: unknown }) => createHash("sha256").update(canonicalJson({ key: body.key, value: body.value })).digest("hex");

/** A cache file's entry, or why it cannot be trusted. */
function readEntry(file: string): { key: unknown; value: unknown } | string {
  let stored: { key?: unknown; value?: unknown; digest?: unknown };
  try {
    stored = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return `is not valid JSON (${(e as Error).message}; a truncated write?)`;
  }
  if (stored === null || typeof stored !== "object" || !("key" in stored) || !("value" in stored)) return "is not a cache entry";
  if (typeof stored.digest !== "string") return "has no digest (written by an older version)";
  if (stored.digest !== entryDigest({ key: stored.key, value: stored.value })) return "does not match its digest (edited or damaged)";
  return { key: stored.key, value: stored.value };
}
