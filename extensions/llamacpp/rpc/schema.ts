/**
 * Runtime checks for the worker RPC, with valibot (the one validation library of the project).
 * Both sides validate every message because the other end is another process: a version
 * mismatch or a bug there must become a clear error here, not an `undefined` deep inside the
 * engine. Objects keep only their declared keys.
 */
import * as v from 'valibot';

export type Schema = v.GenericSchema;
export type Infer<S extends Schema> = v.InferOutput<S>;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** A finite number (the wire never carries NaN or Infinity). */
export const finite = v.pipe(v.number(), v.finite());

/** The value checked by `schema`, or a SchemaError that names where (`chat.messages[0].role`) and what was expected. */
export function check<S extends Schema>(schema: S, value: unknown, path: string): Infer<S> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('');
  if (issue.type === 'object' && issue.received === 'undefined' && where)
    throw new SchemaError(`${path}${where} is missing`);
  const received = issue.received.length > 60 ? `${issue.received.slice(0, 57)}...` : issue.received;
  throw new SchemaError(`${path}${where} must be ${issue.expected ?? 'valid'} (got ${received})`);
}
