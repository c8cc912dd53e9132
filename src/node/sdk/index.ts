/**
 * The Node entry of the SDK (`require('jan-vscode/sdk')`, dist/sdk.js; docs/EXTENDING.md): the
 * runtime the editor runs, over a `.jan` folder and a models folder, with the public API on top.
 * Its declarations are sdk/jan-api.d.ts (checked in; `npm run api-declarations` writes them).
 */
import * as path from 'node:path';
import { JanSettings, MemorySettings, type JanApi, type Logger, type SettingKey } from '@jan/core';
import { sharedModelsFolder } from '../models-folder';
import { JanRuntime } from '../runtime';
import { checkedOptions, type CreateJanRuntimeOptions } from './options';

export type { CreateJanRuntimeOptions } from './options';

export * from '../../core/api/types';
export { JAN_API_VERSION } from '../../core/api/version';
export { JanApiError, type JanApiErrorCode } from '../../core/api/errors';
export type { ApiCaller, CallerActivity, ApiRegistration, ApiUse, RegistrationKind } from '../../core/api/caller';
export { EngineError, ON_THIS_MACHINE, type EngineErrorCode } from '../../core/engines';
export type { Disposable } from '../../core/events';

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
  options = checkedOptions(options);
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
