/**
 * A folder opened once and then used through what was opened. Node has no `openat`: on Linux the
 * kernel gives both halves of it through `/proc/self/fd` — `readlink` of a descriptor says where
 * the opened folder really is, and a name under `/proc/self/fd/<n>/` is resolved inside exactly
 * that folder. So a folder is opened (following whatever links lead there), its real path is read
 * back from the kernel and checked by the caller, and every later step (open, create, rename,
 * link, unlink, mkdir) names its entries through the descriptor: swapping a folder on the way for
 * a link, before or after the check, cannot redirect it.
 *
 * Without /proc (macOS, Windows) the same calls work on the folder's real path, checked after
 * opening by comparing the opened folder's identity (device, inode) with what the real path
 * names; a swap can still race the gap between that check and each later use there.
 */
import {
  constants,
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  promises as fs,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/** Flags Windows lacks are 0 there: no O_NOFOLLOW, O_NONBLOCK or O_DIRECTORY. */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
export const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
const OPEN_FOLDER = constants.O_RDONLY | O_DIRECTORY;

let procFd: boolean | undefined;

/** Whether the kernel names and resolves through open descriptors (Linux, /proc mounted). */
export function resolvesThroughDescriptors(): boolean {
  procFd ??= process.platform === 'linux' && existsSync('/proc/self/fd');
  return procFd;
}

const descriptorPath = (fd: number) => `/proc/self/fd/${fd}`;

export interface OpenedFolder {
  /** Where the folder really is, as the kernel said after it was opened. */
  readonly real: string;
  /** A path naming the folder itself (for readdir). */
  readonly self: string;
  /** A path naming `name` inside exactly this folder. */
  entry(name: string): string;
  /** Makes renames and new names in the folder durable (nothing on Windows: NTFS journals them). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

class DescriptorFolder implements OpenedFolder {
  readonly self: string;
  constructor(
    private readonly handle: FileHandle,
    readonly real: string,
  ) {
    this.self = descriptorPath(handle.fd);
  }
  entry(name: string): string {
    return `${this.self}/${name}`;
  }
  sync(): Promise<void> {
    return this.handle.sync();
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

class PathFolder implements OpenedFolder {
  constructor(
    readonly real: string,
    private readonly handle: FileHandle | undefined,
  ) {}
  get self(): string {
    return this.real;
  }
  entry(name: string): string {
    return path.join(this.real, name);
  }
  async sync(): Promise<void> {
    await this.handle?.sync();
  }
  async close(): Promise<void> {
    await this.handle?.close();
  }
}

/** A Node-style error, so callers map it like any other (toStoreError). */
function systemError(code: string, message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${message}`);
  error.code = code;
  return error;
}

/** The real path of what `handle` refers to; a folder removed since it was opened no longer has one. */
async function realOf(handle: FileHandle): Promise<string> {
  const [real, stat] = await Promise.all([fs.readlink(descriptorPath(handle.fd)), handle.stat()]);
  if (stat.nlink === 0) throw systemError('ENOENT', `${real} was removed while it was being opened`);
  return real;
}

/** The same for a descriptor opened synchronously (the batch reader). */
export function realOfSync(fd: number, opened: string): string {
  if (!resolvesThroughDescriptors()) {
    const real = realpathSync.native(opened);
    if (!sameFile(fstatSync(fd), fstatOfPath(real)))
      throw systemError('ELOOP', `${opened} changed while it was opened`);
    return real;
  }
  const real = readlinkSync(descriptorPath(fd));
  if (fstatSync(fd).nlink === 0) throw systemError('ENOENT', `${real} was removed while it was being opened`);
  return real;
}

function fstatOfPath(file: string) {
  const fd = openSync(file, constants.O_RDONLY | O_NONBLOCK);
  try {
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

const sameFile = (a: { dev: number; ino: number }, b: { dev: number; ino: number }) =>
  a.dev === b.dev && (a.ino === b.ino || a.ino === 0);

/**
 * Opens the folder `target` names (a path, or an entry of another opened folder), following links,
 * and reads back where it really is. The caller checks that place; nothing is checked here.
 */
export async function openFolder(target: string, flags = 0): Promise<OpenedFolder> {
  if (resolvesThroughDescriptors()) {
    const handle = await fs.open(target, OPEN_FOLDER | flags);
    try {
      return new DescriptorFolder(handle, await realOf(handle));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  if (flags & O_NOFOLLOW && (await fs.lstat(target)).isSymbolicLink())
    throw systemError('ELOOP', `${target} is a symbolic link`);
  const real = await fs.realpath(target);
  if (process.platform === 'win32') {
    if (!(await fs.stat(real)).isDirectory()) throw systemError('ENOTDIR', `${target} is not a folder`);
    return new PathFolder(real, undefined);
  }
  const handle = await fs.open(real, OPEN_FOLDER);
  try {
    const [opened, named] = await Promise.all([handle.stat(), fs.stat(real)]);
    if (!opened.isDirectory()) throw systemError('ENOTDIR', `${target} is not a folder`);
    if (!sameFile(opened, named)) throw systemError('ELOOP', `${target} changed while it was opened`);
    return new PathFolder(real, handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Opens `target` (a file) with `flags` and reads back where it really is, so the caller checks
 * what was opened, not the name it used.
 */
export async function openFileChecked(
  target: string,
  flags: number,
  mode?: number,
): Promise<{ handle: FileHandle; real: string }> {
  if (resolvesThroughDescriptors()) {
    const handle = await fs.open(target, flags, mode);
    try {
      return { handle, real: await realOf(handle) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  const handle = await fs.open(target, flags, mode);
  try {
    const real = await fs.realpath(target);
    if (!sameFile(await handle.stat(), await fs.stat(real)))
      throw systemError('ELOOP', `${target} changed while it was opened`);
    return { handle, real };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** `target` is `root` or below it (both real paths). */
export function isWithin(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
