import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from './logger';
import { silentLogger } from './logger';
import { createFileIn } from './store/atomic-file';
import { ConfinedFolder, type RootFolder } from './store/confined-folder';
import { StoreError, toStoreError } from './store/errors';
import { NAMES_LOCK, caseTwinOf } from './store/folder-names';
import { folderEntries, listFolders, removeStaleTemps } from './store/folder-listing';
import { installIn, readFolderFiles, type FolderFiles } from './store/folder-files';
import type { BatchJsonFileResult, JsonFileResult } from './store/json-file';
import {
  JSON_FILE_CAP,
  JSON_LINES_CAP,
  READ_FLAGS,
  parseJsonKeepingBytes,
  readJsonFiles,
  readOpened,
} from './store/json-file';
import type { JsonLinesFile } from './store/json-lines';
import { parseJsonLines } from './store/json-lines';
import { withPathLock } from './store/path-lock';
import type { StoreWarning } from './extension-types';

export { assertSafeId, isSafeId, windowsNameProblem } from './store/folder-names';
export { formatJson, type StoreWriter } from './store/store-writer';
import { createStoreWriter, inCheckedFolder, type StoreWriter } from './store/store-writer';

export interface DataFolderOptions {
  logger?: Logger;
  /** Keep threads in git: no `.gitignore` is written (setting `jan.threads.commitToGit`). */
  commitToGit?: boolean;
  /** A lock not refreshed for this long is from a dead process and is taken over. Default 10 s (min 2 s). */
  lockStaleMs?: number;
  /** How long a write waits for another live process's lock. Default 30 s. */
  lockTimeoutMs?: number;
  /** The folder may be anywhere (a Jan desktop folder being imported); else `.jan`'s rule applies. */
  rootAnywhere?: boolean;
}

export const GITIGNORE_CONTENT = [
  '# Written by Jan for VS Code: chat threads stay out of git.',
  '# To commit them, set "jan.threads.commitToGit" and delete this file.',
  'threads/',
  '*.lock/',
  '.*.tmp',
  '.*.staging/',
  '',
].join('\n');

const codeOf = (error: unknown) => (error as { code?: string }).code;

/**
 * The `.jan` folder every extension reads and writes through (docs/ARCHITECTURE.md, "Durability
 * rules" and "Rewrites and hostile data"). Every read, write, append, rename and delete opens the
 * folder it works in and checks what was opened (src/core/store/confined-folder.ts), then names
 * entries through that open folder. Reads never write; writes are atomic or single-line appends,
 * serialized per lock target within the process and across processes, and the folder (with its
 * `.gitignore`) is created on the first write only.
 */
export class DataFolder {
  readonly root: string;
  private readonly confined: ConfinedFolder;
  private readonly logger: Logger;
  private readonly lockOptions: { staleMs: number; timeoutMs: number; logger: Logger };
  private rootReady: Promise<void> | undefined;
  private readonly swept = new Set<string>();
  private readonly writer: StoreWriter;

  constructor(
    root: string,
    private readonly options: DataFolderOptions = {},
  ) {
    this.root = path.resolve(root);
    this.confined = new ConfinedFolder(this.root, { rootAnywhere: options.rootAnywhere });
    this.logger = options.logger ?? silentLogger;
    this.lockOptions = {
      staleMs: Math.max(options.lockStaleMs ?? 10_000, 2_000),
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      logger: this.logger,
    };
    this.writer = createStoreWriter(this.confined, (folder, what) => this.createFolder(folder, what));
  }

  /** A path inside the folder; segments are single names, never separators or `..`. */
  path(...segments: string[]): string {
    for (const segment of segments) {
      if (!segment || segment === '.' || segment === '..' || /[/\\]/.test(segment)) {
        throw new StoreError('INVALID_ID', `Invalid path segment ${JSON.stringify(segment)} in the data folder.`);
      }
    }
    return path.join(this.root, ...segments);
  }

  /** The bytes of `file`: a regular file inside the folder, at most `cap` bytes; undefined when missing. */
  async readBytes(file: string, cap: number): Promise<Buffer | undefined> {
    try {
      const handle = await this.confined.openFile(file, READ_FLAGS);
      try {
        return await readOpened(handle, file, cap);
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return undefined;
      throw toStoreError(error, 'read', file);
    }
  }

  async readJson(file: string): Promise<JsonFileResult> {
    try {
      const bytes = await this.readBytes(file, JSON_FILE_CAP);
      return bytes ? parseJsonKeepingBytes(bytes) : { status: 'missing' };
    } catch (error) {
      if (error instanceof StoreError && error.code === 'INVALID_FILE')
        return { status: 'invalid', error: error.message };
      throw error;
    }
  }

  /** Many small JSON files at once (listing); a file that cannot be opened, or leads out of the folder, is reported, not thrown. */
  async readJsonFiles(files: readonly string[]): Promise<BatchJsonFileResult[]> {
    let root: RootFolder;
    try {
      root = await this.confined.openRoot();
    } catch (error) {
      const failure = codeOf(error) === 'ENOENT' ? undefined : toStoreError(error, 'read', this.root).message;
      return files.map(() => (failure ? { status: 'unreadable', error: failure } : { status: 'missing' }));
    }
    try {
      return await readJsonFiles(files, (file) => this.confined.openSync(root, file, READ_FLAGS));
    } finally {
      await root.close();
    }
  }

  async readJsonLines(file: string): Promise<JsonLinesFile> {
    const bytes = await this.readBytes(file, JSON_LINES_CAP);
    return bytes ? { exists: true, lines: parseJsonLines(bytes) } : { exists: false, lines: [] };
  }

  async exists(target: string): Promise<boolean> {
    try {
      const folder = await this.confined.openFolder(path.dirname(target));
      try {
        await fs.lstat(folder.entry(path.basename(target)));
        return true;
      } finally {
        await folder.close();
      }
    } catch {
      return false;
    }
  }

  /**
   * Sub-folder names of `folder` (none if it is missing), without hidden and lock folders. A link
   * that leaves the data folder (or `folder` itself being one) is a warning, never followed.
   */
  listFolders(folder: string): Promise<{ names: string[]; warnings: StoreWarning[] }> {
    return listFolders(this.confined, folder);
  }

  /**
   * Another entry of `folder` whose name differs from `name` only in case: Windows and macOS
   * keep one folder for both, so a `.jan` made on Linux with both would lose one there.
   */
  async caseTwin(folder: string, name: string): Promise<string | undefined> {
    return caseTwinOf(await folderEntries(this.confined, folder), name);
  }

  /** Every regular file of the item folder `folder`, checked and capped (src/core/store/folder-files.ts). */
  async readFolderFiles(folder: string): Promise<FolderFiles> {
    try {
      return await readFolderFiles(this.confined, folder);
    } catch (error) {
      throw toStoreError(error, 'read', folder);
    }
  }

  /**
   * Makes one new item folder in `parent` from its files (an import). Under the parent's names
   * lock, `choose` sees the names there now (hidden and lock names left out) and picks the new
   * folder's name and files, or says to skip; the folder is built under a staging name beside its
   * place and renamed in once complete, so a failure leaves no half item.
   */
  async installFolder<T>(
    parent: string,
    choose: (names: string[]) => Promise<{ name: string; files: ReadonlyMap<string, Buffer>; result: T } | { skip: T }>,
  ): Promise<T> {
    await this.prepareWrite();
    return this.locked(parent, NAMES_LOCK, async () => {
      let opened: RootFolder;
      try {
        opened = await this.confined.openFolder(parent, true);
      } catch (error) {
        throw toStoreError(error, 'import into', parent);
      }
      try {
        const names = (await fs.readdir(opened.self)).filter(
          (name) => !name.startsWith('.') && !name.endsWith('.lock'),
        );
        const choice = await choose(names);
        if ('skip' in choice) return choice.skip;
        await installIn(opened, choice.name, choice.files).catch((error: unknown) => {
          throw toStoreError(error, 'import', path.join(parent, choice.name));
        });
        return choice.result;
      } finally {
        await opened.close();
      }
    });
  }

  /**
   * Removes what a crash in the middle of a rewrite or an import left in `folder`
   * (src/core/store/folder-listing.ts). Once per folder per DataFolder.
   */
  async removeStaleTemps(folder: string): Promise<void> {
    if (this.swept.has(folder)) return;
    this.swept.add(folder);
    await removeStaleTemps(this.confined, folder, this.logger);
  }

  /**
   * Runs `task` holding the lock of `lockTarget` (a file or folder inside the data folder; the
   * lock is `<lockTarget>.lock`). Creates the data folder and its `.gitignore` first.
   */
  async write<T>(lockTarget: string, task: (writer: StoreWriter) => Promise<T>): Promise<T> {
    const target = path.resolve(lockTarget);
    this.confined.segments(target);
    await this.prepareWrite();
    return this.locked(path.dirname(target), `${path.basename(target)}.lock`, () => task(this.writer));
  }

  /** The data folder checked (`.jan` itself may be a link out, so before anything is created), then made with its `.gitignore`. */
  private async prepareWrite(): Promise<void> {
    await this.confined.openRoot().then(
      (root) => root.close(),
      (error: unknown) => {
        if (codeOf(error) !== 'ENOENT') throw toStoreError(error, 'write in', this.root);
      },
    );
    await this.ensureRoot();
  }

  /**
   * Runs `task` holding the lock directory `lockName` in `folder`, which is opened (made when
   * missing), checked, and kept open meanwhile: the lock is taken and refreshed through it.
   */
  private async locked<T>(folder: string, lockName: string, task: () => Promise<T>): Promise<T> {
    let parent: RootFolder;
    try {
      parent = await this.confined.openFolder(folder, true);
    } catch (error) {
      throw toStoreError(error, 'create the folder', folder);
    }
    try {
      const key = path.join(folder, lockName).slice(0, -'.lock'.length);
      return await withPathLock(key, parent.entry(lockName), this.lockOptions, task);
    } finally {
      await parent.close();
    }
  }

  private ensureRoot(): Promise<void> {
    this.rootReady ??= this.createRoot().catch((error: unknown) => {
      this.rootReady = undefined;
      throw error;
    });
    return this.rootReady;
  }

  private async createRoot(): Promise<void> {
    try {
      await fs.mkdir(this.root, { recursive: true });
      await (await this.confined.openRoot()).close();
    } catch (error) {
      const code = codeOf(error);
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        throw new StoreError(
          'NOT_A_FOLDER',
          `Cannot use ${this.root} as the Jan data folder: it or a parent is a file, not a folder.`,
          this.root,
          { cause: error },
        );
      }
      throw toStoreError(error, 'create the data folder', this.root);
    }
    if (this.options.commitToGit) return;
    const gitignore = path.join(this.root, '.gitignore');
    try {
      await inCheckedFolder(this.confined, gitignore, 'write', (folder, name) =>
        createFileIn(folder, name, GITIGNORE_CONTENT),
      );
      this.logger.info(`Created ${gitignore} (threads stay out of git).`);
    } catch (error) {
      // Not fatal: the write that follows reports the real problem, about the file it concerns.
      const failure = toStoreError(error, 'write', gitignore);
      if (failure.code !== 'ALREADY_EXISTS') this.logger.warn(failure.message);
    }
  }

  /**
   * The one way an item folder is made (docs/ARCHITECTURE.md, "Portable ids"): its name is
   * claimed under the parent's names lock, so a case twin made at the same moment (here or in
   * another window) is seen. The folder itself may exist already (its file decides).
   */
  private async createFolder(folder: string, what: string): Promise<void> {
    const parent = path.dirname(path.resolve(folder));
    await this.locked(parent, NAMES_LOCK, () =>
      inCheckedFolder(
        this.confined,
        folder,
        'create the folder',
        async (opened, name) => {
          const twin = caseTwinOf(await fs.readdir(opened.self), name);
          if (twin)
            throw new StoreError(
              'ALREADY_EXISTS',
              `${what} "${name}" cannot be created: it and "${twin}" in ${parent} differ only in case, one folder on Windows and macOS.`,
              folder,
            );
          await fs.mkdir(opened.entry(name)).catch((error: unknown) => {
            if (codeOf(error) !== 'EEXIST') throw error;
          });
        },
        true,
      ),
    );
  }
}
