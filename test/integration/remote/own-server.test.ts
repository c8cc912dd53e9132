import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '@jan/core';
import type { CoreEvents } from '@jan/core';
import { parseDefinition } from '../../../extensions/remote';
import type { RemoteEngineSource } from '../../../extensions/remote';
import { JanRuntime } from '../../../src/node/runtime';
import { startApiServer } from '../../../src/node/server';
import type { RunningApiServer } from '../../../src/node/server';
import { CHAT_FIM_MODEL, modelsFolder, workerPath } from '../llamacpp/support/engine-fixture';
import { SMALL_ENGINE, testSettings } from '../../support/test-settings';

/**
 * A remote engine pointed at Jan's own API server (the "Jan desktop" preset's port is ours): its
 * listing must not wait on itself (the server lists this machine's models for it), and an engine
 * whose listing fails or hangs says so once instead of vanishing from the pickers.
 */
let root: string;
let runtime: JanRuntime;
let server: RunningApiServer;
let localModel: string;
const unlisted: Array<CoreEvents['OnEngineUnlisted']> = [];
let silent: net.Server;

function source(id: string, baseUrl: string, preset = 'jan'): RemoteEngineSource {
  const parsed = parseDefinition({ id, name: id, preset, baseUrl, maxRetries: 0 });
  if (!parsed.ok) throw new Error(parsed.error);
  return { definition: parsed.value, fromWorkspace: false };
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-own-server-'));
  runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger: new MemoryLogger(),
    workerPath: await workerPath(),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings(SMALL_ENGINE),
    remoteApiKey: async () => server.apiKey,
  });
  expect(await runtime.start()).toEqual([]);
  runtime.core.events.on('OnEngineUnlisted', (event) => void unlisted.push(event));
  localModel = (
    await runtime.models.importModel(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`), { mode: 'reference' })
  ).id;
  server = await startApiServer(runtime, { port: 0 });
  // A server that accepts connections and never answers: its listing can only time out.
  silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen({ host: '127.0.0.1', port: 0 }, resolve));
}, 180_000);

afterAll(async () => {
  silent?.close();
  await server?.close();
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a remote engine pointed at our own API server', () => {
  it('is listed with the models this machine runs, without waiting on itself, twice over', async () => {
    runtime.updateRemoteEngines([source('jan-self', server.baseUrl), source('jan-self-2', server.baseUrl)]);
    const ids = (await runtime.inference.listModels()).map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining([localModel, `jan-self/${localModel}`, `jan-self-2/${localModel}`]));
    // Never an engine's models of an engine's models: the server lists only what runs here.
    expect(ids.some((id) => id.startsWith('jan-self/jan-self'))).toBe(false);
    expect(unlisted).toEqual([]);
  });

  it('chats through the engine into the local model', async () => {
    let text = '';
    for await (const chunk of runtime.inference.chat(
      { id: `jan-self/${localModel}`, engine: 'jan-self' },
      { messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 8 },
    ))
      text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
  });
});

describe('an engine whose listing fails', () => {
  it('says so once, with the reason, until it lists again', async () => {
    const address = silent.address() as net.AddressInfo;
    runtime.updateRemoteEngines([
      source('silent-box', `http://127.0.0.1:${address.port}/v1`, 'openai-compatible'),
      source('jan-self', server.baseUrl),
    ]);
    const models = await runtime.inference.listModels();
    expect(models.some((model) => model.engine === 'silent-box')).toBe(false);
    expect(models.some((model) => model.engine === 'jan-self')).toBe(true);
    expect(unlisted).toEqual([
      expect.objectContaining({
        engine: 'silent-box',
        displayName: 'silent-box',
        runsOn: { kind: 'local' },
        throughServer: true,
      }),
    ]);
    expect(unlisted[0]!.reason).toMatch(/did not answer within 3 s/);
    runtime.inference.refreshModels();
    await runtime.inference.listModels();
    expect(unlisted).toHaveLength(1);
  });
});
