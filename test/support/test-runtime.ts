import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JanSettings, MemoryLogger, MemorySettings } from '@jan/core';
import type { SettingKey, Thread } from '@jan/core';
import { JanRuntime } from '../../src/node/runtime';

export interface TestRuntime {
  root: string;
  runtime: JanRuntime;
  /** Sets one of Jan's settings as the user would; the runtime follows (the engine's at its next request). */
  set(key: SettingKey, value: unknown): void;
  /** Stops the runtime and deletes its folders. */
  dispose(): Promise<void>;
}

/**
 * The runtime a user runs (src/node/runtime.ts) on a fresh temporary `.jan` and models folder
 * (or `root`'s, to open it again), with the llama.cpp worker bundle and the given settings (a
 * function: read at each use); started.
 */
export async function openTestRuntime(options: {
  prefix: string;
  workerPath: string;
  settings: { [K in SettingKey]?: unknown };
  root?: string;
}): Promise<TestRuntime> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), options.prefix));
  const source = new MemorySettings(options.settings);
  // A function is a getter read at each use (a setting the test's editor stand-in owns).
  const settings = new JanSettings({
    levels: (key) => {
      const { user } = source.levels(key);
      return { user: typeof user === 'function' ? (user as () => unknown)() : user };
    },
    onDidChange: (listener) => source.onDidChange(listener),
  });
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: options.workerPath,
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings,
  });
  const failures = await runtime.start();
  if (failures.length > 0) throw new Error(`extensions failed to start: ${JSON.stringify(failures)}`);
  return {
    root,
    runtime,
    set: (key, value) => source.set(key, value),
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
