import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryLogger } from '@jan/core';
import { JanRuntime, type RuntimeOptions } from '../../src/node/runtime';

export interface TempRuntime {
  runtime: JanRuntime;
  logger: MemoryLogger;
  /** Stops the runtime and removes its folder. */
  dispose(): Promise<void>;
}

/**
 * The real runtime over a fresh temp `.jan` and models folder, started, with no model worker (the
 * test registers the engines it needs); `options` add to or replace the defaults.
 */
export async function tempRuntime(options: Partial<RuntimeOptions> = {}): Promise<TempRuntime> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-runtime-'));
  const logger = new MemoryLogger();
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: path.join(root, 'no-worker.mjs'),
    downloadWorkerPath: path.join(root, 'no-downloads.mjs'),
    ...options,
  });
  await runtime.start();
  return {
    runtime,
    logger,
    dispose: async () => {
      await runtime.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
