import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { create, extract } from 'tar';
import { importJanDataFolder } from './jan-data-import';
import type { ImportReport } from './jan-data-import';
import { isStoreScratch } from './thread-files';

/** What a `.jan` archive holds: the threads and the assistants (models stay in the models folder). */
const ARCHIVED = ['threads', 'assistants'];

/** The whole `.jan` folder as one gzipped tar; store locks and temp files are left out. Returns what it wrote. */
export async function exportJanArchive(janFolder: string, file: string): Promise<{ file: string; entries: number }> {
  const present = (await readdir(janFolder).catch(() => [] as string[])).filter((name) => ARCHIVED.includes(name));
  if (present.length === 0) throw new Error(`${janFolder} has no threads or assistants to export.`);
  let entries = 0;
  await create(
    {
      gzip: true,
      file,
      cwd: janFolder,
      portable: true,
      filter: (entry) => {
        const keep = !isStoreScratch(path.basename(entry));
        if (keep) entries++;
        return keep;
      },
    },
    present,
  );
  return { file, entries };
}

/**
 * Imports an archive made by `exportJanArchive` (or any tar of a Jan data folder): it is unpacked
 * into a temporary folder (files and folders only: links and devices are refused, paths cannot
 * leave it) and imported from there like a Jan desktop folder.
 */
export async function importJanArchive(file: string, janFolder: string): Promise<ImportReport> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'jan-import-'));
  try {
    await extract({
      file,
      cwd: scratch,
      strict: true,
      filter: (_entry, info) =>
        'type' in info ? info.type === 'File' || info.type === 'Directory' : info.isFile() || info.isDirectory(),
    }).catch((error: unknown) => {
      throw new Error(`${file} is not a readable archive: ${(error as Error).message}`);
    });
    return await importJanDataFolder(scratch, janFolder);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `import <jan-data-folder|archive>`: a folder is a Jan data folder, a file an archive. */
export async function importJanData(source: string, janFolder: string): Promise<ImportReport> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new Error(`${source} does not exist.`);
  return info.isDirectory() ? importJanDataFolder(source, janFolder) : importJanArchive(source, janFolder);
}
