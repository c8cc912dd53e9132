/**
 * Listing folders of a confined root (src/core/store/confined-folder.ts): what is in a folder,
 * which sub-folders are items (a link among them only when it stays inside), and the cleanup of
 * what an interrupted write or import left.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StoreWarning } from '../extension-types';
import type { Logger } from '../logger';
import { errorMessage } from '../logger';
import { isOwnStagingName, isOwnTempName } from './atomic-file';
import type { ConfinedFolder, RootFolder } from './confined-folder';
import { StoreError, toStoreError } from './errors';
import { isWithin, openFolder, type OpenedFolder } from './opened-folder';
import { removeTreeIn } from './remove-tree';

/** A temp file older than this is from a write that was interrupted (a rewrite takes milliseconds). */
const STALE_TEMP_MS = 60_000;

const codeOf = (error: unknown) => (error as { code?: string }).code;

/**
 * Sub-folder names of `folder` (none if it is missing), without hidden and lock folders. A link
 * that leaves the root (or `folder` itself being one) is a warning, never followed.
 */
export async function listFolders(
  confined: ConfinedFolder,
  folder: string,
): Promise<{ names: string[]; warnings: StoreWarning[] }> {
  const warnings: StoreWarning[] = [];
  let opened: RootFolder;
  try {
    opened = await confined.openFolder(folder);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return { names: [], warnings };
    if (error instanceof StoreError && error.code === 'NOT_ALLOWED')
      return { names: [], warnings: [{ path: error.path!, message: error.message }] };
    throw toStoreError(error, 'list', folder);
  }
  try {
    const names: string[] = [];
    for (const entry of await fs.readdir(opened.self, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name.endsWith('.lock')) continue;
      if (entry.isDirectory()) names.push(entry.name);
      else if (entry.isSymbolicLink()) {
        const full = path.join(folder, entry.name);
        const problem = await linkedFolderProblem(confined, opened, entry.name, full);
        if (problem === undefined) names.push(entry.name);
        else if (problem) warnings.push({ path: full, message: problem.message });
      }
    }
    return { names, warnings };
  } finally {
    await opened.close();
  }
}

/** A link in a listing: undefined when it is a folder inside the root, a refusal when it leaves, false otherwise. */
async function linkedFolderProblem(
  confined: ConfinedFolder,
  folder: RootFolder,
  name: string,
  full: string,
): Promise<StoreError | false | undefined> {
  let target: OpenedFolder;
  try {
    target = await openFolder(folder.entry(name));
  } catch (error) {
    return codeOf(error) === 'ENOENT' ? confined.refusal(full, undefined) : false;
  }
  try {
    return isWithin(folder.rootReal, target.real) ? undefined : await confined.refusal(full, target.real);
  } finally {
    await target.close();
  }
}

/** Every name in `folder` (none when it is missing). */
export async function folderEntries(confined: ConfinedFolder, folder: string): Promise<string[]> {
  try {
    const opened = await confined.openFolder(folder);
    try {
      return await fs.readdir(opened.self);
    } finally {
      await opened.close();
    }
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return [];
    throw toStoreError(error, 'list', folder);
  }
}

/**
 * Removes what a crash in the middle of a rewrite or an import left in `folder`: files with our
 * own temp name and folders with our own staging name (src/core/store/atomic-file.ts) not
 * touched for a minute, so a write running in another window right now keeps its file. Best
 * effort: a read-only folder or a link out of the root is left alone.
 */
export async function removeStaleTemps(confined: ConfinedFolder, folder: string, logger: Logger): Promise<void> {
  try {
    const opened = await confined.openFolder(folder);
    try {
      const cutoff = Date.now() - STALE_TEMP_MS;
      for (const entry of await fs.readdir(opened.self, { withFileTypes: true })) {
        const ours = entry.isFile() ? isOwnTempName(entry.name) : entry.isDirectory() && isOwnStagingName(entry.name);
        if (!ours) continue;
        const { mtimeMs } = await fs.lstat(opened.entry(entry.name));
        if (mtimeMs >= cutoff) continue;
        await removeTreeIn(opened, entry.name, path.join(folder, entry.name));
        logger.info(`Removed ${path.join(folder, entry.name)}, left by an interrupted write.`);
      }
    } finally {
      await opened.close();
    }
  } catch (error) {
    const code = codeOf(error);
    if (error instanceof StoreError || code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      return;
    logger.warn(`Could not clean up temp files in ${folder}: ${errorMessage(error)}`);
  }
}
