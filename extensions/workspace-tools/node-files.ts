/**
 * WorkspaceFiles on disk. A write goes to a temp file beside the real target (created with
 * O_EXCL, so never through a link, and checked to be inside the workspace once opened), is
 * fsynced, and renamed over the target only if the target still has the bytes the edit was made
 * from; otherwise nothing changes and the conflict is reported.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { syncFolder } from '@jan/core';
import { MAX_WHOLE_FILE_BYTES, type FileSnapshot, type FileWrite, type WorkspaceFiles } from './files';
import { decodeText, hasBom, readAllBytes, readLineRange, versionOf, type LineRange } from './text-file';
import {
  checkOpenedInside,
  folderInside,
  openFileInside,
  openWorkspace,
  resolveInside,
  WorkspaceFileError,
  type Workspace,
} from './workspace-path';

async function withFile<T>(
  workspace: Workspace,
  input: string,
  use: (file: Awaited<ReturnType<typeof openFileInside>>) => Promise<T>,
): Promise<T> {
  const file = await openFileInside(workspace, input);
  try {
    return await use(file);
  } finally {
    await file.handle.close();
  }
}

const tempBeside = (target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/** The current bytes of an existing target and its real path, or null when there is none. */
async function current(
  workspace: Workspace,
  relative: string,
): Promise<{ bytes: Buffer; real: string; mode: number } | null> {
  try {
    return await withFile(workspace, relative, async (file) => ({
      bytes: await readAllBytes(file, MAX_WHOLE_FILE_BYTES),
      real: file.real,
      mode: file.stats.mode,
    }));
  } catch (error) {
    if (error instanceof WorkspaceFileError && error.problem === 'not-found') return null;
    throw error;
  }
}

function conflict(relative: string): WorkspaceFileError {
  return new WorkspaceFileError(
    'conflict',
    `${relative} changed since it was read (edited in the editor or by another program); nothing was written. Read it again and redo the edit.`,
    relative,
  );
}

/** Writes and syncs the temp file; its handle stays open so where the bytes land can be checked after the move. */
async function writeTemp(workspace: Workspace, temp: string, data: Uint8Array, mode?: number): Promise<FileHandle> {
  const handle = await fs.open(temp, 'wx', mode === undefined ? 0o666 : mode & 0o7777);
  try {
    await checkOpenedInside(workspace, handle, temp);
    await handle.writeFile(data);
    if (mode !== undefined) await handle.chmod(mode & 0o7777);
    await handle.sync();
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * After the rename or link: the workspace path must now open (checked like any read) to the very
 * file written. A folder on the way swapped for a link out in between is reported, and a name
 * this call created outside is removed again (only when it is still this file).
 */
export async function verifyPlaced(
  workspace: Workspace,
  relative: string,
  written: FileHandle,
  options: { created?: string; copied?: boolean } = {},
): Promise<void> {
  const ours = await written.stat();
  const isOurs = (stats: { dev: number; ino: number; size: number }) =>
    options.copied ? stats.size === ours.size : stats.dev === ours.dev && stats.ino === ours.ino;
  const placed = await openFileInside(workspace, relative).then(
    async (file) => {
      const same = isOurs(file.stats);
      await file.handle.close();
      return same;
    },
    () => false,
  );
  if (placed) return;
  if (options.created && !options.copied) {
    const there = await fs.stat(options.created).catch(() => undefined);
    if (there && isOurs(there)) await fs.unlink(options.created).catch(() => undefined);
  }
  throw new WorkspaceFileError(
    'link-out',
    `${relative}: a folder on its way was replaced while it was written, so it may not have landed in the workspace; check it.`,
    relative,
  );
}

/**
 * The temp file under its final name, refusing an existing one. File systems without hard links
 * (FAT, some shares) get a copy that still refuses one; false then (the copy is another file).
 */
async function linkNew(temp: string, target: string, relative: string): Promise<boolean> {
  try {
    await fs.link(temp, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new WorkspaceFileError('exists', `${relative} already exists; edit it instead.`, relative);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    await fs.copyFile(temp, target, constants.COPYFILE_EXCL);
    return false;
  }
}

export class NodeWorkspaceFiles implements WorkspaceFiles {
  async read(root: string, input: string): Promise<FileSnapshot> {
    const workspace = await openWorkspace(root);
    return withFile(workspace, input, async (file) => {
      const bytes = await readAllBytes(file, MAX_WHOLE_FILE_BYTES);
      return { path: file.relative, text: decodeText(bytes), version: versionOf(bytes) };
    });
  }

  async readLines(root: string, input: string, first: number, last: number, maxBytes: number): Promise<LineRange> {
    const workspace = await openWorkspace(root);
    return withFile(workspace, input, (file) => readLineRange(file, first, last, maxBytes));
  }

  async write(root: string, write: FileWrite): Promise<{ path: string }> {
    const workspace = await openWorkspace(root);
    const { relative } = resolveInside(workspace, write.path);
    const before = await current(workspace, relative);
    if (write.base === null) {
      if (before) throw new WorkspaceFileError('exists', `${relative} already exists; edit it instead.`, relative);
      await this.create(workspace, relative, Buffer.from(write.text, 'utf8'));
      return { path: relative };
    }
    if (!before)
      throw new WorkspaceFileError('not-found', `${relative} no longer exists; nothing was written.`, relative);
    if (versionOf(before.bytes) !== write.base) throw conflict(relative);
    const text = hasBom(before.bytes) && !write.text.startsWith('\uFEFF') ? `\uFEFF${write.text}` : write.text;
    const temp = tempBeside(before.real);
    const handle = await writeTemp(workspace, temp, Buffer.from(text, 'utf8'), before.mode).catch(async (error) => {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    });
    try {
      // Checked again right before the rename: the window for a lost keystroke is this one call.
      const now = await current(workspace, relative);
      if (!now || now.real !== before.real || versionOf(now.bytes) !== write.base) throw conflict(relative);
      await fs.rename(temp, before.real);
      await verifyPlaced(workspace, relative, handle);
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
    await syncFolder(path.dirname(before.real));
    return { path: relative };
  }

  /** A new file: `link` refuses an existing name, so a file made meanwhile is never replaced. */
  private async create(workspace: Workspace, relative: string, data: Uint8Array): Promise<void> {
    if (relative === '.' || relative.endsWith('/'))
      throw new WorkspaceFileError('not-a-file', `${relative} names a folder, not a file.`, relative);
    const folder = await folderInside(workspace, path.posix.dirname(relative), true);
    const target = path.join(folder, path.posix.basename(relative));
    const temp = tempBeside(target);
    let handle: FileHandle | undefined;
    try {
      handle = await writeTemp(workspace, temp, data);
      const linked = await linkNew(temp, target, relative);
      await verifyPlaced(workspace, relative, handle, { created: target, copied: !linked });
    } finally {
      await handle?.close();
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
    await syncFolder(folder);
  }
}
