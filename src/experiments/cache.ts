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
      const stored = JSON.parse(readFileSync(file, "utf8")) as { key: unknown; value: T };
      if (canonicalJson(stored.key) === canonicalJson(key)) return { value: stored.value, cached: true };
    }
    const value = await compute();
    writeFileAtomic(file, JSON.stringify({ key, value }) + "\n");
    return { value, cached: false };
  }
}
