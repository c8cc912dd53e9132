/**
 * Runtime checks for what is read from disk. Files come from other app versions and from people:
 * a field may be missing (use a default), `null` (Jan writes that for unset fields, so also a
 * default) or of the wrong type (a ShapeError naming the field). Field types are valibot
 * schemas, the project's one validation library.
 */
import * as v from 'valibot';

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

export function expectRecord(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(`${what} is not a JSON object`);
  return value;
}

/** A field's schema, and how an error names what the field should be. */
export interface FieldType<T> {
  schema: v.GenericSchema<unknown, T>;
  expected: string;
}

export function fieldType<T>(schema: v.GenericSchema<unknown, T>, expected: string): FieldType<T> {
  return { schema, expected };
}

export const A_STRING = fieldType(v.string(), 'a string');
export const A_NUMBER = fieldType(v.pipe(v.number(), v.finite()), 'a number');
export const AN_OBJECT = fieldType(v.custom<Record<string, unknown>>(isRecord), 'an object');
export const AN_ARRAY = fieldType(v.array(v.unknown()), 'an array');

/** The field's value when present and of the expected type, undefined when absent or null. */
export function optionalField<T>(record: Record<string, unknown>, key: string, type: FieldType<T>): T | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (!v.is(type.schema, value))
    throw new ShapeError(`"${key}" should be ${type.expected}, found ${JSON.stringify(value)?.slice(0, 60)}`);
  return value as T;
}

/**
 * Unix milliseconds from a timestamp in seconds or milliseconds: Jan 0.4/0.5 wrote ms, other
 * versions and the OpenAI shape use seconds. Below 1e11 it cannot be ms (that is 1973).
 */
export function toMillis(timestamp: number): number {
  return timestamp < 1e11 ? Math.round(timestamp * 1000) : Math.round(timestamp);
}

export function toSeconds(millis: number): number {
  return Math.floor(millis / 1000);
}

/** `millis` in the unit `previous` (the value on disk) was written in: a rewrite keeps a file's seconds in seconds. */
export function inUnitOf(previous: unknown, millis: number): number {
  return typeof previous === 'number' && previous < 1e11 ? toSeconds(millis) : millis;
}

/** Prefixes a ShapeError's message with where it happened (`assistants[1]: ...`). */
export function within<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ShapeError) throw new ShapeError(`${where}: ${error.message}`);
    throw error;
  }
}
