import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemoryLogger } from '@jan/core';
import type { ModelPurpose, Thread } from '@jan/core';
import { JanRuntime } from '../../src/node/runtime';

export interface TestRuntime {
  root: string;
  runtime: JanRuntime;
  /** Stops the runtime and deletes its folders. */
  dispose(): Promise<void>;
}

/**
 * The runtime a user runs (src/node/runtime.ts) on a fresh temporary `.jan` and models folder,
 * with the llama.cpp worker bundle and the given engine settings; started.
 */
export async function openTestRuntime(options: {
  prefix: string;
  workerPath: string;
  engineSettings: Record<string, string | number>;
  chosenModelId?: (purpose: ModelPurpose) => string | undefined;
  root?: string;
}): Promise<TestRuntime> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), options.prefix));
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: options.workerPath,
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    chosenModelId: options.chosenModelId,
    engineSettings: options.engineSettings,
  });
  const failures = await runtime.start();
  if (failures.length > 0) throw new Error(`extensions failed to start: ${JSON.stringify(failures)}`);
  return {
    root,
    runtime,
    dispose: async () => {
      await runtime.stop();
      if (!options.root) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A thread of the default assistant on the chosen chat model, greedy, at most `maxTokens` a reply. */
export async function newThread(
  runtime: JanRuntime,
  options: { maxTokens?: number; settings?: Record<string, number>; instructions?: string } = {},
): Promise<Thread> {
  const { assistants } = await runtime.assistants.listAssistants();
  const jan = assistants[0]!;
  return runtime.conversational.createThread({
    assistants: [
      {
        assistant_id: jan.id,
        assistant_name: jan.name,
        instructions: options.instructions ?? jan.instructions,
        model: {
          id: '*',
          engine: 'llamacpp',
          settings: options.settings ?? {},
          parameters: { max_tokens: options.maxTokens ?? 16, temperature: 0 },
        },
      },
    ],
  });
}
