import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryLogger } from '@jan/core';
import { JanRuntime, type RuntimeOptions } from '../../../src/node/runtime';
import { editorSettings } from '../../../src/vscode/settings';
import { ScriptedEngine } from '../../support/scripted-engine';

/**
 * The real runtime over a temp folder, reading its model choices from the stand-in's settings
 * (`jan.chatModel`, `jan.completionModel`), with a scripted engine that lists `chat-1` and
 * `coder-1` in place of a model server.
 */
export async function adapterRuntime(
  options: { downloadWorkerPath?: string; threadAccess?: RuntimeOptions['threadAccess'] } = {},
): Promise<{ runtime: JanRuntime; engine: ScriptedEngine; logger: MemoryLogger; dispose(): Promise<void> }> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-adapters-'));
  const logger = new MemoryLogger();
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: path.join(root, 'no-worker.mjs'),
    downloadWorkerPath: options.downloadWorkerPath ?? path.join(root, 'no-downloads.mjs'),
    settings: editorSettings(),
    ...(options.threadAccess ? { threadAccess: options.threadAccess } : {}),
  });
  await runtime.start();
  const engine = new ScriptedEngine({ id: 'scripted', models: ['chat-1', 'coder-1'] });
  runtime.core.engines.register(engine);
  return {
    runtime,
    engine,
    logger,
    dispose: async () => {
      await runtime.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
