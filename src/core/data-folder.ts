import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from './logger';
import { errorMessage, silentLogger } from './logger';
import { createFileAtomic, isOwnTempName, writeFileAtomic } from './store/atomic-file';
import { StoreError, readOnlyError, toStoreError } from './store/errors';
import type { BatchJsonFileResult, JsonFileResult } from './store/json-file';
import { readJsonFile, readJsonFiles } from './store/json-file';
import type { JsonLinesFile } from './store/json-lines';
import { appendJsonLine, joinJsonLines, readJsonLines } from './store/json-lines';
import { linkEscape, linkEscapeSync } from './store/links';
import { withPathLock } from './store/path-lock';
import type { StoreWarning } from './extension-types';

export interface DataFolderOptions {
  logger?: Logger;
  /** Keep threads in git: no `.gitignore` is written (setting `jan.threads.commitToGit`). */
  commitToGit?: boolean;
  /** A lock not refreshed for this long is from a dead process and is taken over. Default 10 s (min 2 s). */
  lockStaleMs?: number;
  /** How long a write waits for another live process's lock. Default 30 s. */
  lockTimeoutMs?: number;
}

export const GITIGNORE_CONTENT = [
  '# Written by Jan for VS Code: chat threads stay out of git.',
  '# To commit them, set "jan.threads.commitToGit" and delete this file.',
  'threads/',
  '*.lock/',
  '.*.tmp',
  '',
].join('\n');

/** A temp file older than this is from a write that was interrupted (a rewrite takes milliseconds). */
const STALE_TEMP_MS = 60_000;

const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Names Windows keeps for devices in every folder, whatever the case and whatever follows the first dot (`con.txt` is CON). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** Why Windows cannot hold `name` as a folder, or undefined. */
export function windowsNameProblem(name: string): string | undefined {
  if (/[. ]$/.test(name)) return 'Windows drops a trailing dot or space, so it names another folder there';
  if (/[<>:"/\\|?*\u0000-\u001f]/.test(name)) return 'it holds a character Windows forbids in names';
  const device = name.split('.')[0]!.trimEnd();
  if (WINDOWS_DEVICE.test(device)) return `"${device}" is a device name there`;
  return undefined;
}

/**
 * Ids become folder names: no separators, no `..`, none of the store's own suffixes, and nothing
 * Windows cannot hold, on every platform, so a `.jan` folder made on Linux opens on Windows.
 */
export function assertSafeId(id: string, what: string): string {
  if (!SAFE_ID.test(id) || id.endsWith('.lock') || id.endsWith('.tmp')) {
    throw new StoreError(
      'INVALID_ID',
      `${what} id ${JSON.stringify(id)} is not a valid folder name (letters, digits, "_", "-", "."; up to 128).`,
    );
  }
  const problem = windowsNameProblem(id);
  if (problem) {
    throw new StoreError(
      'INVALID_ID',
      `${what} id ${JSON.stringify(id)} cannot be used: a folder named so cannot be opened on Windows (${problem}).`,
    );
  }
  return id;
}

/** The only way to write: obtained inside `DataFolder.write`, so every write holds the lock. */
export interface StoreWriter {
  /** Atomic rewrite (temp + fsync + rename + fsync folder) of pretty JSON, as Jan writes it. */
  writeJson(file: string, value: unknown): Promise<void>;
  /** Like writeJson but fails with ALREADY_EXISTS instead of replacing a file. */
  createJson(file: string, value: unknown): Promise<void>;
  /** Atomic rewrite of a JSONL file from lines: raw bytes (kept verbatim) or new text. */
  rewriteLines(file: string, lines: ReadonlyArray<Buffer | string>): Promise<void>;
  /** Appends one JSON line with a single write call; the file's folder must exist. */
  appendJsonLine(file: string, value: unknown): Promise<void>;
  ensureFolder(folder: string): Promise<void>;
  removeFolder(folder: string): Promise<void>;
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The `.jan` folder every extension reads and writes through (docs/ARCHITECTURE.md, "Durability rules"). Reads never write;
 * writes are atomic or single-line appends, serialized per lock target within the process and
 * across processes, and the folder (with its `.gitignore`) is created on the first write only.
 */
export class DataFolder {
  readonly root: string;
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
    this.logger = options.logger ?? silentLogger;
    this.lockOptions = {
      staleMs: Math.max(options.lockStaleMs ?? 10_000, 2_000),
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      logger: this.logger,
    };
    this.writer = this.createWriter();
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

  async readJson(file: string): Promise<JsonFileResult> {
    try {
      return await readJsonFile(await this.real(file));
    } catch (error) {
      throw toStoreError(error, 'read', file);
    }
  }

  /**
   * Many small JSON files at once (listing) in folders `listFolders` returned (it checked them for
   * links); a file that cannot be opened, or is itself a link out, is reported, not thrown.
   */
  readJsonFiles(files: readonly string[]): Promise<BatchJsonFileResult[]> {
    return readJsonFiles(
      files.map((file) => this.inside(file)),
      (file) => linkEscapeSync(this.root, file)?.message,
    );
  }

  async readJsonLines(file: string): Promise<JsonLinesFile> {
    try {
      return await readJsonLines(await this.real(file));
    } catch (error) {
      throw toStoreError(error, 'read', file);
    }
  }

  async exists(target: string): Promise<boolean> {
    return fs.lstat(this.inside(target)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Sub-folder names of `folder` (none if it is missing), without hidden and lock folders. A link
   * that leaves the data folder (or `folder` itself being one) is a warning, never followed.
   */
  async listFolders(folder: string): Promise<{ names: string[]; warnings: StoreWarning[] }> {
    const warnings: StoreWarning[] = [];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(await this.real(folder), { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return { names: [], warnings };
      if (error instanceof StoreError && error.code === 'NOT_ALLOWED')
        return { names: [], warnings: [{ path: error.path!, message: error.message }] };
      throw toStoreError(error, 'list', folder);
    }
    const names: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.endsWith('.lock')) continue;
      if (entry.isSymbolicLink()) {
        const full = path.join(folder, entry.name);
        const refusal = await linkEscape(this.root, full);
        if (refusal) warnings.push({ path: full, message: refusal.message });
        else if (
          await fs.stat(full).then(
            (stat) => stat.isDirectory(),
            () => false,
          )
        )
          names.push(entry.name);
      } else if (entry.isDirectory()) names.push(entry.name);
    }
    return { names, warnings };
  }

  /**
   * Another entry of `folder` whose name differs from `name` only in case: Windows and macOS
   * keep one folder for both, so a `.jan` made on Linux with both would lose one there.
   */
  async caseTwin(folder: string, name: string): Promise<string | undefined> {
    const lower = name.toLowerCase();
    const names = await fs.readdir(await this.real(folder)).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw toStoreError(error, 'list', folder);
    });
    return names.find((entry) => entry !== name && entry.toLowerCase() === lower);
  }

  /**
   * Removes what a crash in the middle of a rewrite left in `folder`: files with our own temp
   * name (src/core/store/atomic-file.ts) not touched for a minute, so a rewrite running in
   * another window right now keeps its file. The one change a read makes; once per folder per
   * DataFolder, best effort: a read-only folder or a link out of the data folder is left alone.
   */
  async removeStaleTemps(folder: string): Promise<void> {
    if (this.swept.has(folder)) return;
    this.swept.add(folder);
    try {
      const real = await this.real(folder);
      const cutoff = Date.now() - STALE_TEMP_MS;
      for (const entry of await fs.readdir(real, { withFileTypes: true })) {
        if (!entry.isFile() || !isOwnTempName(entry.name)) continue;
        const temp = path.join(real, entry.name);
        const { mtimeMs } = await fs.lstat(temp);
        if (mtimeMs >= cutoff) continue;
        await fs.unlink(temp);
        this.logger.info(`Removed ${temp}, left by an interrupted write.`);
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (error instanceof StoreError || code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
        return;
      this.logger.warn(`Could not clean up temp files in ${folder}: ${errorMessage(error)}`);
    }
  }

  /**
   * Runs `task` holding the lock of `lockTarget` (a file or folder inside the data folder; the
   * lock is `<lockTarget>.lock`). Creates the data folder and its `.gitignore` first.
   */
  async write<T>(lockTarget: string, task: (writer: StoreWriter) => Promise<T>): Promise<T> {
    // Checked before the folder and its .gitignore are created: `.jan` itself may be a link out.
    const target = await this.real(lockTarget);
    await this.ensureRoot();
    return withPathLock(target, this.lockOptions, () => task(this.writer));
  }

  /** `target` checked by its text and then on disk: no symbolic link on its way leaves the data folder. */
  private async real(target: string): Promise<string> {
    const inside = this.inside(target);
    const refusal = await linkEscape(this.root, inside);
    if (refusal) throw refusal;
    return inside;
  }

  private inside(target: string): string {
    const resolved = path.resolve(target);
    if (resolved !== this.root && !resolved.startsWith(this.root + path.sep)) {
      throw new StoreError('INVALID_ID', `${target} is outside the data folder ${this.root}.`, target);
    }
    return resolved;
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
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        throw new StoreError(
          'NOT_A_FOLDER',
          `Cannot use ${this.root} as the Jan data folder: it or a parent is a file, not a folder.`,
          this.root,
          {
            cause: error,
          },
        );
      }
      throw toStoreError(error, 'create the data folder', this.root);
    }
    if (this.options.commitToGit) return;
    const gitignore = path.join(this.root, '.gitignore');
    try {
      await createFileAtomic(gitignore, GITIGNORE_CONTENT);
      this.logger.info(`Created ${gitignore} (threads stay out of git).`);
    } catch (error) {
      // Not fatal: the write that follows reports the real problem, about the file it concerns.
      const failure = toStoreError(error, 'write', gitignore);
      if (failure.code !== 'ALREADY_EXISTS') this.logger.warn(failure.message);
    }
  }

  private createWriter(): StoreWriter {
    const run = async (action: string, file: string, operation: (resolved: string) => Promise<void>) => {
      try {
        await operation(await this.real(file));
      } catch (error) {
        throw toStoreError(error, action, file);
      }
    };
    /** A rename replaces a read-only file and an unlink removes one (only the folder's mode counts): the file's own mode is asked first. */
    const replace = (action: string, file: string, write: (resolved: string) => Promise<void>) =>
      run(action, file, async (resolved) => {
        await assertWritable(resolved, action, file);
        await write(resolved);
      });
    return {
      writeJson: (file, value) => replace('write', file, (resolved) => writeFileAtomic(resolved, formatJson(value))),
      createJson: (file, value) => run('create', file, (resolved) => createFileAtomic(resolved, formatJson(value))),
      rewriteLines: (file, lines) =>
        replace('write', file, (resolved) => writeFileAtomic(resolved, joinJsonLines(lines))),
      appendJsonLine: (file, value) =>
        run('append to', file, (resolved) => appendJsonLine(resolved, JSON.stringify(value))),
      ensureFolder: (folder) =>
        run('create the folder', folder, async (resolved) => void (await fs.mkdir(resolved, { recursive: true }))),
      removeFolder: (folder) =>
        run('delete', folder, async (resolved) => {
          const names = await fs.readdir(resolved).catch(() => []);
          for (const name of names) await assertWritable(path.join(resolved, name), 'delete', path.join(folder, name));
          await fs.rm(resolved, { recursive: true, force: true });
        }),
    };
  }
}

/** Fails with READ_ONLY when `resolved` exists and its own mode (or attribute) refuses writing. */
async function assertWritable(resolved: string, action: string, file: string): Promise<void> {
  try {
    await fs.access(resolved, constants.W_OK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw readOnlyError(action, file, code);
    if (code !== 'ENOENT') throw error;
  }
}
