import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JanCore, MemoryLogger } from '@jan/core';
import { JanModelsExtension, type JanModelsOptions } from '../../../../extensions/models';

export { STORIES, STORIES_FIM, STORIES_SHA256, TINYSTORIES } from '../../../support/test-models';

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
