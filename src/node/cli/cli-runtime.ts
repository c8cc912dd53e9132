import * as path from 'node:path';
import type { Logger } from '@jan/core';
import { JanRuntime } from '../runtime';
import { sharedModelsFolder } from '../models-folder';

/** The options every command shares (`--data`, `--models`, engine settings). */
export interface GlobalOptions {
  data?: string;
  models?: string;
  threads?: string;
  gpu?: string;
  contextSize?: string;
  verbose?: boolean;
}

/** Log lines go to stderr (stdout is the command's output), and only warnings unless --verbose. */
function stderrLogger(verbose: boolean): Logger {
  const write = (level: string, message: string | Error) =>
    process.stderr.write(`[${level}] ${message instanceof Error ? message.message : message}\n`);
  return {
    debug: (message) => verbose && write('debug', message),
    info: (message) => verbose && write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

/**
 * The same runtime the editor runs (src/node/runtime.ts) over `--data` (default `./.jan`) and
 * `--models` (default: the editor's models folder); the worker bundles sit beside this one in dist/.
 */
export async function openRuntime(options: GlobalOptions, chosenModel?: () => string | undefined): Promise<JanRuntime> {
  const engineSettings: Record<string, string | number> = {};
  if (options.threads !== undefined) engineSettings.threads = Number(options.threads);
  if (options.gpu !== undefined) engineSettings.gpu = options.gpu;
  if (options.contextSize !== undefined) engineSettings.contextSize = Number(options.contextSize);
  // A CLI process ends with its command: no idle unload timer should keep it alive.
  engineSettings.idleUnloadMinutes = 0;
  const runtime = new JanRuntime({
    janFolder: path.resolve(options.data ?? '.jan'),
    modelsFolder: path.resolve(options.models ?? sharedModelsFolder()),
    logger: stderrLogger(options.verbose ?? false),
    workerPath: path.join(__dirname, 'llamacpp-worker.mjs'),
    downloadWorkerPath: path.join(__dirname, 'model-download.mjs'),
    chosenModelId: (purpose) => (purpose === 'chat' ? chosenModel?.() : undefined),
    engineSettings,
  });
  const failures = await runtime.start();
  if (failures.length > 0) {
    await runtime.stop();
    throw new Error(`The ${failures[0]!.name} extension failed to start: ${failures[0]!.error}`);
  }
  return runtime;
}

/** Runs `work` on an open runtime and always stops it (the worker process ends with it). */
export async function withRuntime<T>(
  options: GlobalOptions,
  work: (runtime: JanRuntime) => Promise<T>,
  chosenModel?: () => string | undefined,
): Promise<T> {
  const runtime = await openRuntime(options, chosenModel);
  try {
    return await work(runtime);
  } finally {
    await runtime.stop();
  }
}
