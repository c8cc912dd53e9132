import * as path from 'node:path';
import {
  DataFolder,
  capFor,
  errorMessage,
  isRecord,
  nameCandidates,
  ownField,
  parseKeeping,
  isSafeId,
  type FolderFiles,
} from '@jan/core';
import { renamedLines, renamedMain } from './item-rename';

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

type Section = ImportReport['threads'];

interface ItemKind {
  /** The folder the items are in (`threads`, `assistants`). */
  folder: string;
  /** The item's own file, with its id. */
  file: string;
  /** Its files for the id `id` (a rename rewrites the id where the item keeps it). */
  renamed(files: ReadonlyMap<string, Buffer>, id: string): Map<string, Buffer>;
}

const renameMain = (kind: Pick<ItemKind, 'file'>, files: ReadonlyMap<string, Buffer>, id: string) =>
  new Map(files).set(kind.file, renamedMain(files.get(kind.file)!, id));

const THREADS: ItemKind = {
  folder: 'threads',
  file: 'thread.json',
  renamed(files, id) {
    const out = renameMain(this, files, id);
    const lines = files.get('messages.jsonl');
    if (lines) out.set('messages.jsonl', renamedLines(lines, id));
    return out;
  },
};

const ASSISTANTS: ItemKind = {
  folder: 'assistants',
  file: 'assistant.json',
  renamed(files, id) {
    return renameMain(this, files, id);
  },
};

/**
 * Copies the threads and assistants of a Jan data folder (Jan desktop's, or an unpacked `.jan`
 * archive) into `janFolder`. Nothing in the source is moved or changed, and it is read like a
 * workspace's `.jan`: regular files only, links neither followed nor copied. Every field and line
 * is kept byte for byte; only an id that clashes here with a different item (in any case: one
 * folder on Windows and macOS), or that no platform-portable folder can carry, is replaced, by
 * the first of `id-2`, `id-3`, … that is free or already holds this very item, so importing the
 * same data again adds nothing. Each item is written to a staging folder and renamed into place
 * under the folder's names lock (src/core/data-folder.ts, `installFolder`).
 */
export async function importJanDataFolder(source: string, janFolder: string): Promise<ImportReport> {
  const from = new DataFolder(source, { rootAnywhere: true });
  const to = new DataFolder(janFolder);
  const kinds = (await from.listFolders(from.root)).names;
  if (!kinds.includes('threads') && !kinds.includes('assistants')) {
    throw new Error(`${source} does not look like a Jan data folder: it has no threads/ or assistants/ folder.`);
  }
  const report: ImportReport = { threads: { imported: [], skipped: [] }, assistants: { imported: [], skipped: [] } };
  for (const [kind, section] of [
    [THREADS, report.threads],
    [ASSISTANTS, report.assistants],
  ] as const) {
    const { names, warnings } = await from.listFolders(from.path(kind.folder));
    for (const warning of warnings)
      section.skipped.push({ id: path.basename(warning.path), reason: `${warning.message}; nothing was copied` });
    for (const name of names) await importItem(from, to, kind, name, section);
  }
  return report;
}

async function importItem(from: DataFolder, to: DataFolder, kind: ItemKind, name: string, section: Section) {
  let item: FolderFiles;
  let id: string;
  try {
    item = await from.readFolderFiles(from.path(kind.folder, name));
    id = idOf(item.files.get(kind.file));
  } catch (error) {
    section.skipped.push({
      id: name,
      reason: `${kind.file} is missing or not valid (${errorMessage(error)}); nothing was copied`,
    });
    return;
  }
  const imported = await to.installFolder<string | undefined>(to.path(kind.folder), async (names) => {
    const here = new Map(names.map((existing) => [existing.toLowerCase(), existing]));
    for (const candidate of idCandidates(id)) {
      const files = candidate === id ? item.files : kind.renamed(item.files, candidate);
      const existing = here.get(candidate.toLowerCase());
      if (existing === undefined) return { name: candidate, files, result: candidate };
      if (existing === candidate && (await sameItem(to, kind, candidate, files))) return { skip: undefined };
    }
    throw new Error('unreachable');
  });
  if (imported === undefined) section.skipped.push({ id, reason: 'already here, unchanged' });
  else section.imported.push({ from: id, to: imported });
}

/** The `id` of an item's main file. */
function idOf(bytes: Buffer | undefined): string {
  if (!bytes) throw new Error('the file is missing');
  const { value } = parseKeeping(bytes);
  const id = isRecord(value) ? ownField(value, 'id') : undefined;
  if (typeof id !== 'string') throw new Error('it has no string "id"');
  return id;
}

/** `id` when a folder can carry it, then the one folder-name rule's candidates from it. */
function* idCandidates(id: string): Generator<string> {
  const base = id.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '') || 'imported';
  if (isSafeId(id)) yield id;
  for (const candidate of nameCandidates(base, 128)) if (isSafeId(candidate)) yield candidate;
}

/** Whether the item `id` here holds these very files (an earlier import of the same data). */
async function sameItem(to: DataFolder, kind: ItemKind, id: string, files: ReadonlyMap<string, Buffer>) {
  for (const file of [kind.file, 'messages.jsonl']) {
    const here = await to.readBytes(to.path(kind.folder, id, file), capFor(file)).catch(() => undefined);
    const there = files.get(file);
    if (here === undefined || there === undefined ? here !== there : !here.equals(there)) return false;
  }
  return true;
}
