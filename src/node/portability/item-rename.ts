/**
 * An imported item whose id clashes here is renamed: its id in thread.json / assistant.json, and
 * each message's `thread_id`. Only those values change; every other byte of the files is kept
 * (integers beyond 2^53, invalid UTF-8, unknown fields, lines that do not parse), by the store's
 * byte-keeping JSON (src/core/store/raw-json.ts).
 */
import { compact, isRecord, ownField, parseKeeping, stringifyKeeping } from '@jan/core';

const NEWLINE = 0x0a;

/** `bytes` (a JSON document) with its top-level `key` set to `value`, or undefined when it is not an object. */
function withField(bytes: Buffer, key: string, value: string, indent: number): Buffer | undefined {
  const { value: parsed, source } = parseKeeping(bytes);
  if (!isRecord(parsed)) return undefined;
  return stringifyKeeping(compact(parsed, { [key]: value }), source, indent);
}

/** The main file of an item with its id replaced (pretty, as Jan writes it). */
export function renamedMain(bytes: Buffer, id: string): Buffer {
  return Buffer.concat([withField(bytes, 'id', id, 2)!, Buffer.from('\n')]);
}

/** messages.jsonl with each message's `thread_id` replaced; a line that does not parse (or has none) kept as it is. */
export function renamedLines(bytes: Buffer, threadId: string): Buffer {
  const out: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    out.push(renamedLine(bytes.subarray(start, end), threadId));
    if (newline !== -1) out.push(Buffer.from('\n'));
    start = end + 1;
  }
  return Buffer.concat(out);
}

function renamedLine(line: Buffer, threadId: string): Buffer {
  const carriage = line[line.length - 1] === 0x0d;
  try {
    const { value } = parseKeeping(line);
    if (!isRecord(value) || ownField(value, 'thread_id') === undefined) return line;
    const renamed = withField(line, 'thread_id', threadId, 0)!;
    return carriage ? Buffer.concat([renamed, Buffer.from('\r')]) : renamed;
  } catch {
    return line;
  }
}
