/**
 * Workspace confinement for the tools: model output names the paths, so every one is untrusted.
 * The rule is "open, then check what was opened": a path's text is only a first filter (no `..`
 * out, no other drive); what decides is the real path of the file actually opened, read from the
 * open descriptor (Linux: /proc/self/fd; elsewhere: realpath checked against the descriptor's
 * device and inode). A link that was swapped in between a check and an open therefore cannot lead
 * out. The data folder has the same rule for `.jan` (src/core/store/links.ts).
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

export type FileProblem =
  | 'outside'
  | 'link-out'
  | 'not-found'
  | 'not-a-file'
  | 'not-a-folder'
  | 'unreadable'
  | 'binary'
  | 'too-large'
  | 'exists'
  | 'conflict';

/** A workspace file that cannot be used, with a message for the model and the user. */
export class WorkspaceFileError extends Error {
  constructor(
    readonly problem: FileProblem,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'WorkspaceFileError';
  }
}

/** A workspace folder with its real path, taken once per call so links in the root's own path are allowed. */
export interface Workspace {
  root: string;
  realRoot: string;
}

export async function openWorkspace(root: string): Promise<Workspace> {
  const realRoot = await fs.realpath(root).catch(() => {
    throw new WorkspaceFileError('not-found', `The workspace folder ${root} does not exist.`, root);
  });
  if (!(await fs.stat(realRoot)).isDirectory())
    throw new WorkspaceFileError('not-a-folder', `The workspace ${root} is not a folder.`, root);
  return { root, realRoot };
}

export const isWithin = (root: string, target: string): boolean =>
  target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** A workspace path as the model should see it: relative, with `/`. */
export const toRelative = (workspace: Workspace, real: string): string =>
  path.relative(workspace.realRoot, real).split(path.sep).join('/');

/**
 * The absolute path for `input` (relative to the root, or absolute inside it) and its relative
 * form. Only the text is checked here; the file system is checked when the path is opened.
 */
export function resolveInside(workspace: Workspace, input: string): { absolute: string; relative: string } {
  if (input.includes('\0')) throw new WorkspaceFileError('outside', `The path contains a NUL character.`, input);
  const trimmed = input.trim() === '' ? '.' : input.trim();
  for (const base of [workspace.root, workspace.realRoot]) {
    const absolute = path.resolve(base, trimmed);
    if (isWithin(path.resolve(base), absolute)) {
      const relative = path.relative(base, absolute).split(path.sep).join('/');
      return { absolute: path.join(workspace.realRoot, relative), relative: relative || '.' };
    }
  }
  throw new WorkspaceFileError(
    'outside',
    `${input} is outside the workspace; only workspace files can be used.`,
    input,
  );
}

/** The real path of what `handle` opened; undefined when it cannot be told (the caller refuses then). */
async function realPathOfHandle(handle: FileHandle, opened: string, stats: Stats): Promise<string | undefined> {
  if (process.platform === 'linux') {
    const viaProc = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    if (viaProc !== undefined) return viaProc.endsWith(' (deleted)') ? undefined : viaProc;
  }
  const real = await fs.realpath(opened).catch(() => undefined);
  if (real === undefined) return undefined;
  const now = await fs.stat(real).catch(() => undefined);
  return now && now.dev === stats.dev && now.ino === stats.ino ? real : undefined;
}

/** Names the link on the way to `relative` that leads out (or dangles), for a message the user can act on. */
async function findLinkOut(workspace: Workspace, relative: string): Promise<string | undefined> {
  let current = workspace.realRoot;
  for (const segment of relative.split('/').filter(Boolean)) {
    current = path.join(current, segment);
    const stat = await fs.lstat(current).catch(() => undefined);
    if (!stat?.isSymbolicLink()) continue;
    const target = await fs.realpath(current).catch(() => 'a place that does not exist');
    if (!isWithin(workspace.realRoot, target))
      return `${toRelative(workspace, current)} is a symbolic link to ${target}, outside the workspace; Jan's tools do not read or write through it.`;
  }
  return undefined;
}

async function linkOutMessage(workspace: Workspace, relative: string): Promise<string> {
  return (
    (await findLinkOut(workspace, relative)) ??
    `${relative} leads outside the workspace (through a link that changed while it was opened); nothing was read or written.`
  );
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Never blocks on a FIFO: reading one would hang the tool until someone writes to it. */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

export interface OpenedFile {
  handle: FileHandle;
  /** Workspace-relative with `/`, of the real file (a link inside the workspace is resolved). */
  relative: string;
  real: string;
  stats: Stats;
}

/**
 * Opens a workspace file for reading, then checks what was opened: its real path inside the
 * workspace's real path, and a regular file (never a FIFO, device or socket). The caller closes it.
 */
export async function openFileInside(workspace: Workspace, input: string): Promise<OpenedFile> {
  const { absolute, relative } = resolveInside(workspace, input);
  let handle: FileHandle;
  try {
    handle = await fs.open(absolute, constants.O_RDONLY | NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const escape = await findLinkOut(workspace, relative);
      if (escape) throw new WorkspaceFileError('link-out', escape, relative);
      throw new WorkspaceFileError('not-found', `${relative} does not exist.`, relative);
    }
    if (code === 'EISDIR') throw new WorkspaceFileError('not-a-file', `${relative} is a folder, not a file.`, relative);
    throw new WorkspaceFileError('unreadable', `${relative} cannot be read (${code ?? 'error'}).`, relative);
  }
  try {
    const stats = await handle.stat();
    const real = await realPathOfHandle(handle, absolute, stats);
    if (real === undefined || !isWithin(workspace.realRoot, real))
      throw new WorkspaceFileError('link-out', await linkOutMessage(workspace, relative), relative);
    if (!stats.isFile())
      throw new WorkspaceFileError('not-a-file', `${relative} is ${kindOf(stats)}; only files can be used.`, relative);
    return { handle, relative: toRelative(workspace, real), real, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The real path of a workspace folder, checked like a file (a link out is refused). With
 * `create`, missing folders are made one at a time, each checked after it was made.
 */
export async function folderInside(workspace: Workspace, input: string, create = false): Promise<string> {
  const { relative } = resolveInside(workspace, input);
  let current = workspace.realRoot;
  for (const segment of relative === '.' ? [] : relative.split('/')) {
    const next = path.join(current, segment);
    if (create) await fs.mkdir(next).catch((error: NodeJS.ErrnoException) => ignoreExists(error));
    const real = await fs.realpath(next).catch(() => undefined);
    if (real === undefined) throw new WorkspaceFileError('not-found', `The folder ${relative} does not exist.`, input);
    if (!isWithin(workspace.realRoot, real))
      throw new WorkspaceFileError('link-out', await linkOutMessage(workspace, relative), relative);
    const stat = await fs.stat(real);
    if (!stat.isDirectory())
      throw new WorkspaceFileError('not-a-folder', `${toRelative(workspace, real)} is not a folder.`, relative);
    current = real;
  }
  return current;
}

function ignoreExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

/** For a handle opened for writing: refuses when what was opened is not inside the workspace. */
export async function checkOpenedInside(workspace: Workspace, handle: FileHandle, opened: string): Promise<string> {
  const stats = await handle.stat();
  const real = await realPathOfHandle(handle, opened, stats);
  if (real === undefined || !isWithin(workspace.realRoot, real))
    throw new WorkspaceFileError(
      'link-out',
      `${path.basename(opened)} was not created inside the workspace (a folder on its way was replaced by a link); nothing was written.`,
      opened,
    );
  return real;
}
