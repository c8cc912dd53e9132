import * as path from 'node:path';
import { JanSettings, silentLogger, type Logger, type SettingKey, type SettingsSource } from '@jan/core';
import { sharedModelsFolder } from '../models-folder';
import { JanRuntime } from '../runtime';

/** The options every command shares (`--data`, `--models`, engine settings, output), validated by commander. */
export interface GlobalOptions {
  data?: string;
  models?: string;
  threads?: number;
  gpu?: 'auto' | 'off';
  contextSize?: number;
  json?: boolean;
  verbose?: boolean;
}

/**
 * With --verbose, every log line goes to stderr (stdout is the command's output). Without it the
 * log is quiet: a command reports its own failure once (main.ts), never also as a log line.
 */
function stderrLogger(verbose: boolean): Logger {
  if (!verbose) return silentLogger;
  const write = (level: string, message: string | Error) =>
    process.stderr.write(`[${level}] ${message instanceof Error ? message.message : message}\n`);
  return {
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

/** Jan's settings from the command's flags (bounded by the same registry as the editor's settings). */
function flagSettings(options: GlobalOptions, chosenModel?: () => string | undefined): SettingsSource {
  const flags: { [K in SettingKey]?: () => unknown } = {
    'jan.chatModel': () => chosenModel?.(),
    'jan.engine.threads': () => (options.threads === undefined ? undefined : Number(options.threads)),
    'jan.engine.gpu': () => options.gpu,
    'jan.engine.contextSize': () => (options.contextSize === undefined ? undefined : Number(options.contextSize)),
    // A CLI process ends with its command: no idle unload timer should keep it alive.
    'jan.engine.idleUnloadMinutes': () => 0,
  };
  return { levels: (key) => ({ user: flags[key]?.() }) };
}

/** The `.jan` folder of `--data` (default `./.jan`). */
export function janFolderOf(options: GlobalOptions): string {
  return path.resolve(options.data ?? '.jan');
}

/**
 * The same runtime the editor runs (src/node/runtime.ts) over `--data` and `--models` (default:
 * the folder every editor shares); the worker bundles sit beside this one in dist/.
 */
export async function openRuntime(options: GlobalOptions, chosenModel?: () => string | undefined): Promise<JanRuntime> {
  const logger = stderrLogger(options.verbose ?? false);
  const runtime = new JanRuntime({
    janFolder: janFolderOf(options),
    modelsFolder: path.resolve(options.models ?? sharedModelsFolder()),
    logger,
    workerPath: path.join(__dirname, 'llamacpp-worker.mjs'),
    downloadWorkerPath: path.join(__dirname, 'model-download.mjs'),
    settings: new JanSettings(flagSettings(options, chosenModel), { warn: (text) => logger.warn(text) }),
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
