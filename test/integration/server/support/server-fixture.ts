import { SMALL_ENGINE, testSettings } from '../../../support/test-settings';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { MemoryLogger } from '@jan/core';
import { JanRuntime } from '../../../../src/node/runtime';
import { startApiServer } from '../../../../src/node/server';
import type { RunningApiServer, ServerOptions } from '../../../../src/node/server';
import { ScriptedEngine } from '../../../support/scripted-engine';
import { STORIES_FIM, TINYSTORIES } from '../../../support/test-models';
import { workerPath } from '../../llamacpp/support/engine-fixture';

export interface ServerFixture {
  root: string;
  runtime: JanRuntime;
  logger: MemoryLogger;
  /** Listed by the runtime as the model `scripted-model`: holds a stream mid-way for queue and disconnect tests. */
  scripted: ScriptedEngine;
  /** Ids of the imported real models. */
  chatModel: string;
  crashingModel: string;
  server: RunningApiServer;
  /** The official openai client on the server, no retries (a retried 429 or 500 would hide it). */
  client(options?: { apiKey?: string }): OpenAI;
  /** Another server on the same runtime (other options), closed with the fixture. */
  startServer(options: Partial<ServerOptions>): Promise<RunningApiServer>;
  stop(): Promise<void>;
}

export const SCRIPTED_MODEL = 'scripted-model';

/** The real runtime (store, models registry, llama.cpp child process) with the test models imported, and its API server on 127.0.0.1. */
export async function startServerFixture(
  options: Partial<ServerOptions> = {},
  engine: { contextSize?: number } = {},
): Promise<ServerFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'jan-server-'));
  const logger = new MemoryLogger();
  const runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: await workerPath(),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings({ ...SMALL_ENGINE, 'jan.engine.contextSize': engine.contextSize ?? 512 }),
  });
  const failures = await runtime.start();
  if (failures.length > 0) throw new Error(`The runtime did not start: ${JSON.stringify(failures)}`);
  const scripted = new ScriptedEngine({ models: [SCRIPTED_MODEL] });
  runtime.core.engines.register(scripted);
  const chatModel = (await runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  const crashingModel = (await runtime.models.importModel(TINYSTORIES, { mode: 'reference' })).id;
  const servers: RunningApiServer[] = [];
  const startServer = async (serverOptions: Partial<ServerOptions>) => {
    const started = await startApiServer(runtime, { port: 0, ...serverOptions });
    servers.push(started);
    return started;
  };
  const server = await startServer(options);
  return {
    root,
    runtime,
    logger,
    scripted,
    chatModel,
    crashingModel,
    server,
    client: (clientOptions = {}) =>
      new OpenAI({ baseURL: server.baseUrl, apiKey: clientOptions.apiKey ?? server.apiKey, maxRetries: 0 }),
    startServer,
    stop: async () => {
      for (const started of servers) await started.close();
      await runtime.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
