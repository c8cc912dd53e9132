/**
 * The one way a record read from disk is copied or changed. Keys in a file are data: a file may
 * hold `"__proto__"`, and `out[key] = value` would call the prototype setter instead of keeping
 * the field (it would vanish on the next save, or swap the copy's prototype). Properties are
 * defined, never assigned; eslint.config.mjs forbids computed assignment and `Object.assign` in
 * the store's files so no other copy can come back (test/unit/lint/dependency-rule.test.ts).
 */
import { isRecord } from './validate';

export type JsonRecord = Record<string, unknown>;

/** Defines `key` as an own, enumerable data property, whatever its name. */
export function setField(record: JsonRecord, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The own value of `key` (never one inherited from the prototype, such as `__proto__`'s getter). */
export function ownField(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A shallow copy keeping every key as data, with `fields` defined over it; keys whose value is
 * undefined are left out, so a `null` read from disk and then defaulted leaves no trace.
 */
export function compact<T extends object>(record: object, fields: object = {}): T {
  const out: JsonRecord = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) setField(out, key, value);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) setField(out, key, value);
    else if (Object.hasOwn(out, key)) delete out[key];
  }
  return out as T;
}

/** Deep equality of JSON values (key order ignored), without recursion: a file may nest 10,000 deep. */
export function sameJson(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  while (pending.length > 0) {
    const [left, right] = pending.pop()!;
    if (left === right) continue;
    if (Array.isArray(left) || Array.isArray(right)) {
      if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
      for (let i = 0; i < left.length; i++) pending.push([left[i], right[i]]);
      continue;
    }
    if (!isRecord(left) || !isRecord(right)) return false;
    const keys = Object.keys(left).filter((key) => left[key] !== undefined);
    if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(right, key)) return false;
      pending.push([left[key], right[key]]);
    }
  }
  return true;
}

/**
 * The rewrite rule: `before` is what was read from `raw` (normalized, defaults filled), `after`
 * what the caller wants. Only what differs between the two is written into `raw`, recursively in
 * objects and in arrays of one length; every other key of `raw` keeps its value and its place.
 * A key the caller removed (undefined in `after`) is removed.
 */
export function applyChanges(raw: unknown, before: unknown, after: unknown): unknown {
  if (sameJson(before, after)) return raw;
  if (isRecord(raw) && isRecord(before) && isRecord(after)) {
    const out = compact<JsonRecord>(raw);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const was = ownField(before, key);
      const now = ownField(after, key);
      if (sameJson(was, now)) continue;
      if (now === undefined) delete out[key];
      else setField(out, key, applyChanges(ownField(raw, key), was, now));
    }
    return out;
  }
  if (
    Array.isArray(raw) &&
    Array.isArray(before) &&
    Array.isArray(after) &&
    raw.length === before.length &&
    before.length === after.length
  ) {
    return raw.map((item, index) => applyChanges(item, before[index], after[index]));
  }
  return after;
}
