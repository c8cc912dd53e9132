/**
 * Runtime checks for the worker RPC, with valibot (the one validation library of the project).
 * Both sides validate every message because the other end is another process: a version
 * mismatch or a bug there must become a clear error here, not an `undefined` deep inside the
 * engine. Objects keep only their declared keys.
 */
import * as v from 'valibot';
import { joinPath, validate } from '@jan/validation';

export type Schema = v.GenericSchema;
export type Infer<S extends Schema> = v.InferOutput<S>;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** A finite number (the wire never carries NaN or Infinity). */
export const finite = v.pipe(v.number(), v.finite());

/** The value checked by `schema`, or a SchemaError that names where (`chat.messages[0].role`) and what was expected. */
export function check<S extends Schema>(schema: S, value: unknown, path: string): Infer<S> {
  const result = validate(schema, value);
  if (result.ok) return result.value;
  const issue = result.issues[0]!;
  const where = joinPath(path, issue.path);
  if (issue.missing) throw new SchemaError(`${where} is missing`);
  throw new SchemaError(`${where} must be ${issue.expected ?? 'valid'} (got ${issue.received})`);
}
