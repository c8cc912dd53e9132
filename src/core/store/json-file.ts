import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync, type Stats } from 'node:fs';
import { errorMessage } from '../logger';
import { StoreError } from './errors';

export type JsonFileResult =
  | { status: 'ok'; value: unknown }
  | { status: 'missing' }
  /** The file exists but is not JSON. It is reported, never rewritten. */
  | { status: 'invalid'; error: string };

/** A batch read also reports files it could not open (permissions, a folder in the way). */
export type BatchJsonFileResult = JsonFileResult | { status: 'unreadable'; error: string };

function parseJsonText(text: string): JsonFileResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { status: 'invalid', error: 'the file is empty' };
  try {
    return { status: 'ok', value: JSON.parse(body) as unknown };
  } catch (error) {
    return { status: 'invalid', error: `not valid JSON: ${errorMessage(error)}` };
  }
}

const isMissing = (error: unknown) => (error as { code?: string }).code === 'ENOENT';

/** Opening a FIFO without O_NONBLOCK waits for a writer forever; Windows has no such flag (or FIFOs). */
const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** A FIFO, device or socket (a folder fails on its own, with EISDIR, when it is read). */
const isSpecial = (stat: Stats) => !stat.isFile() && !stat.isDirectory();

const notRegular = (file: string) =>
  new StoreError(
    'INVALID_FILE',
    `${file} is not a regular file (a FIFO, a device or a socket); it was not read and was left as it is.`,
    file,
  );

/**
 * A file's bytes, refusing what is not a regular file: a workspace can hold a FIFO or a device
 * where a thread file should be, and reading one would block or never end.
 */
export async function readRegularFile(file: string): Promise<Buffer> {
  const handle = await fs.open(file, READ_NONBLOCK);
  try {
    if (isSpecial(await handle.stat())) throw notRegular(file);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function readJsonFile(file: string): Promise<JsonFileResult> {
  try {
    return parseJsonText((await readRegularFile(file)).toString('utf8'));
  } catch (error) {
    if (isMissing(error)) return { status: 'missing' };
    if (error instanceof StoreError) return { status: 'invalid', error: error.message };
    throw error;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Opening without following a link: a link costs no syscall when there is none (Windows has no O_NOFOLLOW). */
const READ_NO_FOLLOW = READ_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

/** A file's text; when the file itself is a symbolic link, only after `refuse` found nothing wrong with it. */
function readChecked(file: string, refuse?: (file: string) => string | undefined): BatchJsonFileResult {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, refuse ? READ_NO_FOLLOW : READ_NONBLOCK);
    if (isSpecial(fstatSync(descriptor))) return { status: 'invalid', error: notRegular(file).message };
    return parseJsonText(readFileSync(descriptor, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOOP' || !refuse) throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  const refusal = refuse(file);
  return refusal ? { status: 'unreadable', error: refusal } : readChecked(file);
}

/**
 * Reads many small JSON files (every thread.json of a workspace) with synchronous reads in
 * slices of `sliceMs`, yielding to the event loop between slices. Measured here 2-5x faster
 * than one async read per file (each async call is several thread-pool round trips), while the
 * event loop is never held for more than about one slice. A file that is a symbolic link is read
 * only when `refuse` names no reason not to (a link out of the data folder); else it is reported
 * as unreadable. The folders on the way are the caller's to check.
 */
export async function readJsonFiles(
  files: readonly string[],
  refuse?: (file: string) => string | undefined,
  sliceMs = 8,
): Promise<BatchJsonFileResult[]> {
  const results: BatchJsonFileResult[] = [];
  while (results.length < files.length) {
    const sliceStart = performance.now();
    do {
      const file = files[results.length]!;
      try {
        results.push(readChecked(file, refuse));
      } catch (error) {
        results.push(isMissing(error) ? { status: 'missing' } : { status: 'unreadable', error: errorMessage(error) });
      }
    } while (results.length < files.length && performance.now() - sliceStart < sliceMs);
    await nextTurn();
  }
  return results;
}
