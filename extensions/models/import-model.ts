import type { Model } from '@jan/core';
import * as path from 'node:path';
import { ensureFreeSpace, type FreeSpaceReader } from './disk-space';
import { copyFileWithProgress } from './file-copy';
import { readGgufHeader } from './gguf-header';
import { modelIdFromFileName, modelNameFromFileName } from './model-id';
import { buildModelRecord } from './model-record';
import type { ModelStore } from './model-store';

export interface ImportOptions {
  /** `reference`: use the file where it is (never moved or deleted); `copy`: copy it into the models folder. */
  mode: 'reference' | 'copy';
  name?: string;
  onProgress?(copiedBytes: number, totalBytes: number): void;
  signal?: AbortSignal;
}

/**
 * Imports a local GGUF. The file is checked first, so a bad file leaves nothing behind; after
 * that, any failure (or a cancelled copy) removes the new model folder.
 */
export async function importGguf(
  store: ModelStore,
  freeSpace: FreeSpaceReader,
  sourcePath: string,
  options: ImportOptions,
): Promise<Model> {
  const source = path.resolve(sourcePath);
  const fileName = path.basename(source);
  const header = await readGgufHeader(source);
  if (options.mode === 'copy') await ensureFreeSpace(store.root, header.fileSize, freeSpace, `a copy of "${fileName}"`);

  const { id, folder } = await store.createFolder(modelIdFromFileName(fileName));
  try {
    if (options.mode === 'copy') {
      await copyFileWithProgress(source, path.join(folder, fileName), header.fileSize, options);
    }
    const model = buildModelRecord({
      id,
      name: options.name ?? modelNameFromFileName(fileName),
      description: options.mode === 'copy' ? `Imported from ${source}` : `Used in place from ${source}`,
      modelPath: options.mode === 'copy' ? fileName : source,
      source: { filename: fileName, url: source },
      header,
      tags: ['imported'],
    });
    await store.writeModel(folder, model);
    return model;
  } catch (error) {
    await store.removeFolder(folder);
    throw error;
  }
}
