import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LlamaContextSequence } from 'node-llama-cpp';

const IDENTITY_FILE = 'identity.json';
const STATE_SUFFIX = '.state';

export interface SavedStatesOptions {
  /** The folder of this model's states (under the models folder's cache, never in `.jan`). */
  folder: string;
  /** What the states were evaluated with: a different model file or llama.cpp drops them all. */
  identity: Record<string, string | number>;
  /** The folder's states are deleted, least recently saved first, above this size. */
  maxBytes: number;
}

/**
 * Context sequence states of threads evicted from the chat pool, one file per session key, so a
 * thread that comes back is restored from disk instead of evaluated again. A state loaded into
 * another model can crash llama.cpp, so the folder is emptied whenever the identity (model file
 * path, size, modification time, llama.cpp release) differs from the one it was written with.
 */
export class SavedStates {
  private ready: Promise<void> | undefined;

  constructor(private readonly options: SavedStatesOptions) {}

  /** Saves the sequence's state for `sessionKey` (written aside and renamed: a torn file is never loaded). */
  async save(sessionKey: string, sequence: LlamaContextSequence): Promise<number> {
    await this.prepare();
    const file = this.fileOf(sessionKey);
    const partial = `${file}.partial`;
    const { fileSize } = await sequence.saveStateToFile(partial);
    await rename(partial, file);
    await this.enforceLimit();
    return fileSize;
  }

  /** Loads the saved state of `sessionKey` into `sequence` and deletes the file; the tokens restored, 0 when there was none. */
  async restore(sessionKey: string, sequence: LlamaContextSequence): Promise<number> {
    await this.prepare();
    const file = this.fileOf(sessionKey);
    try {
      await stat(file);
    } catch {
      return 0;
    }
    try {
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      return sequence.contextTokens.length;
    } catch {
      // Unusable (from a larger context, damaged): the thread is evaluated again instead.
      await sequence.clearHistory();
      return 0;
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Empties the folder when its states were written for another model file or llama.cpp. */
  prepare(): Promise<void> {
    this.ready ??= (async () => {
      const identity = JSON.stringify(this.options.identity);
      const written = await readFile(path.join(this.options.folder, IDENTITY_FILE), 'utf8').catch(() => undefined);
      if (written !== identity) {
        await rm(this.options.folder, { recursive: true, force: true });
        await mkdir(this.options.folder, { recursive: true });
        await writeFile(path.join(this.options.folder, IDENTITY_FILE), identity);
      }
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private fileOf(sessionKey: string): string {
    return path.join(
      this.options.folder,
      createHash('sha256').update(sessionKey).digest('hex').slice(0, 32) + STATE_SUFFIX,
    );
  }

  private async enforceLimit(): Promise<void> {
    const names = (await readdir(this.options.folder)).filter((name) => name.endsWith(STATE_SUFFIX));
    const files = await Promise.all(
      names.map(async (name) => {
        const file = path.join(this.options.folder, name);
        const stats = await stat(file);
        return { file, size: stats.size, mtime: stats.mtimeMs };
      }),
    );
    files.sort((a, b) => b.mtime - a.mtime);
    let total = 0;
    for (const entry of files) {
      total += entry.size;
      if (total > this.options.maxBytes) await rm(entry.file, { force: true });
    }
  }
}
