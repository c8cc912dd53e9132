import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { create } from 'tar';
import { DataFolder, writeFiles, openFolder } from '@jan/core';
import { extractBounded, statfsFreeSpace, type FreeSpaceReader } from './archive-extract';
import { importJanDataFolder } from './jan-data-import';
import type { ImportReport } from './jan-data-import';

/** What a `.jan` archive holds: the threads and the assistants (models stay in the models folder). */
const ARCHIVED = ['threads', 'assistants'];

export interface ImportOptions {
  /** Free bytes on the disk holding a folder (tests give a small one). */
  freeSpace?: FreeSpaceReader;
}

/**
 * The whole `.jan` folder as one gzipped tar; store locks and temp files are left out. Every item
 * is read through the store (regular files only: a link in `.jan` is neither followed nor
 * archived) into a scratch folder that is archived. Returns what it wrote.
 */
export async function exportJanArchive(janFolder: string, file: string): Promise<{ file: string; entries: number }> {
  const data = new DataFolder(janFolder);
  const scratch = await mkdtemp(path.join(tmpdir(), 'jan-export-'));
  try {
    const present: string[] = [];
    for (const kind of ARCHIVED) {
      const { names } = await data.listFolders(data.path(kind));
      for (const name of names) {
        const { files } = await data.readFolderFiles(data.path(kind, name));
        const folder = await openFolder(scratch);
        try {
          await writeFiles(
            folder,
            new Map([...files].map(([relative, bytes]) => [`${kind}/${name}/${relative}`, bytes])),
          );
        } finally {
          await folder.close();
        }
        if (!present.includes(kind)) present.push(kind);
      }
    }
    if (present.length === 0) throw new Error(`${janFolder} has no threads or assistants to export.`);
    let entries = 0;
    await create({ gzip: true, file, cwd: scratch, portable: true, onWriteEntry: () => void entries++ }, present);
    return { file, entries };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Imports an archive made by `exportJanArchive` (or any tar of a Jan data folder): it is unpacked
 * into a temporary folder with bounded work (src/node/portability/archive-extract.ts) and
 * imported from there like a Jan desktop folder.
 */
export async function importJanArchive(
  file: string,
  janFolder: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'jan-import-'));
  try {
    await extractBounded(file, scratch, janFolder, options.freeSpace ?? statfsFreeSpace);
    return await importJanDataFolder(scratch, janFolder);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `import <jan-data-folder|archive>`: a folder is a Jan data folder, a file an archive. */
export async function importJanData(
  source: string,
  janFolder: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new Error(`${source} does not exist.`);
  return info.isDirectory() ? importJanDataFolder(source, janFolder) : importJanArchive(source, janFolder, options);
}
