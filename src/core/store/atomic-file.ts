import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreError } from './errors';

/** A temp name next to the target, so the final rename never crosses a file system. */
function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
}

/** Exactly the names tempPathFor makes: the only files a sweep after a crash may remove. */
const OWN_TEMP_NAME = /^\..+\.\d+-[0-9a-f]{8}\.tmp$/;

export const isOwnTempName = (name: string): boolean => OWN_TEMP_NAME.test(name);

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
 * Makes the rename itself durable: without it a power loss can bring back the old file.
 * Windows cannot open a folder for fsync (NTFS journals the rename itself), so it is skipped there.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `target` so that a reader (or a crash at any instant) sees either the old bytes or
 * the new ones, never a mix: temp file in the same folder, fsync, rename over, fsync the folder.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeSynced(temp, data);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(target));
}

/**
 * Like writeFileAtomic but fails with EEXIST when `target` exists: `link` refuses to replace,
 * so two creators racing (even outside our locks, e.g. the Jan app) cannot overwrite each other.
 */
export async function createFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeSynced(temp, data);
    await linkOrRename(temp, target);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
  await syncFolder(path.dirname(target));
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
