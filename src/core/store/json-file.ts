import { closeSync, constants, fstatSync, promises as fs, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { errorMessage } from '../logger';
import { StoreError } from './errors';
import { O_NONBLOCK } from './opened-folder';
import { parseKeeping, type JsonSource } from './raw-json';

/** Opening a FIFO without O_NONBLOCK waits for a writer forever; Windows has no such flag (or FIFOs). */
export const READ_FLAGS = constants.O_RDONLY | O_NONBLOCK;

/** The most Jan reads of one JSON document (thread.json, assistant.json, model.json). */
export const JSON_FILE_CAP = 16 * 1024 * 1024;
/** The most Jan reads of one JSONL file (a thread's messages). */
export const JSON_LINES_CAP = 256 * 1024 * 1024;

export type JsonFileResult =
  /** `source` (single reads) lets a rewrite keep every byte it did not change (src/core/store/raw-json.ts). */
  | { status: 'ok'; value: unknown; bytes: Buffer; source?: JsonSource }
  | { status: 'missing' }
  /** The file exists but is not JSON. It is reported, never rewritten. */
  | { status: 'invalid'; error: string };

/** A batch read also reports files it could not open (permissions, a folder in the way, a link out). */
export type BatchJsonFileResult = JsonFileResult | { status: 'unreadable'; error: string };

export function parseJsonBytes(bytes: Buffer): JsonFileResult {
  const text = bytes.toString('utf8');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { status: 'invalid', error: 'the file is empty' };
  try {
    return { status: 'ok', value: JSON.parse(body) as unknown, bytes };
  } catch (error) {
    return { status: 'invalid', error: `not valid JSON: ${errorMessage(error)}` };
  }
}

/** parseJsonBytes, remembering where each value came from so a rewrite keeps the bytes of what it did not change. */
export function parseJsonKeepingBytes(bytes: Buffer): JsonFileResult {
  try {
    const { value, source } = parseKeeping(bytes);
    return { status: 'ok', value, bytes, source };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // JSON.parse's own words for what is wrong (and the empty-file case).
    return parseJsonBytes(bytes);
  }
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

function notRegular(file: string): StoreError {
  return new StoreError(
    'INVALID_FILE',
    `${file} is not a regular file (a folder, a FIFO, a device or a socket); it was not read and was left as it is.`,
    file,
  );
}

function tooLarge(file: string, cap: number): StoreError {
  return new StoreError(
    'INVALID_FILE',
    `${file} is larger than the ${mb(cap)} Jan reads of such a file; it was not read and was left as it is.`,
    file,
  );
}

/**
 * The bytes of an opened file: only a regular file (a FIFO, a device or a socket where a thread
 * file should be would block a read or never end), and at most `cap` bytes, counted as they are
 * read (a file growing meanwhile cannot slip past its size as first seen).
 */
export async function readOpened(handle: FileHandle, file: string, cap: number): Promise<Buffer> {
  const stat = await handle.stat();
  if (!stat.isFile()) throw notRegular(file);
  if (stat.size > cap) throw tooLarge(file, cap);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 64 * 1024), cap + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > cap) throw tooLarge(file, cap);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** readOpened of a plain path (the models folder, an export's source): opened without blocking on a FIFO. */
export async function readRegularFile(file: string, cap: number): Promise<Buffer> {
  const handle = await fs.open(file, READ_FLAGS);
  try {
    return await readOpened(handle, file, cap);
  } finally {
    await handle.close();
  }
}

/** readOpened for a descriptor opened synchronously (the batch reader). */
export function readOpenedSync(fd: number, file: string, cap: number): Buffer {
  const stat = fstatSync(fd);
  if (!stat.isFile()) throw notRegular(file);
  if (stat.size > cap) throw tooLarge(file, cap);
  const buffer = Buffer.allocUnsafe(Math.min(stat.size, cap) + 1);
  let total = 0;
  for (;;) {
    const bytesRead = readSync(fd, buffer, total, buffer.length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total === buffer.length) throw tooLarge(file, Math.min(stat.size, cap));
  }
  return buffer.subarray(0, total);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads many small JSON files (every thread.json of a workspace) with synchronous reads in
 * slices of `sliceMs`, yielding to the event loop between slices. Measured here 2-5x faster
 * than one async read per file (each async call is several thread-pool round trips), while the
 * event loop is never held for more than about one slice. `open` opens and checks one file
 * (src/core/store/confined-folder.ts): a descriptor, or why it was refused.
 */
export async function readJsonFiles(
  files: readonly string[],
  open: (file: string) => number | StoreError,
  sliceMs = 8,
): Promise<BatchJsonFileResult[]> {
  const results: BatchJsonFileResult[] = [];
  while (results.length < files.length) {
    const sliceStart = performance.now();
    do {
      results.push(readOne(files[results.length]!, open));
    } while (results.length < files.length && performance.now() - sliceStart < sliceMs);
    await nextTurn();
  }
  return results;
}

function readOne(file: string, open: (file: string) => number | StoreError): BatchJsonFileResult {
  let fd: number | StoreError;
  try {
    fd = open(file);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { status: 'missing' };
    return { status: 'unreadable', error: errorMessage(error) };
  }
  if (fd instanceof StoreError) return { status: 'unreadable', error: fd.message };
  try {
    return parseJsonBytes(readOpenedSync(fd, file, JSON_FILE_CAP));
  } catch (error) {
    if (error instanceof StoreError) return { status: 'invalid', error: error.message };
    return { status: 'unreadable', error: errorMessage(error) };
  } finally {
    closeSync(fd);
  }
}
