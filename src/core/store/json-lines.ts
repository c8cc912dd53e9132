import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { StoreError } from './errors';
import { O_NOFOLLOW, O_NONBLOCK } from './opened-folder';

const NEWLINE = 0x0a;

/** One non-blank line of a JSONL file, kept as raw bytes so it can be written back verbatim. */
export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  raw: Buffer;
  /** The parsed value, when the line is valid JSON. */
  value?: unknown;
  /** Why the line could not be parsed. */
  error?: string;
}

export interface JsonLinesFile {
  exists: boolean;
  lines: JsonLine[];
}

function stripLineEnd(text: string, first: boolean): string {
  const withoutCr = text.endsWith('\r') ? text.slice(0, -1) : text;
  return first && withoutCr.charCodeAt(0) === 0xfeff ? withoutCr.slice(1) : withoutCr;
}

/**
 * Splits JSONL bytes into lines and parses each on its own, so one bad line (garbage, or the
 * torn tail of an interrupted write) costs that line only. Blank lines are dropped.
 */
export function parseJsonLines(bytes: Buffer): JsonLine[] {
  const lines: JsonLine[] = [];
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    number++;
    const raw = bytes.subarray(start, end);
    const text = stripLineEnd(raw.toString('utf8'), start === 0);
    if (text.trim() !== '') {
      try {
        lines.push({ line: number, raw, value: JSON.parse(text) as unknown });
      } catch (error) {
        const torn = newline === -1;
        const reason = error instanceof Error ? error.message : String(error);
        lines.push({
          line: number,
          raw,
          error: torn ? `incomplete last line (interrupted write): ${reason}` : `not valid JSON: ${reason}`,
        });
      }
    }
    start = end + 1;
  }
  return lines;
}

/** Joins lines (raw bytes kept as they were, or new text) into a JSONL file body. */
export function joinJsonLines(lines: ReadonlyArray<Buffer | string>): Buffer {
  const parts: Buffer[] = [];
  for (const line of lines) {
    parts.push(typeof line === 'string' ? Buffer.from(line, 'utf8') : line, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** How an append opens the file (through the checked folder, src/core/store/confined-folder.ts, which adds O_NOFOLLOW). */
export const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NONBLOCK;

/**
 * Appends one line to an opened file with a single write call on an O_APPEND descriptor: O(1)
 * whatever the file size. If the file ends in a torn line (a crash mid-write, ours or another
 * app's), the new line starts on a fresh line so the torn bytes cannot swallow it.
 */
export async function appendLine(handle: FileHandle, file: string, line: string): Promise<void> {
  if (line.includes('\n')) throw new Error('A JSONL line cannot contain a newline');
  const stat = await handle.stat();
  const { size, nlink } = stat;
  if (!stat.isFile())
    throw new StoreError(
      'NOT_ALLOWED',
      `${file} is not a regular file (a FIFO, a device or a socket); nothing was written to it.`,
      file,
    );
  if (nlink > 1) {
    throw new StoreError(
      'NOT_ALLOWED',
      `${file} has ${nlink} hard links: an append would change the same bytes elsewhere too, so nothing was written. Replace it with a copy.`,
      file,
    );
  }
  let prefix = '';
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== NEWLINE) prefix = '\n';
  }
  const bytes = Buffer.from(`${prefix}${line}\n`, 'utf8');
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
  if (bytesWritten !== bytes.length)
    throw new Error(`Short write to ${file}: ${bytesWritten} of ${bytes.length} bytes`);
  await handle.datasync();
}

/** appendLine on a plain path (no folder to confine it to): the file itself is never a link. */
export async function appendJsonLine(file: string, line: string): Promise<void> {
  const handle = await fs.open(file, APPEND_FLAGS | O_NOFOLLOW);
  try {
    await appendLine(handle, file, line);
  } finally {
    await handle.close();
  }
}
