import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StoreError, readOnlyError } from './errors';
import { O_NOFOLLOW, openFolder, resolvesThroughDescriptors, type OpenedFolder } from './opened-folder';

/** A thread or assistant folder holds files, at most a few folders deep; deeper is refused, not walked. */
const MAX_DEPTH = 32;

const codeOf = (error: unknown) => (error as { code?: string }).code;

/** Fails with READ_ONLY when `entry` exists and its own mode (or attribute) refuses writing. */
export async function assertWritable(entry: string, action: string, shown: string): Promise<void> {
  try {
    await fs.access(entry, constants.W_OK);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw readOnlyError(action, shown, code);
    if (code !== 'ENOENT') throw error;
  }
}

/** The sub-folder `name` of `folder`, opened without following a link (a link is not a folder to walk into). */
async function openChild(folder: OpenedFolder, name: string, shown: string): Promise<OpenedFolder> {
  const child = await openFolder(folder.entry(name), O_NOFOLLOW);
  // Without descriptors the path was re-resolved: the child must still be where its name says.
  if (!resolvesThroughDescriptors() && child.real !== path.join(folder.real, name)) {
    await child.close();
    throw new StoreError('NOT_ALLOWED', `${shown} changed into a link while it was being deleted.`, shown);
  }
  return child;
}

/**
 * Deletes `name` in the opened `folder` and everything under it. Each level is opened through the
 * one above and listed through its descriptor, and a link met on the way is removed itself, never
 * followed: a folder swapped for a link mid-way cannot make it delete anything elsewhere.
 */
export async function removeTreeIn(folder: OpenedFolder, name: string, shown: string, depth = 0): Promise<void> {
  try {
    await fs.unlink(folder.entry(name));
    return;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return;
    // unlink of a folder: EISDIR on Linux, EPERM on macOS and Windows.
    if (code !== 'EISDIR' && code !== 'EPERM') throw error;
  }
  if (depth >= MAX_DEPTH)
    throw new StoreError('NOT_ALLOWED', `${shown} is nested more than ${MAX_DEPTH} folders deep; it was not deleted.`);
  const child = await openChild(folder, name, shown);
  try {
    for (const entry of await fs.readdir(child.self)) await removeTreeIn(child, entry, `${shown}/${entry}`, depth + 1);
  } finally {
    await child.close();
  }
  await fs.rmdir(folder.entry(name));
}
