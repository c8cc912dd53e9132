/**
 * JSON that survives a rewrite byte for byte where nothing changed (docs/ARCHITECTURE.md,
 * "Rewrites and hostile data"). `parseKeeping` reads JSON as JSON.parse does (same values, same
 * key order, `__proto__` kept as data) and remembers where each value came from in the bytes;
 * `stringifyKeeping` writes a value and, for every part of it that is still what was read,
 * copies the original bytes: an integer beyond 2^53 keeps its digits, a string holding invalid
 * UTF-8 keeps its bytes, a field nobody edited keeps its spelling. Neither recurses (a file nested
 * 10,000 deep is read and rewritten like any other). No library does all three: jsonc-parser's
 * tree is built recursively and works on decoded text; lossless-json keeps numbers only.
 */
import { setField } from './record';

/** Where a value was in the bytes, and the value JSON.parse gives for it. */
interface Span {
  value: unknown;
  start: number;
  end: number;
}

/** A container as read: where it was, and its children's spans (an object's by key, the last of a repeated key winning). */
type Node = { start: number; end: number } & (
  { kind: 'object'; keys: Map<string, Span> } | { kind: 'array'; items: Span[] }
);

/** What parseKeeping read: the bytes and the spans of every container, found by the container itself. */
export interface JsonSource {
  readonly bytes: Buffer;
  readonly root: Span;
  readonly nodes: WeakMap<object, Node>;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class Reader {
  constructor(
    readonly bytes: Buffer,
    public at: number,
  ) {}

  skip(): number {
    while (WHITESPACE.has(this.bytes[this.at]!)) this.at++;
    return this.bytes[this.at] ?? -1;
  }

  fail(what: string): never {
    const found = this.at < this.bytes.length ? `"${String.fromCharCode(this.bytes[this.at]!)}"` : 'the end';
    throw new SyntaxError(`Expected ${what} but found ${found} at position ${this.at}`);
  }

  expect(byte: number, what: string): void {
    if (this.skip() !== byte) this.fail(what);
    this.at++;
  }

  string(): string {
    const start = this.at;
    let escaped = false;
    let end = start + 1;
    for (; end < this.bytes.length; end++) {
      const byte = this.bytes[end]!;
      if (byte === QUOTE) break;
      if (byte < 0x20) {
        this.at = end;
        this.fail('a character allowed in a string');
      }
      if (byte === BACKSLASH) {
        escaped = true;
        end++;
      }
    }
    if (end >= this.bytes.length) {
      this.at = this.bytes.length;
      this.fail('the end of a string');
    }
    this.at = end + 1;
    // Decoded as JSON.parse decodes the whole text: invalid UTF-8 becomes U+FFFD in the value (the bytes stay in the file).
    if (!escaped) return this.bytes.toString('utf8', start + 1, end);
    return JSON.parse(this.bytes.toString('utf8', start, end + 1)) as string;
  }

  scalar(): unknown {
    const byte = this.skip();
    if (byte === QUOTE) return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.bytes.toString('latin1', this.at, this.at + word.length) === word) {
        this.at += word.length;
        return value;
      }
    }
    return this.number();
  }

  /** A number by JSON's grammar, however long; its value is what JSON.parse gives for it. */
  number(): number {
    const start = this.at;
    const digits = () => {
      const from = this.at;
      while (this.bytes[this.at]! >= 0x30 && this.bytes[this.at]! <= 0x39) this.at++;
      return this.at > from;
    };
    if (this.bytes[this.at] === 0x2d) this.at++;
    if (this.bytes[this.at] === 0x30) this.at++;
    else if (!digits()) this.fail('a value');
    if (this.bytes[this.at] === 0x2e) {
      this.at++;
      if (!digits()) this.fail('a digit');
    }
    if (this.bytes[this.at] === 0x65 || this.bytes[this.at] === 0x45) {
      this.at++;
      if (this.bytes[this.at] === 0x2b || this.bytes[this.at] === 0x2d) this.at++;
      if (!digits()) this.fail('a digit');
    }
    return Number(this.bytes.toString('latin1', start, this.at));
  }
}

type Frame = { value: Record<string, unknown> | unknown[]; node: Node; key?: string };

/** JSON from `bytes` (a byte order mark skipped) and where each part of it came from; throws SyntaxError like JSON.parse. */
export function parseKeeping(bytes: Buffer): { value: unknown; source: JsonSource } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const reader = new Reader(bytes, bom);
  const nodes = new WeakMap<object, Node>();
  const stack: Frame[] = [];
  const readKey = (frame: Frame) => {
    if (reader.skip() !== QUOTE) reader.fail('a key');
    frame.key = reader.string();
    reader.expect(0x3a, '":"');
  };
  for (;;) {
    let done: Span;
    const first = reader.skip();
    const start = reader.at;
    if (first === 0x7b || first === 0x5b) {
      reader.at++;
      const object = first === 0x7b;
      const frame: Frame = object
        ? { value: {}, node: { kind: 'object', keys: new Map(), start, end: -1 } }
        : { value: [], node: { kind: 'array', items: [], start, end: -1 } };
      nodes.set(frame.value, frame.node);
      if (reader.skip() !== (object ? 0x7d : 0x5d)) {
        stack.push(frame);
        if (object) readKey(frame);
        continue;
      }
      reader.at++;
      frame.node.end = reader.at;
      done = { value: frame.value, start, end: reader.at };
    } else {
      const value = reader.scalar();
      done = { value, start, end: reader.at };
    }
    // Attach the finished value to its parent, closing every container that ends here.
    for (;;) {
      const parent = stack.at(-1);
      if (!parent) {
        if (reader.skip() !== -1) reader.fail('the end of the JSON text');
        return { value: done.value, source: { bytes, root: done, nodes } };
      }
      if (parent.node.kind === 'object') {
        setField(parent.value as Record<string, unknown>, parent.key!, done.value);
        parent.node.keys.set(parent.key!, done);
      } else {
        (parent.value as unknown[]).push(done.value);
        parent.node.items.push(done);
      }
      const next = reader.skip();
      if (next === 0x2c) {
        reader.at++;
        if (parent.node.kind === 'object') readKey(parent);
        break;
      }
      reader.expect(
        parent.node.kind === 'object' ? 0x7d : 0x5d,
        parent.node.kind === 'object' ? '"," or "}"' : '"," or "]"',
      );
      stack.pop();
      parent.node.end = reader.at;
      done = { value: parent.value, start: parent.node.start, end: reader.at };
    }
  }
}

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === 'object' && value !== null;

/** Whether `value` is still exactly the container read at `node`: same keys or items, each the same value. */
function unchanged(value: Record<string, unknown> | unknown[], node: Node): boolean {
  if (node.kind === 'array') {
    return (
      Array.isArray(value) &&
      value.length === node.items.length &&
      value.every((item, i) => item === node.items[i]!.value)
    );
  }
  if (Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === node.keys.size && keys.every((key) => node.keys.get(key)?.value === value[key]);
}

type Task = { text: string } | { value: unknown; origin: Span | undefined; depth: number };

/** Values JSON.stringify leaves out of an object. */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** A fresh scalar as JSON.stringify writes it (undefined when it writes nothing). */
function scalarText(value: unknown): string | undefined {
  return JSON.stringify(value) as string | undefined;
}

/**
 * `value` as JSON (indented by `indent` spaces per level like JSON.stringify, or on one line with
 * 0), copying from `source` the bytes of every part that is still what was read there.
 */
export function stringifyKeeping(value: unknown, source: JsonSource | undefined, indent: number): Buffer {
  const out: Buffer[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push(Buffer.from(text, 'utf8'));
    text = '';
  };
  const verbatim = (span: { start: number; end: number }) => {
    flush();
    out.push(source!.bytes.subarray(span.start, span.end));
  };
  const newline = (depth: number) => (indent ? `\n${' '.repeat(indent * depth)}` : '');
  const tasks: Task[] = [{ value, origin: source?.root, depth: 0 }];
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    if ('text' in task) {
      text += task.text;
      continue;
    }
    let current = task.value;
    if (isContainer(current) && typeof (current as { toJSON?: unknown }).toJSON === 'function')
      current = (current as { toJSON(): unknown }).toJSON();
    const own = isContainer(current) ? source?.nodes.get(current) : undefined;
    const origin = own ? undefined : task.origin;
    if (own && unchanged(current as Record<string, unknown> | unknown[], own)) {
      // The container read from the file, untouched: its bytes, wherever it now sits.
      verbatim(own);
      continue;
    }
    if (!isContainer(current)) {
      if (origin && origin.value === current && !isContainer(origin.value)) verbatim(origin);
      else text += scalarText(current) ?? 'null';
      continue;
    }
    const node = own ?? (origin && isContainer(origin.value) ? source?.nodes.get(origin.value) : undefined);
    const entries: Array<[string | undefined, unknown, Span | undefined]> = Array.isArray(current)
      ? current.map((item, i) => [undefined, item, node?.kind === 'array' ? node.items[i] : undefined])
      : Object.keys(current)
          .filter((key) => !omitted((current as Record<string, unknown>)[key]))
          .map((key) => [
            key,
            (current as Record<string, unknown>)[key],
            node?.kind === 'object' ? node.keys.get(key) : undefined,
          ]);
    const [open, close] = Array.isArray(current) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      text += open + close;
      continue;
    }
    const children: Task[] = [{ text: open }];
    entries.forEach(([key, item, span], index) => {
      const prefix = `${index > 0 ? ',' : ''}${newline(task.depth + 1)}`;
      children.push({ text: key === undefined ? prefix : `${prefix}${JSON.stringify(key)}:${indent ? ' ' : ''}` });
      children.push({ value: item, origin: span, depth: task.depth + 1 });
    });
    children.push({ text: `${newline(task.depth)}${close}` });
    for (let i = children.length - 1; i >= 0; i--) tasks.push(children[i]!);
  }
  flush();
  return Buffer.concat(out);
}
