import * as v from 'valibot';

/**
 * Where a setting may come from. `any`: the user's or the workspace's; `restricted`: a workspace
 * the user has not trusted cannot set it (package.json `restrictedConfigurations`); `user-only`:
 * only the user's own value counts, trusted workspace or not (it starts a server).
 */
export type SettingTrust = 'any' | 'restricted' | 'user-only';

/** The `type` a setting has in package.json `contributes.configuration`. */
export type SettingKind = 'number' | 'string' | 'boolean' | 'array';

/**
 * One setting: its type, default and bounds, and how a value out of bounds is replaced. A value
 * the schema refuses never reaches the code that reads the setting: `read` replaces it and says
 * with what (a workspace's `.vscode/settings.json` is input like any other).
 */
export interface SettingSpec<T> {
  kind: SettingKind;
  default: T;
  trust: SettingTrust;
  /** The values package.json lists (`enum`), first the default. */
  choices?: readonly string[];
  /** Numbers: the bounds package.json declares (`minimum` / `maximum`); `maxOf` when the bound is this machine's. */
  min?: number;
  max?: number;
  maxOf?: { limit: () => number; reason: string };
  /** Replaces a raw value: the value to use and, when it was not the raw value, why. */
  read(raw: unknown, key: string): { value: T; warning?: string };
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return typeof value === 'object' && value !== null ? (Array.isArray(value) ? 'a list' : 'an object') : String(value);
}

function replaced<T>(key: string, raw: unknown, value: T, why: string): { value: T; warning: string } {
  return { value, warning: `${key} is ${shown(raw)}; using ${shown(value)} (${why}).` };
}

interface WholeNumberOptions {
  default: number;
  min: number;
  max?: number;
  /** A maximum that depends on this machine (logical cores), with what to call it in a warning. */
  maxOf?: { limit: () => number; reason: string };
  /** What a warning calls the maximum (`the largest context Jan allocates`). */
  maxReason?: string;
  /** 0 has its own meaning (`min` is 0) and any other value is at least this, with what to call it in a warning. */
  zeroOrAtLeast?: { min: number; reason: string };
  trust?: SettingTrust;
}

/** A whole number in bounds: a number out of bounds is clamped, anything else is the default (with a warning). */
export function wholeNumber(options: WholeNumberOptions): SettingSpec<number> {
  return {
    kind: 'number',
    default: options.default,
    trust: options.trust ?? 'any',
    min: options.min,
    max: options.max,
    maxOf: options.maxOf,
    read(raw, key) {
      if (typeof raw !== 'number' || Number.isNaN(raw)) return replaced(key, raw, options.default, 'the default');
      if (raw < options.min) return replaced(key, raw, options.min, 'the smallest allowed');
      const floor = options.zeroOrAtLeast;
      if (floor && raw > 0 && raw < floor.min) return replaced(key, raw, floor.min, floor.reason);
      const max = options.maxOf?.limit() ?? options.max ?? Infinity;
      const reason = options.maxOf?.reason ?? options.maxReason ?? 'the largest allowed';
      if (raw > max) return replaced(key, raw, max, reason);
      return { value: Math.floor(raw) };
    },
  };
}

/** One of a few strings; anything else is the first (the default), with a warning listing them. */
export function choice<const C extends readonly [string, ...string[]]>(
  choices: C,
  trust: SettingTrust = 'any',
): SettingSpec<C[number]> {
  const schema = v.picklist(choices);
  return {
    kind: 'string',
    default: choices[0],
    trust,
    choices,
    read(raw, key) {
      if (v.is(schema, raw)) return { value: raw };
      return replaced(key, raw, choices[0], `one of ${choices.join(', ')}`);
    },
  };
}

function typed<T>(kind: SettingKind, schema: v.GenericSchema<T>, expected: string) {
  return (fallback: T, trust: SettingTrust = 'any'): SettingSpec<T> => ({
    kind,
    default: fallback,
    trust,
    read(raw, key) {
      if (v.is(schema, raw)) return { value: raw };
      return replaced(key, raw, fallback, `it must be ${expected}`);
    },
  });
}

export const flag = typed('boolean', v.boolean(), 'true or false');
export const text = typed('string', v.string(), 'a string');
export const stringList = typed('array', v.array(v.string()), 'a list of strings');
/** A list whose entries the reader checks one by one (remote engine definitions). */
export const entryList = typed('array', v.array(v.unknown()), 'a list');
