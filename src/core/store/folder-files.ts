/**
 * A whole item folder (a thread or an assistant with every file in it) read or written as one:
 * what an export copies and an import installs. Reads go through the folder as opened and checked
 * (src/core/store/confined-folder.ts): regular files only, each at most what the store reads of
 * such a file, a bounded depth and count; links, FIFOs and devices are named, never followed or
 * read. Writes build the folder under a staging name beside its place and rename it in at once.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createFileIn, isOwnStagingName, stagingNameFor } from './atomic-file';
import { RootFolder, type ConfinedFolder } from './confined-folder';
import { StoreError } from './errors';
import { JSON_FILE_CAP, JSON_LINES_CAP, READ_FLAGS, readOpened } from './json-file';
import { O_NOFOLLOW, openFolder, type OpenedFolder } from './opened-folder';
import { removeTreeIn } from './remove-tree';

/** Folders inside an item folder (Jan keeps attachments a level or two down); deeper is left out. */
const MAX_DEPTH = 4;
const MAX_FILES = 10_000;

/** An item's files by path relative to its folder (`/`-separated), and what was left out and why. */
export interface FolderFiles {
  files: Map<string, Buffer>;
  skipped: Array<{ path: string; reason: string }>;
}

/** The most Jan reads of a file named `name` in an item folder. */
export const capFor = (name: string) => (name.endsWith('.json') ? JSON_FILE_CAP : JSON_LINES_CAP);

/** Leftovers of the store's own writing (locks, temp and staging files) that never belong in a copy. */
export const isStoreScratch = (name: string) =>
  name.endsWith('.lock') || name.endsWith('.tmp') || name.includes('.tmp-') || isOwnStagingName(name);

/** Every regular file under `folder` (a folder inside `confined`'s root). */
export async function readFolderFiles(confined: ConfinedFolder, folder: string): Promise<FolderFiles> {
  const result: FolderFiles = { files: new Map(), skipped: [] };
  const top = await confined.openFolder(folder);
  const pending: Array<{ folder: RootFolder; prefix: string; depth: number }> = [{ folder: top, prefix: '', depth: 0 }];
  try {
    while (pending.length > 0) {
      const { folder: current, prefix, depth } = pending.pop()!;
      try {
        for (const entry of await fs.readdir(current.self, { withFileTypes: true })) {
          const relative = `${prefix}${entry.name}`;
          if (isStoreScratch(entry.name)) continue;
          if (entry.isDirectory()) {
            if (depth + 1 > MAX_DEPTH) result.skipped.push({ path: relative, reason: 'nested too deep' });
            else
              pending.push({ folder: await openChild(current, entry.name), prefix: `${relative}/`, depth: depth + 1 });
          } else if (!entry.isFile()) {
            result.skipped.push({ path: relative, reason: entry.isSymbolicLink() ? 'a symbolic link' : 'not a file' });
          } else if (result.files.size >= MAX_FILES) {
            result.skipped.push({ path: relative, reason: `more than ${MAX_FILES} files` });
          } else {
            const handle = await confined.openIn(current, entry.name, READ_FLAGS, undefined, relative);
            try {
              result.files.set(relative, await readOpened(handle, path.join(folder, relative), capFor(entry.name)));
            } finally {
              await handle.close();
            }
          }
        }
      } finally {
        await current.close();
      }
    }
  } finally {
    for (const left of pending) await left.folder.close();
  }
  return result;
}

/** The sub-folder `name` of an opened folder, never through a link. */
async function openChild(folder: RootFolder, name: string): Promise<RootFolder> {
  return new RootFolder(await openFolder(folder.entry(name), O_NOFOLLOW), folder.rootReal);
}

/** Writes `files` into the new folder `name` of `parent`, made under a staging name and renamed in once complete. */
export async function installIn(parent: OpenedFolder, name: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  const stage = stagingNameFor(name);
  await fs.mkdir(parent.entry(stage));
  try {
    const staged = await openFolder(parent.entry(stage), O_NOFOLLOW);
    try {
      await writeFiles(staged, files);
    } finally {
      await staged.close();
    }
    // A rename replaces an empty folder of that name: the caller holds the names lock and saw none.
    const taken = await fs.lstat(parent.entry(name)).then(
      () => true,
      () => false,
    );
    if (taken) throw new StoreError('ALREADY_EXISTS', `${name} appeared while it was being made.`);
    await fs.rename(parent.entry(stage), parent.entry(name));
    await parent.sync();
  } catch (error) {
    await removeTreeIn(parent, stage, stage).catch(() => undefined);
    throw error;
  }
}

/** Each of `files` as a new file (never through a link, never over a file) in the opened `folder`, sub-folders made as needed. */
export async function writeFiles(folder: OpenedFolder, files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [relative, bytes] of files) await writeInto(folder, relative.split('/'), bytes);
}

async function writeInto(folder: OpenedFolder, segments: string[], bytes: Buffer): Promise<void> {
  const [first, ...rest] = segments;
  if (rest.length === 0) return createFileIn(folder, first!, bytes);
  await fs.mkdir(folder.entry(first!)).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  });
  const child = await openFolder(folder.entry(first!), O_NOFOLLOW);
  try {
    await writeInto(child, rest, bytes);
  } finally {
    await child.close();
  }
}
