import { readFileSync } from "node:fs";
import AjvModule from "ajv";
import type { ValidateFunction } from "ajv";
import { ConfigError } from "../model/errors.ts";

/**
 * The JSON Schemas of the files the tool writes (schema/ in the package, published with it). The tool
 * reads its own files back through them: merge (shards), fit (sweep results), so a file that is not
 * what sweep writes (an edited one, a hand-made one) is refused naming the file and the field.
 */
export type ResultKind = "sweep" | "shard" | "theory" | "fit" | "scan";

type AjvClass = typeof import("ajv").default;
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;

const compiled = new Map<ResultKind, ValidateFunction>();

/** The schema of a kind of file, as published in schema/KIND.schema.json. */
export function resultSchema(kind: ResultKind): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schema/${kind}.schema.json`, import.meta.url), "utf8"));
}

function validator(kind: ResultKind): ValidateFunction {
  let v = compiled.get(kind);
  if (!v) compiled.set(kind, (v = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true }).compile(resultSchema(kind))));
  return v;
}

/** Throws a ConfigError naming `name` and the first place where `value` departs from the schema. */
export function checkAgainstSchema(kind: ResultKind, value: unknown, name: string): void {
  const v = validator(kind);
  if (v(value)) return;
  const err = v.errors?.[0];
  const at = err?.instancePath ? err.instancePath.replace(/^\//, "").replace(/\//g, ".") : "the file";
  const extra = err?.keyword === "additionalProperties" ? ` "${(err.params as { additionalProperty: string }).additionalProperty}"` : "";
  throw new ConfigError(name, `is not a valid ${kind} file (schema/${kind}.schema.json): ${at} ${err?.message ?? "does not match"}${extra}`);
}
