/**
 * The one place that decides what is inside a folder the workspace controls (`.jan`, the
 * workspace itself for context files): open first, then check what was opened
 * (opened-folder.ts). A folder or file is inside when the kernel's real path of the opened object
 * is inside the root's real path; links are followed only to such places. The root itself may be
 * a link (a repository can ship `.jan` as one), but only to a place inside its own folder, never
 * to that folder itself (`.jan → .` would put threads among the workspace's files).
 */
import { closeSync, constants, openSync, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { StoreError } from './errors';
import { linkEscape } from './links';
import { O_NOFOLLOW, isWithin, openFileChecked, openFolder, realOfSync, type OpenedFolder } from './opened-folder';

/** A folder opened inside the root, and the root's real path every entry opened through it is checked against. */
export class RootFolder implements OpenedFolder {
  constructor(
    private readonly folder: OpenedFolder,
    readonly rootReal: string,
  ) {}
  get real(): string {
    return this.folder.real;
  }
  get self(): string {
    return this.folder.self;
  }
  entry(name: string): string {
    return this.folder.entry(name);
  }
  sync(): Promise<void> {
    return this.folder.sync();
  }
  close(): Promise<void> {
    return this.folder.close();
  }
}

const isCode = (error: unknown, ...codes: string[]) => codes.includes((error as { code?: string }).code ?? '');

export interface ConfinedFolderOptions {
  /** Names the root in messages (default "the data folder"). */
  what?: string;
  /** The root may be anywhere (a workspace the user opened); else only inside its own folder (`.jan`). */
  rootAnywhere?: boolean;
}

export class ConfinedFolder {
  private readonly what: string;

  constructor(
    readonly root: string,
    private readonly options: ConfinedFolderOptions = {},
  ) {
    this.what = options.what ?? 'the data folder';
  }

  /** The root, opened and (unless it may be anywhere) checked against its own folder's real path. */
  async openRoot(): Promise<RootFolder> {
    if (this.options.rootAnywhere) {
      const root = await openFolder(this.root);
      return new RootFolder(root, root.real);
    }
    const parent = await fs.realpath(path.dirname(this.root));
    const root = await openFolder(this.root);
    if (root.real === parent || !isWithin(parent, root.real)) {
      await root.close();
      throw this.rootRefusal(root.real, parent);
    }
    return new RootFolder(root, root.real);
  }

  /**
   * The folder `target` (the root or below it), opened and checked inside the root. With
   * `create`, missing folders on the way are made, each inside the one checked before it.
   */
  async openFolder(target: string, create = false): Promise<RootFolder> {
    const segments = this.segments(target);
    const root = await this.openRoot();
    if (segments.length === 0) return root;
    let current: OpenedFolder = root;
    try {
      const steps = create ? segments : [segments.join('/')];
      for (const step of steps) {
        const next = await this.openStep(current, step, create);
        if (current !== root) await current.close();
        current = next;
        if (!isWithin(root.rootReal, next.real)) throw await this.refusal(target, next.real);
      }
      return new RootFolder(current, root.rootReal);
    } catch (error) {
      if (current !== root) await current.close();
      throw error;
    } finally {
      await root.close();
    }
  }

  /**
   * The file `target`, opened with `flags` in its checked folder. A link as its last part is
   * followed only to an existing file inside the root (never created through).
   */
  async openFile(target: string, flags: number, mode?: number): Promise<FileHandle> {
    const folder = await this.openFolder(path.dirname(target));
    try {
      return await this.openIn(folder, path.basename(target), flags, mode, target);
    } finally {
      await folder.close();
    }
  }

  /** The file `name` in the checked `folder`, as openFile opens it. */
  async openIn(folder: RootFolder, name: string, flags: number, mode?: number, shown = name): Promise<FileHandle> {
    let opened: { handle: FileHandle; real: string };
    try {
      opened = await openFileChecked(folder.entry(name), flags | O_NOFOLLOW, mode);
    } catch (error) {
      if (!isCode(error, 'ELOOP') || !O_NOFOLLOW) throw error;
      const following = flags & ~(constants.O_CREAT | constants.O_EXCL);
      opened = await openFileChecked(folder.entry(name), following, mode).catch(async (inner: unknown) => {
        if (isCode(inner, 'ENOENT')) throw await this.refusal(shown, undefined);
        throw inner;
      });
    }
    if (!isWithin(folder.rootReal, opened.real)) {
      await opened.handle.close();
      throw await this.refusal(shown, opened.real);
    }
    return opened.handle;
  }

  /**
   * A file below the open `root`, opened synchronously and checked (the batch reader's time
   * slices): the descriptor, or a refusal.
   */
  openSync(root: RootFolder, target: string, flags: number): number | StoreError {
    const relative = this.segments(target).join('/');
    let fd: number;
    try {
      fd = openSync(root.entry(relative), flags | O_NOFOLLOW);
    } catch (error) {
      if (!isCode(error, 'ELOOP') || !O_NOFOLLOW) throw error;
      fd = openSync(root.entry(relative), flags);
    }
    try {
      const real = realOfSync(fd, root.entry(relative));
      if (isWithin(root.rootReal, real)) return fd;
      closeSync(fd);
      return this.plainRefusal(target, real);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The parts of `target` below the root, refusing a path that is not below it by its text. */
  segments(target: string): string[] {
    const resolved = path.resolve(target);
    const relative = path.relative(this.root, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative))
      throw new StoreError('INVALID_ID', `${target} is outside ${this.what} ${this.root}.`, target);
    return relative.split(path.sep).filter(Boolean);
  }

  /** Why `target` was refused: the link on its way that leaves the root, named when it still does. */
  async refusal(target: string, real: string | undefined): Promise<StoreError> {
    const named = await linkEscape(this.root, path.resolve(target), !this.options.rootAnywhere).catch(() => undefined);
    return named ?? this.plainRefusal(target, real);
  }

  private plainRefusal(target: string, real: string | undefined): StoreError {
    const where = real ? `to ${real}` : 'to a place that does not exist';
    return new StoreError(
      'NOT_ALLOWED',
      `${target} led ${where}, outside ${this.what} ${this.root}, when it was opened (a symbolic link on its way); Jan does not read or write through it.`,
      target,
    );
  }

  private rootRefusal(real: string, parent: string): StoreError {
    const why = real === parent ? 'its own folder' : `${real}, outside its folder ${parent}`;
    return new StoreError(
      'NOT_ALLOWED',
      `${this.root} is a symbolic link to ${why}; Jan does not read or write through it. Remove the link, or make it point to a folder inside ${parent}.`,
      this.root,
    );
  }

  private async openStep(folder: OpenedFolder, step: string, create: boolean): Promise<OpenedFolder> {
    try {
      return await openFolder(folder.entry(step));
    } catch (error) {
      if (!create || !isCode(error, 'ENOENT')) throw error;
    }
    await fs.mkdir(folder.entry(step)).catch((error: unknown) => {
      if (!isCode(error, 'EEXIST')) throw error;
    });
    return openFolder(folder.entry(step));
  }
}
