import { describe, expect, it } from 'vitest';
import { parseKeeping, stringifyKeeping } from '../../../src/core/store/raw-json';
import { compact, setField } from '@jan/core';
import { seededRandom } from '../../support/seeded-random';

/**
 * Property tests over generated JSON texts: numbers in every spelling (integers beyond 2^53,
 * exponents, trailing zeros, -0), strings with escapes and with raw invalid UTF-8, `__proto__` and
 * repeated keys, any whitespace. The parser must agree with JSON.parse; a value written back
 * unchanged must be the same bytes; after one edit, every leaf the edit did not touch must keep
 * its exact bytes.
 */
type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const NUMBERS = [
  '0',
  '-0',
  '1',
  '42',
  '12345678901234567891',
  '-98765432109876543210987',
  '9007199254740993',
  '1.0',
  '0.10',
  '1e2',
  '1E+2',
  '-2.5e-3',
  '3.141592653589793238462643383279',
];
const STRINGS: Array<Buffer> = [
  Buffer.from('"plain"'),
  Buffer.from('""'),
  Buffer.from('"esc \\" \\\\ \\/ \\n \\u0041 \\ud83d\\ude00"'),
  Buffer.from('"héllo ✓ 😀"'),
  Buffer.concat([Buffer.from('"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes"')]),
  Buffer.concat([Buffer.from('"cut '), Buffer.from([0xe2, 0x82])]).subarray(0),
];
const KEYS = ['a', 'b', 'id', 'title', '__proto__', 'constructor', 'x y', 'é', '1', '10'];

function whitespace(random: Random): string {
  return pick(random, ['', '', ' ', '\n  ', '\t', ' \r\n ']);
}

/** A JSON text as bytes (iterative: a stack of pieces still to write). */
function generate(random: Random, maxDepth: number): Buffer {
  const parts: Buffer[] = [];
  const emit = (text: string | Buffer) => parts.push(typeof text === 'string' ? Buffer.from(text) : text);
  const value = (depth: number): void => {
    const roll = random();
    if (depth < maxDepth && roll < 0.25) {
      const count = Math.floor(random() * 4);
      emit(`{${whitespace(random)}`);
      for (let i = 0; i < count; i++) {
        if (i > 0) emit(`,${whitespace(random)}`);
        emit(`${JSON.stringify(pick(random, KEYS))}${whitespace(random)}:${whitespace(random)}`);
        value(depth + 1);
      }
      emit(`${whitespace(random)}}`);
    } else if (depth < maxDepth && roll < 0.45) {
      const count = Math.floor(random() * 4);
      emit(`[${whitespace(random)}`);
      for (let i = 0; i < count; i++) {
        if (i > 0) emit(`,${whitespace(random)}`);
        value(depth + 1);
      }
      emit(`${whitespace(random)}]`);
    } else if (roll < 0.7) emit(pick(random, NUMBERS));
    else if (roll < 0.9) {
      const string = pick(random, STRINGS);
      // The cut string needs its closing quote.
      emit(
        string[string.length - 1] === 0x22 && string.length > 1 ? string : Buffer.concat([string, Buffer.from('"')]),
      );
    } else emit(pick(random, ['true', 'false', 'null']));
  };
  emit(whitespace(random));
  value(0);
  emit(whitespace(random));
  return Buffer.concat(parts);
}

/** Every scalar leaf by its path, with its exact bytes in the text. */
function leaves(bytes: Buffer): Map<string, string> {
  const { value, source } = parseKeeping(bytes);
  const out = new Map<string, string>();
  const pending: Array<{ path: string; value: unknown; start: number; end: number }> = [
    { path: '$', value, start: source.root.start, end: source.root.end },
  ];
  while (pending.length > 0) {
    const item = pending.pop()!;
    const node = typeof item.value === 'object' && item.value !== null ? source.nodes.get(item.value) : undefined;
    if (!node) out.set(item.path, bytes.subarray(item.start, item.end).toString('latin1'));
    else if (node.kind === 'array')
      node.items.forEach((span, i) => pending.push({ path: `${item.path}[${i}]`, ...span }));
    else for (const [key, span] of node.keys) pending.push({ path: `${item.path}.${JSON.stringify(key)}`, ...span });
  }
  return out;
}

/** The containers of `value` with their paths. */
function containers(value: unknown): Array<{ path: string[]; value: object }> {
  const out: Array<{ path: string[]; value: object }> = [];
  const pending = [{ path: [] as string[], value }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    out.push({ path: item.path, value: item.value });
    for (const key of Object.keys(item.value))
      pending.push({ path: [...item.path, key], value: (item.value as Record<string, unknown>)[key] });
  }
  return out;
}

/** A copy of `root` with `change` applied at `path`, sharing every untouched container (as the store's rewrite does). */
function edit(root: unknown, path: string[], change: (target: object) => object): unknown {
  if (path.length === 0) return change(root as object);
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((item, i) => (String(i) === head ? edit(item, rest, change) : item));
  return copyWith(root as Record<string, unknown>, head!, edit((root as Record<string, unknown>)[head!], rest, change));
}

function copyWith(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = compact<Record<string, unknown>>(record);
  setField(out, key, value);
  return out;
}

const pathText = (path: string[], arrays: boolean[]) =>
  path.reduce((text, key, i) => (arrays[i] ? `${text}[${key}]` : `${text}.${JSON.stringify(key)}`), '$');

describe('JSON kept byte for byte (generated texts)', () => {
  it('reads every text as JSON.parse does, and writes an unchanged value back as the same bytes', () => {
    const random = seededRandom('raw-json same');
    for (let run = 0; run < 400; run++) {
      const bytes = generate(random, 5);
      const { value, source } = parseKeeping(bytes);
      expect(JSON.stringify(value), bytes.toString('latin1')).toBe(JSON.stringify(JSON.parse(bytes.toString('utf8'))));
      expect(stringifyKeeping(value, source, 2).equals(bytes.subarray(source.root.start, source.root.end))).toBe(true);
    }
  });

  it('after one edit, every leaf it did not touch keeps its bytes, and the result is what was meant', () => {
    const random = seededRandom('raw-json edit');
    let edited = 0;
    for (let run = 0; run < 400; run++) {
      const bytes = generate(random, 5);
      const { value, source } = parseKeeping(bytes);
      const targets = containers(value);
      if (targets.length === 0) continue;
      const target = pick(random, targets);
      const arrays: boolean[] = [];
      let walk: unknown = value;
      for (const key of target.path) {
        arrays.push(Array.isArray(walk));
        walk = (walk as Record<string, unknown>)[key];
      }
      const newValue = pick(random, [7, 'new', null, { fresh: [1, 2] }, 12345678901234567000]);
      let touched: string;
      const next = edit(value, target.path, (container) => {
        if (Array.isArray(container)) {
          touched = `${pathText(target.path, arrays)}[${container.length}]`;
          return [...container, newValue];
        }
        const key = pick(random, [...Object.keys(container), 'added']);
        touched = `${pathText(target.path, arrays)}.${JSON.stringify(key)}`;
        return copyWith(container as Record<string, unknown>, key, newValue);
      });
      const written = stringifyKeeping(next, source, pick(random, [0, 2]));
      expect(JSON.stringify(JSON.parse(written.toString('utf8')))).toBe(
        JSON.stringify(JSON.parse(JSON.stringify(next))),
      );
      const before = leaves(bytes);
      const after = leaves(written);
      for (const [path, text] of before) {
        if (path.startsWith(touched!)) continue;
        expect(after.get(path), `${path} in ${bytes.toString('latin1')}`).toBe(text);
      }
      edited++;
    }
    expect(edited).toBeGreaterThan(100);
  });

  it('reads and rewrites a text nested 10,000 deep without recursion, keeping the deep part verbatim', () => {
    const depth = 10_000;
    const deep = `${'{"a":'.repeat(depth)}12345678901234567891${'}'.repeat(depth)}`;
    const bytes = Buffer.from(`{"title":"old","deep":${deep},"list":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const { value, source } = parseKeeping(bytes);
    const next = copyWith(value as Record<string, unknown>, 'title', 'new');
    const written = stringifyKeeping(next, source, 2).toString('utf8');
    expect(written).toContain(`"title": "new"`);
    expect(written).toContain(`"deep": ${deep}`);
    expect(written).toContain(`"list": ${'['.repeat(depth)}${']'.repeat(depth)}`);
  });

  it('refuses what JSON.parse refuses', () => {
    for (const text of ['', '{', '{"a"}', '{"a":1,}', '[1,]', '01', '1.', '-', '"\n"', 'nul', '{} x', "{'a':1}"])
      expect(() => parseKeeping(Buffer.from(text)), text).toThrow(SyntaxError);
  });
});
