/**
 * The Node entry of the SDK (`require('jan-vscode/sdk')`, dist/sdk.js; docs/EXTENDING.md): the
 * runtime the editor runs, over a `.jan` folder and a models folder, with the public API on top.
 * Its declarations are sdk/jan-api.d.ts (checked in; `npm run api-declarations` writes them).
 */
import * as path from 'node:path';
import { JanSettings, MemorySettings, SETTING_KEYS, type JanApi, type Logger, type SettingKey } from '@jan/core';
import { sharedModelsFolder } from '../models-folder';
import { JanRuntime } from '../runtime';

export * from '../../core/api/types';
export { JAN_API_VERSION } from '../../core/api/version';
export { JanApiError, type JanApiErrorCode } from '../../core/api/errors';
export type { ApiCaller, CallerActivity, ApiRegistration, ApiUse, RegistrationKind } from '../../core/api/caller';
export { EngineError, ON_THIS_MACHINE, type EngineErrorCode } from '../../core/engines';
export type { Disposable } from '../../core/events';

export interface CreateJanRuntimeOptions {
  /** The `.jan` folder whose threads and assistants the program reads and writes. */
  dataFolder: string;
  /** Where models are (`<model-id>/model.json` + GGUF); default: the folder the editor and the CLI share. */
  modelsFolder?: string;
  /**
   * Jan's settings by key (package.json `contributes.configuration`: `jan.chatModel`,
   * `jan.engine.contextSize`, `jan.chat.maxTokens`…), bounded like the editor's; the rest keep
   * their defaults. An unknown key is refused. Models stay loaded until `close()`.
   */
  settings?: { [key: `jan.${string}`]: unknown };
  /** The program's name, as `caller.displayName`; default `Node program`. */
  name?: string;
  /** Where Jan's log lines go; default: warnings and errors to stderr. */
  logger?: Logger;
  /** The folder an assistant's always-in-context files are read from. */
  workspaceRoot?: string;
}

/** The public API over a running runtime; `close()` stops the model worker and unloads everything. */
export interface JanRuntimeHandle extends JanApi {
  close(): Promise<void>;
}

const stderrWarnings: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => process.stderr.write(`[jan] ${String(message)}\n`),
  error: (message) => process.stderr.write(`[jan] ${message instanceof Error ? message.message : message}\n`),
};

/** Starts Jan's runtime for a program; the llama.cpp worker starts with the first request that needs a model. */
export async function createJanRuntime(options: CreateJanRuntimeOptions): Promise<JanRuntimeHandle> {
  if (typeof options?.dataFolder !== 'string' || !options.dataFolder.trim())
    throw new TypeError('createJanRuntime: dataFolder must name the .jan folder to use.');
  const unknown = Object.keys(options.settings ?? {}).filter((key) => !SETTING_KEYS.includes(key as SettingKey));
  if (unknown.length > 0) throw new TypeError(`createJanRuntime: unknown setting ${unknown.join(', ')}.`);
  const logger = options.logger ?? stderrWarnings;
  const runtime = new JanRuntime({
    janFolder: path.resolve(options.dataFolder),
    modelsFolder: path.resolve(options.modelsFolder ?? sharedModelsFolder()),
    logger,
    workerPath: path.join(__dirname, 'llamacpp-worker.mjs'),
    downloadWorkerPath: path.join(__dirname, 'model-download.mjs'),
    settings: new JanSettings(new MemorySettings(options.settings as { [K in SettingKey]?: unknown }), {
      warn: (text) => logger.warn(text),
    }),
    workspaceRoot: options.workspaceRoot,
  });
  const failures = await runtime.start();
  if (failures.length > 0) {
    await runtime.stop();
    throw new Error(`Jan's ${failures[0]!.name} extension failed to start: ${failures[0]!.error}`);
  }
  const name = options.name?.trim() || 'Node program';
  const api = runtime.api({ id: name, displayName: name, kind: 'program' });
  return { ...api, close: () => runtime.stop() };
}
