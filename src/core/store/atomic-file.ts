import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreError } from './errors';
import { openFolder, type OpenedFolder } from './opened-folder';

/** A temp name next to the target, so the final rename never crosses a file system. */
export function tempNameFor(name: string): string {
  return `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** A staging folder next to the folder it will become (an import builds a thread there, then renames it). */
export function stagingNameFor(name: string): string {
  return `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.staging`;
}

/** Exactly the names tempNameFor and stagingNameFor make: the only entries a sweep after a crash may remove. */
const OWN_TEMP_NAME = /^\..+\.\d+-[0-9a-f]{8}\.tmp$/;
const OWN_STAGING_NAME = /^\..+\.\d+-[0-9a-f]{8}\.staging$/;

export const isOwnTempName = (name: string): boolean => OWN_TEMP_NAME.test(name);
export const isOwnStagingName = (name: string): boolean => OWN_STAGING_NAME.test(name);

/** `wx`: a new file only, never through a link (O_EXCL refuses one) or over another file. */
async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `name` in the opened `folder` so that a reader (or a crash at any instant) sees either
 * the old bytes or the new ones, never a mix: temp file in the same folder, fsync, rename over,
 * fsync the folder. Every step names the entry through the folder that was opened.
 */
export async function writeFileIn(folder: OpenedFolder, name: string, data: string | Uint8Array): Promise<void> {
  const temp = folder.entry(tempNameFor(name));
  try {
    await writeSynced(temp, data);
    await fs.rename(temp, folder.entry(name));
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await folder.sync();
}

/**
 * Like writeFileIn but fails with EEXIST when `name` exists: `link` refuses to replace, so two
 * creators racing (even outside our locks, e.g. the Jan app) cannot overwrite each other.
 */
export async function createFileIn(folder: OpenedFolder, name: string, data: string | Uint8Array): Promise<void> {
  const temp = folder.entry(tempNameFor(name));
  try {
    await writeSynced(temp, data);
    await linkOrRename(temp, folder.entry(name));
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
  await folder.sync();
}

/** File systems without hard links (FAT, some network shares): check-then-rename, which the caller's lock makes safe among our own writers. */
async function linkOrRename(temp: string, target: string): Promise<void> {
  try {
    await fs.link(temp, target);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    const exists = await fs.lstat(target).then(
      () => true,
      () => false,
    );
    if (exists) throw new StoreError('ALREADY_EXISTS', `Cannot create ${target}: it already exists.`, target);
    await fs.rename(temp, target);
  }
}

/** Runs `task` on the folder of `target` (a path outside any confined root: the models folder, a settings file). */
async function inFolderOf<T>(target: string, task: (folder: OpenedFolder, name: string) => Promise<T>): Promise<T> {
  const folder = await openFolder(path.dirname(target));
  try {
    return await task(folder, path.basename(target));
  } finally {
    await folder.close();
  }
}

/** writeFileIn for a plain path. */
export function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  return inFolderOf(target, (folder, name) => writeFileIn(folder, name, data));
}

/** createFileIn for a plain path. */
export function createFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  return inFolderOf(target, (folder, name) => createFileIn(folder, name, data));
}

/** Makes a rename in `folder` durable (a workspace file the agent wrote): without it a power loss can bring back the old file. */
export async function syncFolder(folder: string): Promise<void> {
  const opened = await openFolder(folder);
  try {
    await opened.sync();
  } finally {
    await opened.close();
  }
}
