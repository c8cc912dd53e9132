/**
 * Runtime checks for the worker RPC. Both sides validate every message because the other end
 * is another process: a version mismatch or a bug there must become a clear error here, not an
 * `undefined` deep inside the engine. Each schema returns the checked value (objects keep only
 * the declared keys) or throws a SchemaError naming the offending path.
 */
export type Schema<T> = (value: unknown, path: string) => T;
export type Infer<S> = S extends Schema<infer T> ? T : never;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new SchemaError(`${path} must be ${expected} (got ${got})`);
}

export const string: Schema<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string', value));

export const number: Schema<number> = (value, path) => (typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a finite number', value));

export const boolean: Schema<boolean> = (value, path) => (typeof value === 'boolean' ? value : fail(path, 'a boolean', value));

export const unknown: Schema<unknown> = (value) => value;

export function literal<const T extends readonly (string | number | boolean | null)[]>(...values: T): Schema<T[number]> {
  return (value, path) =>
    values.includes(value as T[number]) ? (value as T[number]) : fail(path, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
}

export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
  return (value, path) => (value === undefined ? undefined : schema(value, path));
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return (value, path) => (Array.isArray(value) ? value.map((entry, index) => item(entry, `${path}[${index}]`)) : fail(path, 'an array', value));
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flatten<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      const checked = schema(source[key], `${path}.${key}`);
      if (checked !== undefined) result[key] = checked;
    }
    return result as ObjectOf<S>;
  };
}

/**
 * A union told apart by a string field: `variants('type', { a: object({...}), b: object({...}) })`
 * accepts `{ type: 'a', ... }` checked by the first schema, and so on. The tag is kept.
 */
export function variants<K extends string, V extends Record<string, Schema<object>>>(
  tag: K,
  cases: V,
): Schema<{ [C in keyof V]: Infer<V[C]> & { [T in K]: C } }[keyof V]> {
  return (value, path) => {
    const name = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[tag] : undefined;
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(cases, name)) {
      fail(
        `${path}.${tag}`,
        `one of ${Object.keys(cases)
          .map((key) => JSON.stringify(key))
          .join(', ')}`,
        name,
      );
    }
    return { ...cases[name]!(value, path), [tag]: name } as never;
  };
}
