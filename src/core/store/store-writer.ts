/**
 * The writes of the store (src/core/data-folder.ts gives them out inside its lock): each opens
 * the folder it writes in, checked inside the root (src/core/store/confined-folder.ts), and names
 * the file through that open folder.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createFileIn, writeFileIn } from './atomic-file';
import type { ConfinedFolder, RootFolder } from './confined-folder';
import { toStoreError } from './errors';
import { APPEND_FLAGS, appendLine, joinJsonLines } from './json-lines';
import { stringifyKeeping, type JsonSource } from './raw-json';
import { assertWritable, removeTreeIn } from './remove-tree';

const codeOf = (error: unknown) => (error as { code?: string }).code;

/** The only way to write: obtained inside `DataFolder.write`, so every write holds the lock. */
export interface StoreWriter {
  /**
   * Atomic rewrite (temp + fsync + rename + fsync folder) of pretty JSON, as Jan writes it. With
   * the `source` the file was read with (`readJson`), every part of `value` still as read keeps
   * its bytes (big integers, invalid UTF-8, spelling).
   */
  writeJson(file: string, value: unknown, source?: JsonSource): Promise<void>;
  /** Like writeJson but fails with ALREADY_EXISTS instead of replacing a file. */
  createJson(file: string, value: unknown): Promise<void>;
  /** Atomic rewrite of a JSONL file from lines: raw bytes (kept verbatim) or new text. */
  rewriteLines(file: string, lines: ReadonlyArray<Buffer | string>): Promise<void>;
  /** Appends one JSON line with a single write call; the file's folder must exist. */
  appendJsonLine(file: string, value: unknown): Promise<void>;
  ensureFolder(folder: string): Promise<void>;
  /**
   * Creates the new folder `folder` under the lock of its parent's names: fails with
   * ALREADY_EXISTS when it, or a name differing only in case, is there (`what` names it).
   */
  createFolder(folder: string, what: string): Promise<void>;
  removeFolder(folder: string): Promise<void>;
}

/** Pretty JSON as Jan writes it; a value nested too deep for JSON.stringify is written without recursion. */
export function formatJson(value: unknown, source?: JsonSource): string | Buffer {
  if (!source) {
    try {
      return `${JSON.stringify(value, null, 2)}\n`;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  return Buffer.concat([stringifyKeeping(value, source, 2), Buffer.from('\n')]);
}

/** Runs `operation` on the checked folder of `file` and the file's name in it; failures say what could not be done. */
export async function inCheckedFolder(
  confined: ConfinedFolder,
  file: string,
  action: string,
  operation: (folder: RootFolder, name: string) => Promise<void>,
  create = false,
): Promise<void> {
  try {
    const folder = await confined.openFolder(path.dirname(path.resolve(file)), create);
    try {
      await operation(folder, path.basename(file));
    } finally {
      await folder.close();
    }
  } catch (error) {
    throw toStoreError(error, action, file);
  }
}

export function createStoreWriter(
  confined: ConfinedFolder,
  createFolder: (folder: string, what: string) => Promise<void>,
): StoreWriter {
  /** A rename replaces a read-only file and an unlink removes one (only the folder's mode counts): the file's own mode is asked first. */
  const replace = (action: string, file: string, data: string | Uint8Array) =>
    inCheckedFolder(confined, file, action, async (folder, name) => {
      await assertWritable(folder.entry(name), action, file);
      await writeFileIn(folder, name, data);
    });
  return {
    writeJson: (file, value, source) => replace('write', file, formatJson(value, source)),
    createJson: (file, value) =>
      inCheckedFolder(confined, file, 'create', (folder, name) => createFileIn(folder, name, formatJson(value))),
    rewriteLines: (file, lines) => replace('write', file, joinJsonLines(lines)),
    appendJsonLine: (file, value) =>
      inCheckedFolder(confined, file, 'append to', async (folder, name) => {
        const handle = await confined.openIn(folder, name, APPEND_FLAGS, 0o666, file);
        try {
          await appendLine(handle, file, JSON.stringify(value));
        } finally {
          await handle.close();
        }
      }),
    ensureFolder: async (folder) => {
      try {
        await (await confined.openFolder(folder, true)).close();
      } catch (error) {
        throw toStoreError(error, 'create the folder', folder);
      }
    },
    createFolder,
    removeFolder: (folder) =>
      inCheckedFolder(confined, folder, 'delete', async (parent, name) => {
        const opened = await confined.openFolder(folder).catch((error: unknown) => {
          if (codeOf(error) === 'ENOENT') return undefined;
          throw error;
        });
        if (!opened) return;
        try {
          for (const entry of await fs.readdir(opened.self))
            await assertWritable(opened.entry(entry), 'delete', path.join(folder, entry));
        } finally {
          await opened.close();
        }
        await removeTreeIn(parent, name, folder);
      }),
  };
}
