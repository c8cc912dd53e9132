/**
 * Unpacking a `.jan` archive someone sent, with bounded work. Entries are streamed from the
 * archive to their files (never a whole entry in memory; a small read size bounds what one read
 * can inflate to), and each entry's header is checked before one byte of it is written: only
 * files and folders under `threads/` and `assistants/` (a link, a device or a FIFO refuses the
 * whole archive), no path leaving the folder, no file larger than the store reads of such a file,
 * and all of them together at most the archive's size times RATIO (at least FLOOR) and never more
 * than the free space on the disks they land on.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { capFor, isStoreScratch } from '@jan/core';

/** How much larger than the archive its content may be (Jan's JSON compresses 5–20 times). */
export const RATIO = 100;
/** What any archive may unpack to, however small it is. */
export const FLOOR = 64 * 1024 * 1024;
/** Free space left untouched on the disk. */
const MARGIN = 64 * 1024 * 1024;
/** The tar library's limit on the inflated stream against the archive (its default, said in our words). */
const TAR_RATIO = 1000;
/** A small read: one read of gzip data inflates to at most about a thousand times its size. */
const READ_SIZE = 16 * 1024;
const MAX_DEPTH = 6;
const TOP_FOLDERS = new Set(['threads', 'assistants']);

export type FreeSpaceReader = (folder: string) => Promise<number>;

export async function statfsFreeSpace(folder: string): Promise<number> {
  let existing = path.resolve(folder);
  for (;;) {
    try {
      const stats = await fs.statfs(existing);
      return stats.bavail * stats.bsize;
    } catch (error) {
      const parent = path.dirname(existing);
      if ((error as { code?: string }).code !== 'ENOENT' || parent === existing) throw error;
      existing = parent;
    }
  }
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const gb = (bytes: number) => (bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : mb(bytes));

/** Where an entry goes inside `into`, or why the archive is refused (undefined: an entry Jan does not use, skipped). */
function placeOf(entry: ReadEntry): string[] | undefined {
  const segments = entry.path
    .replace(/^(\.\/)+/, '')
    .split('/')
    .filter(Boolean);
  if (segments.some((segment) => segment === '..' || segment === '.') || path.isAbsolute(entry.path))
    throw new Error(`it holds ${entry.path}, a path that leaves the folder it is unpacked into`);
  if (segments.length === 0 || !TOP_FOLDERS.has(segments[0]!) || segments.some(isStoreScratch)) return undefined;
  if (segments.length > MAX_DEPTH) throw new Error(`it holds ${entry.path}, nested more than ${MAX_DEPTH} deep`);
  return segments;
}

/**
 * Unpacks `file` into the empty folder `into` within the budget (see above); `janFolder` is where
 * the content will be copied next, so its disk must hold it too.
 */
export async function extractBounded(
  file: string,
  into: string,
  janFolder: string,
  freeSpace: FreeSpaceReader,
): Promise<void> {
  const { size } = await fs.stat(file);
  const free = Math.min(await freeSpace(into), await freeSpace(janFolder));
  const budget = Math.min(Math.max(FLOOR, size * RATIO), free - MARGIN);
  const byRatio = budget < free - MARGIN;
  let total = 0;
  let refusal: Error | undefined;
  const writes: Array<Promise<void>> = [];
  const outs: Array<ReturnType<typeof createWriteStream>> = [];
  const parser = new Parser({ strict: true, maxDecompressionRatio: TAR_RATIO });
  const refuse = (reason: string) => {
    refusal ??= new Error(`${file} was not imported: ${reason}.`);
    parser.abort(refusal);
  };
  /** A failed write stops the archive (its entry would otherwise wait to be read forever). */
  const track = (write: Promise<void>) => writes.push(write.catch((error: Error) => refuse(error.message)));
  parser.on('entry', (entry: ReadEntry) => {
    try {
      if (['SymbolicLink', 'Link'].includes(entry.type))
        return refuse(`it holds ${entry.path}, a ${entry.type === 'Link' ? 'hard' : 'symbolic'} link`);
      if (['CharacterDevice', 'BlockDevice', 'FIFO'].includes(entry.type))
        return refuse(`it holds ${entry.path}, a device or FIFO`);
      const place = placeOf(entry);
      const isFile = ['File', 'OldFile', 'ContiguousFile'].includes(entry.type);
      if (!place || (!isFile && entry.type !== 'Directory')) return void entry.resume();
      const target = path.join(into, ...place);
      if (!isFile) return void track(fs.mkdir(target, { recursive: true }).then(() => void entry.resume()));
      const cap = capFor(place[place.length - 1]!);
      if (entry.size > cap)
        return refuse(`${entry.path} is ${gb(entry.size)}, more than the ${gb(cap)} Jan reads of such a file`);
      total += entry.size;
      if (total > budget) {
        return refuse(
          byRatio
            ? `it unpacks to more than ${mb(budget)} (${RATIO} times its own size of ${mb(size)}, at least ${mb(FLOOR)})`
            : `it needs more than ${mb(budget)} and only ${mb(free)} is free`,
        );
      }
      track(writeEntry(entry, target, outs));
    } catch (error) {
      refuse((error as Error).message);
    }
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: READ_SIZE }), parser);
    await Promise.all(writes);
  } catch (error) {
    const message = (error as Error).message;
    // The tar library's own guard on the inflated stream (headers and padding included).
    if (/max decompression ratio exceeded/.test(message))
      refusal ??= new Error(`${file} was not imported: it inflates to more than ${TAR_RATIO} times its own size.`);
    refusal ??= new Error(`${file} is not a readable archive: ${message}`);
  }
  if (refusal) {
    for (const out of outs) out.destroy();
    throw refusal;
  }
}

/** One file entry streamed to its new file (a repeated entry refuses: `wx`). */
async function writeEntry(
  entry: ReadEntry,
  target: string,
  outs: Array<ReturnType<typeof createWriteStream>>,
): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const out = createWriteStream(target, { flags: 'wx' });
  outs.push(out);
  entry.pipe(out);
  await once(out, 'close');
}
