import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMALL_ENGINE, testSettings } from '../../support/test-settings';
import { MemoryLogger, postprocessCompletion, textOf } from '@jan/core';
import type { ModelPurpose, Thread } from '@jan/core';
import { parseDefinition, type RemoteEngineDefinition, type RemoteEngineSource } from '../../../extensions/remote';
import { JanRuntime } from '../../../src/node/runtime';
import { OpenAITestServer } from '../../support/openai-test-server';
import { CHAT_FIM_MODEL, modelsFolder, workerPath } from '../llamacpp/support/engine-fixture';

/**
 * The headless runtime (src/node/runtime.ts) with a remote engine over real HTTP: chat, Stop,
 * Retry and inline completion go through the same services as with the local engine; the
 * server's tokens come from the runtime's own llama.cpp engine on the test model.
 */
const KEY = 'sk-runtime-test-key-000111';
let root: string;
let runtime: JanRuntime;
let server: OpenAITestServer;
let logger: MemoryLogger;
let localModel: string;
let chosen: Partial<Record<ModelPurpose, string>> = {};
const asked: string[] = [];
let answer = false;

function definition(fields: Partial<RemoteEngineDefinition> & { id: string }): RemoteEngineDefinition {
  const parsed = parseDefinition({
    name: fields.id,
    preset: 'llamacpp-server',
    baseUrl: server.baseUrl,
    maxRetries: 0,
    ...fields,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function sources(): RemoteEngineSource[] {
  return [
    { definition: definition({ id: 'gpu-box', name: 'GPU box' }), fromWorkspace: false },
    { definition: definition({ id: 'team-loopback' }), fromWorkspace: true },
    { definition: definition({ id: 'team-remote', baseUrl: 'http://team-gpu.invalid:8000/v1' }), fromWorkspace: true },
    {
      definition: definition({ id: 'users-remote', baseUrl: 'http://users-gpu.invalid:8000/v1' }),
      fromWorkspace: false,
    },
  ];
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'jan-remote-runtime-'));
  logger = new MemoryLogger();
  runtime = new JanRuntime({
    janFolder: path.join(root, '.jan'),
    modelsFolder: path.join(root, 'models'),
    logger,
    workerPath: await workerPath(),
    downloadWorkerPath: path.join(root, 'unused-download-worker.mjs'),
    settings: testSettings({
      ...SMALL_ENGINE,
      'jan.chatModel': () => chosen.chat,
      'jan.completionModel': () => chosen.completion,
    }),
    remoteApiKey: async (engineId) => (engineId === 'gpu-box' || engineId === 'team-loopback' ? KEY : undefined),
    allowWorkspaceServer: async (asking) => {
      asked.push(asking.id);
      return answer;
    },
  });
  expect(await runtime.start()).toEqual([]);
  localModel = (
    await runtime.models.importModel(path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`), { mode: 'reference' })
  ).id;
  server = await OpenAITestServer.start({ backend: runtime.llamacpp.engine, modelId: localModel, apiKey: KEY });
  runtime.updateRemoteEngines(sources());
}, 180_000);

afterAll(async () => {
  await server?.close();
  await runtime?.stop();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  server.play('ok');
  chosen = {};
  asked.length = 0;
});

const remoteModel = () => `gpu-box/${localModel}`;

async function newThread(modelId: string, engine: string): Promise<Thread> {
  const jan = (await runtime.assistants.listAssistants()).assistants[0]!;
  return runtime.conversational.createThread({
    assistants: [
      {
        assistant_id: jan.id,
        assistant_name: jan.name,
        instructions: jan.instructions,
        model: { id: modelId, engine, settings: {}, parameters: { max_tokens: 24, temperature: 0 } },
      },
    ],
  });
}

async function useModel(thread: Thread, modelId: string, engine: string): Promise<void> {
  const info = (await runtime.conversational.getThread(thread.id))!.assistants[0]!;
  await runtime.conversational.updateThread(thread.id, {
    assistants: [{ ...info, model: { ...info.model, id: modelId, engine } }],
  });
}

describe('chat through a remote engine', () => {
  it("lists the remote engine's models beside the installed ones, under the engine", async () => {
    const models = await runtime.inference.listModels();
    expect(models.map((model) => [model.id, model.engine])).toEqual(
      expect.arrayContaining([
        [localModel, 'llamacpp'],
        [remoteModel(), 'gpu-box'],
      ]),
    );
    expect(runtime.core.engines.get('gpu-box')?.runsOn).toEqual({ kind: 'local' });
    expect(runtime.core.engines.get('team-remote')?.runsOn).toEqual({ kind: 'remote', host: 'team-gpu.invalid:8000' });
  });

  it('streams a real reply over HTTP into .jan, and the thread switches between local and remote models intact', async () => {
    const thread = await newThread(remoteModel(), 'gpu-box');
    const { reply: remote } = await runtime.conversation.send(thread.id, 'Tell me a story about a cat.');
    expect(remote.status).toBe('ready');
    expect(textOf(remote).length).toBeGreaterThan(0);
    expect(remote.metadata).toMatchObject({ model: remoteModel(), engine: 'gpu-box' });
    expect(remote.metadata!.completion_tokens).toBeGreaterThan(0);
    expect(server.generationRequests).toHaveLength(1);

    await useModel(thread, localModel, 'llamacpp');
    const { reply: local } = await runtime.conversation.send(thread.id, 'And then?');
    expect(local.metadata).toMatchObject({ model: localModel, engine: 'llamacpp' });
    expect(server.generationRequests).toHaveLength(1);

    await useModel(thread, remoteModel(), 'gpu-box');
    const { reply: again } = await runtime.conversation.send(thread.id, 'What did the cat eat?');
    expect(again.status).toBe('ready');
    // The whole thread so far went to the server as the conversation.
    const sent = server.generationRequests[1]!.body!.messages as Array<{ role: string; content: string }>;
    expect(sent.filter((message) => message.role !== 'system').map((message) => message.content)).toEqual([
      'Tell me a story about a cat.',
      textOf(remote),
      'And then?',
      textOf(local),
      'What did the cat eat?',
    ]);
    const { messages } = await runtime.conversational.listMessages(thread.id);
    expect(
      messages.map((message) => `${message.role}:${message.status}:${String(message.metadata?.engine ?? '')}`),
    ).toEqual([
      'user:ready:',
      'assistant:ready:gpu-box',
      'user:ready:',
      'assistant:ready:llamacpp',
      'user:ready:',
      'assistant:ready:gpu-box',
    ]);
  }, 120_000);

  it('keeps the partial text of a reply cut mid-stream with status error, and Retry answers again', async () => {
    const thread = await newThread(remoteModel(), 'gpu-box');
    server.play('cut');
    const { reply: cut } = await runtime.conversation.send(thread.id, 'Tell me a story about a dog.');
    expect(cut.status).toBe('error');
    expect(textOf(cut).length).toBeGreaterThan(0);
    expect(cut.metadata).toMatchObject({
      error: 'GPU box (local) closed the connection before the reply finished.',
      error_code: 'REMOTE_ERROR',
    });
    const stored = (await runtime.conversational.listMessages(thread.id)).messages;
    expect(stored.at(-1)).toMatchObject({ id: cut.id, status: 'error' });
    expect(textOf(stored.at(-1)!)).toBe(textOf(cut));

    server.play('ok');
    const { reply: retried } = await runtime.conversation.regenerate(thread.id, cut.id);
    expect(retried.status).toBe('ready');
    expect((await runtime.conversational.listMessages(thread.id)).messages.map((message) => message.status)).toEqual([
      'ready',
      'ready',
    ]);
  }, 120_000);

  it('Stop ends a reply that never ends at once, keeps its text as stopped and closes the connection', async () => {
    const thread = await newThread(remoteModel(), 'gpu-box');
    server.play('endless');
    const closed = server.nextClose();
    let seen = 0;
    const subscription = runtime.core.events.on('OnMessageUpdate', (message) => {
      if (message.role === 'assistant' && textOf(message) && ++seen === 3) runtime.conversation.stop(thread.id);
    });
    const { reply: stopped } = await runtime.conversation.send(thread.id, 'Go on forever.');
    subscription.dispose();
    await closed;
    expect(stopped.status).toBe('stopped');
    expect(textOf(stopped)).toMatch(/^( and)+$/);
  }, 60_000);

  it('a failure that keeps no text says which engine failed and stores no empty reply', async () => {
    const thread = await newThread(remoteModel(), 'gpu-box');
    server.play('unauthorized');
    const { reply: failed } = await runtime.conversation.send(thread.id, 'Hello?');
    expect(failed.status).toBe('error');
    expect(String(failed.metadata?.error)).toMatch(/^GPU box \(local\) refused the API key \(HTTP 401\)/);
    expect(String(failed.metadata?.error)).not.toContain(KEY);
    expect((await runtime.conversational.listMessages(thread.id)).messages.map((message) => message.role)).toEqual([
      'user',
    ]);
    for (const line of logger.lines) expect(line.message).not.toContain(KEY);
  });
});

describe('inline completion through a remote engine', () => {
  it("fills in the middle through the server's /infill with the real model, post-processed like a local one", async () => {
    chosen.completion = remoteModel();
    const lines = ['Once upon a time there was a cat.', 'The cat ', 'The end.'];
    const document = { lineCount: lines.length, languageId: 'plaintext', lineText: (line: number) => lines[line]! };
    const request = (await runtime.inlineCompletion.request(document, 1, 8))!;
    expect(request.model).toEqual({ id: remoteModel(), engine: 'gpu-box' });
    const text = await runtime.inlineCompletion.complete(request, 8, new AbortController().signal);
    const sent = server.generationRequests[0]!;
    expect(sent.path).toBe('/infill');
    expect(sent.body).toMatchObject({
      input_prefix: request.prompt.prefix,
      input_suffix: request.prompt.suffix,
      n_predict: 8,
    });
    const direct = await runtime.llamacpp.engine.complete({
      model: localModel,
      prefix: request.prompt.prefix,
      suffix: request.prompt.suffix,
      max_tokens: 8,
      temperature: 0,
    });
    expect(text).toBe(postprocessCompletion(direct.text, request.prompt));
  }, 60_000);
});

describe('servers a workspace defines', () => {
  it('a workspace server off this machine is asked about before it gets any request; refused, it gets nothing', async () => {
    answer = false;
    const thread = await newThread('team-remote/some-model', 'team-remote');
    const { reply: refused } = await runtime.conversation.send(thread.id, 'secret code');
    expect(asked).toEqual(['team-remote']);
    expect(refused.metadata?.error).toBe(
      'team-remote (team-gpu.invalid:8000) comes from this workspace\'s settings and was not allowed to receive code. Allow it with "Jan: Edit Remote Engine", or pick another model.',
    );
  });

  it('allowed, the request goes out (here: to a host that does not resolve)', async () => {
    answer = true;
    const thread = await newThread('team-remote/some-model', 'team-remote');
    const { reply: sent } = await runtime.conversation.send(thread.id, 'code');
    expect(asked).toEqual(['team-remote']);
    expect(String(sent.metadata?.error)).toMatch(/the host name could not be resolved/);
  });

  it("a workspace server on this machine and the user's own servers are not asked about", async () => {
    answer = false;
    const { reply: loopback } = await runtime.conversation.send(
      (await newThread(`team-loopback/${localModel}`, 'team-loopback')).id,
      'Hi',
    );
    expect(loopback.status).toBe('ready');
    const { reply: users } = await runtime.conversation.send(
      (await newThread('users-remote/m', 'users-remote')).id,
      'Hi',
    );
    expect(String(users.metadata?.error)).toMatch(/could not be resolved/);
    expect(asked).toEqual([]);
  }, 60_000);

  it("a workspace definition cannot take the id of the user's engine (and with it the user's key)", async () => {
    runtime.updateRemoteEngines([
      {
        definition: definition({ id: 'gpu-box', name: 'Evil', baseUrl: 'http://evil.invalid/v1' }),
        fromWorkspace: true,
      },
      ...sources(),
    ]);
    expect(runtime.core.engines.get('gpu-box')?.displayName).toBe('GPU box');
    runtime.updateRemoteEngines(sources());
  });
});
