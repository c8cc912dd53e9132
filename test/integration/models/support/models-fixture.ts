import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JanCore, MemoryLogger } from '@jan/core';
import { JanModelsExtension, type JanModelsOptions } from '../../../../extensions/models';

export const SHARED_MODELS = path.resolve(__dirname, '../../../../../shared/models');
export const STORIES = path.join(SHARED_MODELS, 'stories260K.gguf');
export const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
export const STORIES_FIM = path.join(SHARED_MODELS, 'stories260K-chatml-fim.gguf');
export const TINYSTORIES = path.join(SHARED_MODELS, 'TinyStories-656K-Q8_0.gguf');

export interface ModelsFixture {
  root: string;
  modelsFolder: string;
  core: JanCore;
  logger: MemoryLogger;
  models: JanModelsExtension;
  /** A second extension over the same folder, as after a restart. */
  reopen(): JanModelsExtension;
  /** Names in the models folder (dot-folders included). */
  listFolder(): Promise<string[]>;
  dispose(): Promise<void>;
}

export async function createModelsFixture(options: Partial<JanModelsOptions> = {}): Promise<ModelsFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'jan-models-'));
  const modelsFolder = path.join(root, 'models');
  const logger = new MemoryLogger();
  const core = new JanCore({ janFolder: path.join(root, '.jan'), modelsFolder, logger });
  const make = () => new JanModelsExtension(core.context, { downloadWorkerPath: '', ...options });
  return {
    root,
    modelsFolder,
    core,
    logger,
    models: make(),
    reopen: make,
    listFolder: async () => (await readdir(modelsFolder).catch(() => [] as string[])).sort(),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
