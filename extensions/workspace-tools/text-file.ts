/**
 * Reading an opened workspace file as text: binary files refused (a NUL in the first 8 KB), a
 * whole read bounded, a line range read by streaming so a 50 MB log costs what the range costs.
 */
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { openFileInside, WorkspaceFileError, type OpenedFile, type Workspace } from './workspace-path';

const SNIFF_BYTES = 8192;
const CHUNK_BYTES = 64 * 1024;
/** Lines are counted to the end only in files up to this size; bigger ones say "more" instead. */
const COUNT_ALL_LINES_BYTES = 8 * 1024 * 1024;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export const hasBom = (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(0, 3)).equals(BOM);

export const versionOf = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function refuseBinary(file: OpenedFile, head: Uint8Array): void {
  if (head.subarray(0, SNIFF_BYTES).includes(0))
    throw new WorkspaceFileError(
      'binary',
      `${file.relative} is a binary file (${formatBytes(file.stats.size)}); only text files can be read.`,
      file.relative,
    );
}

/** The whole file's bytes, refused above `maxBytes` or when binary. */
export async function readAllBytes(file: OpenedFile, maxBytes: number): Promise<Buffer> {
  if (file.stats.size > maxBytes)
    throw new WorkspaceFileError(
      'too-large',
      `${file.relative} is ${formatBytes(file.stats.size)}, more than the ${formatBytes(maxBytes)} a tool reads whole; read a range of lines instead.`,
      file.relative,
    );
  // Read one byte past the limit: the size can grow between the stat and the read.
  const buffer = Buffer.alloc(Math.min(file.stats.size, maxBytes) + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await file.handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > maxBytes)
    throw new WorkspaceFileError('too-large', `${file.relative} grew past ${formatBytes(maxBytes)}.`, file.relative);
  const bytes = buffer.subarray(0, length);
  refuseBinary(file, bytes);
  return bytes;
}

export const decodeText = (bytes: Uint8Array): string =>
  Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');

export interface LineRange {
  /** Workspace-relative path of the file read. */
  path: string;
  /** 1-based number of `lines[0]`. */
  first: number;
  lines: string[];
  /** Lines in the file, when they were counted (files up to 8 MB). */
  total?: number;
  /** Lines follow the last one returned. */
  more: boolean;
  /** The byte budget ran out before `last`. */
  cut: boolean;
}

/**
 * Lines `first`..`last` (1-based, inclusive), at most `maxBytes` of them; `\r\n` endings are
 * returned without the `\r`. Streams the file, so only what is read before `last` costs memory.
 */
export async function readLineRange(
  file: OpenedFile,
  first: number,
  last: number,
  maxBytes: number,
): Promise<LineRange> {
  const decoder = new StringDecoder('utf8');
  const chunk = Buffer.alloc(CHUNK_BYTES);
  const lines: string[] = [];
  const countAll = file.stats.size <= COUNT_ALL_LINES_BYTES;
  let position = 0;
  let lineNumber = 1;
  let partial = '';
  let budget = maxBytes;
  let cut = false;
  let done = false;
  const take = (line: string): void => {
    if (lineNumber >= first && lineNumber <= last && !cut) {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      const size = Buffer.byteLength(text) + 1;
      if (size > budget) {
        // One line longer than the whole budget (minified code) is returned cut rather than not at all.
        if (lines.length === 0) lines.push(text.slice(0, budget));
        cut = true;
      } else {
        lines.push(text);
        budget -= size;
      }
    }
    lineNumber += 1;
  };
  for (;;) {
    const { bytesRead } = await file.handle.read(chunk, 0, CHUNK_BYTES, position);
    if (position === 0) refuseBinary(file, chunk.subarray(0, bytesRead));
    if (bytesRead === 0) break;
    position += bytesRead;
    let text = partial + decoder.write(chunk.subarray(0, bytesRead));
    if (position === bytesRead) text = text.replace(/^\uFEFF/, '');
    const pieces = text.split('\n');
    partial = pieces.pop() ?? '';
    // A line with no end yet that is already over budget is cut here, not held whole in memory.
    if (partial.length > maxBytes) partial = partial.slice(0, maxBytes);
    for (const piece of pieces) take(piece);
    if ((lineNumber > last || cut) && !countAll) {
      done = true;
      break;
    }
  }
  if (!done) {
    partial += decoder.end();
    if (partial !== '') take(partial);
  }
  const lastReturned = first + lines.length - 1;
  return {
    path: file.relative,
    first,
    lines,
    ...(done ? {} : { total: lineNumber - 1 }),
    more: done || lastReturned < lineNumber - 1,
    cut,
  };
}

/** A workspace file's text, or undefined when it cannot be used (gone, binary, too big, a link out). */
export async function textInside(
  workspace: Workspace,
  relative: string,
  maxBytes: number,
): Promise<string | undefined> {
  try {
    const file = await openFileInside(workspace, relative);
    try {
      return decodeText(await readAllBytes(file, maxBytes));
    } finally {
      await file.handle.close();
    }
  } catch {
    return undefined;
  }
}
