import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as v from 'valibot';
import { assertSafeId, newThreadId } from '@jan/core';
import { validate } from '@jan/validation';
import { isStoreScratch } from './thread-files';

export interface ImportedItem {
  /** The id in the source. */
  from: string;
  /** The id here: the same, or a new one when it clashed with a different thread or assistant. */
  to: string;
}

export interface ImportReport {
  threads: { imported: ImportedItem[]; skipped: Array<{ id: string; reason: string }> };
  assistants: { imported: ImportedItem[]; skipped: Array<{ id: string; reason: string }> };
}

const IdFile = v.looseObject({ id: v.string() });

/**
 * Copies the threads and assistants of a Jan data folder (Jan desktop's, or an unpacked `.jan`
 * archive) into `janFolder`. Nothing in the source is moved or changed. Every field and line is
 * kept as it is, unknown ones included; only an id that clashes with a different item here is
 * replaced (in thread.json / assistant.json, and in each message's `thread_id`). An item that
 * is already here unchanged is skipped, so importing twice adds nothing. Each item is written
 * to a scratch folder and renamed into place, so a failure leaves no half-imported thread.
 */
export async function importJanDataFolder(source: string, janFolder: string): Promise<ImportReport> {
  const kinds = await listFolders(source);
  if (!kinds.includes('threads') && !kinds.includes('assistants')) {
    throw new Error(`${source} does not look like a Jan data folder: it has no threads/ or assistants/ folder.`);
  }
  const report: ImportReport = { threads: { imported: [], skipped: [] }, assistants: { imported: [], skipped: [] } };
  for (const name of await listFolders(path.join(source, 'threads'))) {
    await importItem(path.join(source, 'threads', name), path.join(janFolder, 'threads'), threadKind, report.threads);
  }
  for (const name of await listFolders(path.join(source, 'assistants'))) {
    await importItem(
      path.join(source, 'assistants', name),
      path.join(janFolder, 'assistants'),
      assistantKind,
      report.assistants,
    );
  }
  return report;
}

interface ItemKind {
  file: string;
  /** A new id for `id`, which is taken here. */
  newId(id: string, taken: (candidate: string) => Promise<boolean>): Promise<string>;
  /** Rewrites the item's other files for its new id. */
  renameIn?(folder: string, id: string): Promise<void>;
}

const threadKind: ItemKind = {
  file: 'thread.json',
  newId: async (_id, taken) => {
    for (;;) {
      const candidate = newThreadId();
      if (!(await taken(candidate))) return candidate;
    }
  },
  renameIn: async (folder, id) => {
    const file = path.join(folder, 'messages.jsonl');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const lines = text.split('\n').map((line) => {
      try {
        const message: unknown = JSON.parse(line);
        if (typeof message === 'object' && message !== null && 'thread_id' in message)
          return JSON.stringify({ ...message, thread_id: id });
      } catch {
        // A line that does not parse is kept verbatim, as the store keeps it.
      }
      return line;
    });
    await writeFile(file, lines.join('\n'));
  },
};

const assistantKind: ItemKind = {
  file: 'assistant.json',
  newId: async (id, taken) => {
    for (let n = 2; ; n++) {
      const candidate = `${id}-${n}`;
      if (!(await taken(candidate))) return candidate;
    }
  },
};

async function importItem(
  sourceFolder: string,
  targetParent: string,
  kind: ItemKind,
  report: ImportReport['threads'],
): Promise<void> {
  const name = path.basename(sourceFolder);
  let text: string;
  let value: Record<string, unknown>;
  try {
    text = await readFile(path.join(sourceFolder, kind.file), 'utf8');
    const checked = validate(IdFile, JSON.parse(text));
    if (!checked.ok) throw new Error(checked.error);
    value = checked.value;
  } catch (error) {
    report.skipped.push({
      id: name,
      reason: `${kind.file} is missing or not valid (${(error as Error).message}); nothing was copied`,
    });
    return;
  }
  const id = value.id as string;
  const taken = (candidate: string) => exists(path.join(targetParent, candidate));
  let targetId = safeId(id) ?? (await kind.newId(name, taken));
  if (await taken(targetId)) {
    if (await sameFiles(sourceFolder, path.join(targetParent, targetId))) {
      report.skipped.push({ id, reason: 'already here, unchanged' });
      return;
    }
    targetId = await kind.newId(targetId, taken);
  }
  await mkdir(targetParent, { recursive: true });
  const scratch = await mkdtemp(path.join(path.dirname(targetParent), '.import-'));
  try {
    const folder = path.join(scratch, targetId);
    await copyFolder(sourceFolder, folder);
    if (targetId !== id) {
      await writeFile(path.join(folder, kind.file), `${JSON.stringify({ ...value, id: targetId }, null, 2)}\n`);
      await kind.renameIn?.(folder, targetId);
    }
    await rename(folder, path.join(targetParent, targetId));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  report.imported.push({ from: id, to: targetId });
}

function safeId(id: string): string | undefined {
  try {
    return assertSafeId(id, 'Imported');
  } catch {
    return undefined;
  }
}

/** Whether the item here has the same main file and messages as the source (an earlier import of it). */
async function sameFiles(a: string, b: string): Promise<boolean> {
  for (const file of ['thread.json', 'assistant.json', 'messages.jsonl']) {
    const [left, right] = await Promise.all([
      readFile(path.join(a, file), 'utf8').catch(() => null),
      readFile(path.join(b, file), 'utf8').catch(() => null),
    ]);
    if (left !== right) return false;
  }
  return true;
}

/** Copies files and folders only: a symlink in the source could point anywhere, so it is left out. */
async function copyFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (isStoreScratch(entry.name)) continue;
    if (entry.isDirectory()) await copyFolder(path.join(from, entry.name), path.join(to, entry.name));
    else if (entry.isFile()) await copyFile(path.join(from, entry.name), path.join(to, entry.name));
  }
}

async function listFolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
}

async function exists(file: string): Promise<boolean> {
  return readdir(file).then(
    () => true,
    () => false,
  );
}
