import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, MemoryLogger } from '@jan/core';
import type { ChatCompletionChunk, ChatCompletionRequest } from '@jan/core';
import { RemoteEngine, parseDefinition, type FimMode, type RemoteEngineDefinition } from '../../../extensions/remote';
import { OpenAITestServer } from '../../support/openai-test-server';
import { rejection } from '../../support/rejection';
import { CHAT_FIM_MODEL, createEngine, type EngineFixture } from '../llamacpp/support/engine-fixture';

/**
 * The remote engine against real HTTP on 127.0.0.1: a well-behaved server whose tokens come from
 * the real llama.cpp engine on the test model, and each fault a user meets with a real server.
 */
const KEY = 'sk-test-0123456789abcdef';
let backend: EngineFixture;
let server: OpenAITestServer;

beforeAll(async () => {
  backend = await createEngine();
  server = await OpenAITestServer.start({ backend: backend.engine, modelId: CHAT_FIM_MODEL, apiKey: KEY });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await backend?.engine.dispose();
});

function definition(overrides: Partial<RemoteEngineDefinition> = {}): RemoteEngineDefinition {
  const parsed = parseDefinition({
    id: 'gpu-box',
    name: 'GPU box',
    preset: 'llamacpp-server',
    baseUrl: server.baseUrl,
    maxRetries: 1,
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function remote(
  overrides: Partial<RemoteEngineDefinition> = {},
  key: string | undefined = KEY,
): { engine: RemoteEngine; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  return { engine: new RemoteEngine({ definition: definition(overrides), apiKey: async () => key, logger }), logger };
}

const MODEL = `gpu-box/${CHAT_FIM_MODEL}`;
const messages: ChatCompletionRequest['messages'] = [{ role: 'user', content: 'Tell me a story about a cat.' }];

async function read(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ text: string; chunks: ChatCompletionChunk[]; error?: EngineError }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { text: chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), chunks, error };
  }
  return { text: chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), chunks };
}

async function directText(request: Omit<ChatCompletionRequest, 'model'>): Promise<string> {
  return (await read(backend.engine.chat({ ...request, model: CHAT_FIM_MODEL, seed: 1 }))).text;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function expectNoKey(text: string): void {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain('sk-wrong-key-98765');
}

describe('a well-behaved remote server', () => {
  it("lists the server's models under the engine's id", async () => {
    server.play('ok');
    const models = await remote().engine.list();
    expect(models.map((model) => [model.id, model.name, model.engine])).toEqual([[MODEL, CHAT_FIM_MODEL, 'gpu-box']]);
    expect(server.requests[0]).toMatchObject({ path: '/v1/models', authorization: `Bearer ${KEY}` });
  });

  it('streams the real tokens of the model, the same text the engine gives directly, with usage', async () => {
    server.play('ok');
    const { engine } = remote();
    const request = { messages, max_tokens: 24, temperature: 0 };
    const { text, chunks, error } = await read(engine.chat({ ...request, model: MODEL }));
    expect(error).toBeUndefined();
    expect(text.length).toBeGreaterThan(0);
    expect(text).toBe(await directText(request));
    expect(chunks.find((chunk) => chunk.usage)?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(server.generationRequests[0]!.body).toMatchObject({ model: CHAT_FIM_MODEL, max_tokens: 24, stream: true });
    expect(engine.status()).toMatchObject({ state: 'ready', lastFinishReason: 'length' });
  });

  it.each<[FimMode, string, Record<string, unknown>]>([
    ['completions-suffix', '/v1/completions', { prompt: 'Once upon a time', suffix: ' The end.' }],
    ['completions-prefix', '/v1/completions', { prompt: 'Once upon a time' }],
    ['infill', '/infill', { model: CHAT_FIM_MODEL, input_prefix: 'Once upon a time', input_suffix: ' The end.' }],
    ['mistral-fim', '/v1/fim/completions', { prompt: 'Once upon a time', suffix: ' The end.' }],
  ])('fills in the middle with %s through %s, with the real model', async (fim, path, sent) => {
    server.play('ok');
    const { engine } = remote({ fim });
    const result = await engine.complete({
      model: MODEL,
      prefix: 'Once upon a time',
      suffix: ' The end.',
      max_tokens: 8,
    });
    const suffix = fim === 'completions-prefix' ? '' : ' The end.';
    const direct = await backend.engine.complete({
      model: CHAT_FIM_MODEL,
      prefix: 'Once upon a time',
      suffix,
      max_tokens: 8,
      temperature: 0,
    });
    expect(result.text).toBe(direct.text);
    expect(result.tokens).toBe(direct.tokens);
    expect(server.generationRequests[0]).toMatchObject({ path, body: sent });
    if (fim === 'completions-prefix') expect(server.generationRequests[0]!.body).not.toHaveProperty('suffix');
  });

  it("recognises llama.cpp server's fill-in-the-middle from its own endpoints; nothing from a server that is not there", async () => {
    expect(await remote({ preset: 'vllm' }).engine.detectFim()).toBe('infill');
    expect(
      await remote({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 }).engine.detectFim(),
    ).toBeUndefined();
  });

  it('continues the prefix through chat for a server that only chats (chat-prefix)', async () => {
    server.play('ok');
    const result = await remote({ fim: 'chat-prefix' }).engine.complete({
      model: MODEL,
      prefix: 'def add(a, b):',
      suffix: '',
      max_tokens: 8,
      stop: ['\n'],
    });
    expect(result.tokens).toBeGreaterThan(0);
    expect(result.text).not.toContain('\n');
    const sent = server.generationRequests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect((sent.body!.messages as Array<{ content: string }>)[1]!.content).toBe('def add(a, b):');
    // The stop is applied to the code of the answer: a fenced answer breaks its first line right after the fence.
    expect(sent.body).not.toHaveProperty('stop');
  });
});

describe('faults, each with a clear message and the key never shown', () => {
  it('connection refused', async () => {
    const { engine } = remote({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 });
    const { error } = await read(engine.chat({ model: MODEL, messages }));
    expect(error?.code).toBe('REMOTE_ERROR');
    expect(error?.message).toMatch(/^GPU box \(local\) refused the connection\. Is the server running/);
    expect(engine.status()).toMatchObject({ state: 'error', error: error?.message });
  });

  it('DNS failure', async () => {
    const { engine } = remote({ baseUrl: 'http://jan-remote-test.invalid:8000/v1', maxRetries: 0 });
    const { error } = await read(engine.chat({ model: MODEL, messages }));
    expect(error?.message).toBe(
      'GPU box (jan-remote-test.invalid:8000): the host name could not be resolved (DNS). Check the base URL.',
    );
  });

  it('TLS error (https to a server that does not speak TLS)', async () => {
    const { engine } = remote({ baseUrl: `https://127.0.0.1:${server.port}/v1`, maxRetries: 0 });
    const { error } = await read(engine.chat({ model: MODEL, messages }));
    expect(error?.message).toMatch(
      /^GPU box \(local\): the TLS connection failed \([A-Z_]+\)\. Check the server's certificate/,
    );
  });

  it('401: says which engine and how to fix the key, and redacts the key the server echoed', async () => {
    server.play('ok');
    const { engine, logger } = remote({}, 'sk-wrong-key-98765');
    const { error } = await read(engine.chat({ model: MODEL, messages }));
    expect(error?.code).toBe('REMOTE_ERROR');
    expect(error?.message).toMatch(
      /^GPU box \(local\) refused the API key \(HTTP 401\)\. Set a valid key with "Jan: Edit Remote Engine" → GPU box\./,
    );
    expect(error?.message).toContain('Incorrect API key provided: [redacted]');
    expect(server.requests.at(-1)!.authorization).toBe('Bearer sk-wrong-key-98765');
    expect(server.generationRequests).toHaveLength(1);
    expectNoKey(error!.message);
    for (const line of logger.lines) expectNoKey(line.message);
    expectNoKey(engine.status().error ?? '');
  });

  it('403', async () => {
    server.play('forbidden');
    const { error } = await read(remote().engine.chat({ model: MODEL, messages }));
    expect(error?.message).toMatch(/refused the API key \(HTTP 403\).*This key may not use this model\./);
  });

  it('404 model', async () => {
    server.play('ok');
    const { error } = await read(remote().engine.chat({ model: 'gpu-box/no-such-model', messages }));
    expect(error?.code).toBe('MODEL_NOT_FOUND');
    expect(error?.message).toMatch(
      /^GPU box \(local\) does not have the model "no-such-model" \(HTTP 404\)\. Refresh the model list/,
    );
  });

  it('429: honours Retry-After and retries before the first byte, then streams', async () => {
    server.play('rate-limited', 1);
    const { text, error } = await read(remote().engine.chat({ model: MODEL, messages, max_tokens: 8, temperature: 0 }));
    expect(error).toBeUndefined();
    expect(text).toBe(await directText({ messages, max_tokens: 8, temperature: 0 }));
    expect(server.generationRequests).toHaveLength(2);
  });

  it('429 that persists: one message after the retries', async () => {
    server.play('rate-limited');
    const { error } = await read(remote({ maxRetries: 1 }).engine.chat({ model: MODEL, messages }));
    expect(error?.message).toMatch(/is rate limiting requests \(HTTP 429\) and still was after the retries/);
    expect(server.generationRequests).toHaveLength(2);
  });

  it('5xx', async () => {
    server.play('server-error');
    const { error } = await read(remote({ maxRetries: 0 }).engine.chat({ model: MODEL, messages }));
    expect(error?.message).toBe(
      'GPU box (local) failed with a server error (HTTP 503). The server said: The GPU is busy.',
    );
    expect(server.generationRequests).toHaveLength(1);
  });

  it('slow first byte: gives up after the timeout and closes the connection', async () => {
    server.play('silent');
    const closed = server.nextClose();
    const { error } = await read(remote({ timeoutSeconds: 1, maxRetries: 0 }).engine.chat({ model: MODEL, messages }));
    expect(error?.message).toBe(
      'GPU box (local) sent nothing within 1 s. Check the server, or raise the engine\'s timeout with "Jan: Edit Remote Engine".',
    );
    await closed;
  });

  it('keep-alives, empty chunks and empty deltas do not keep a reply alive: it times out before or after text', async () => {
    for (const fault of ['keep-alive', 'keep-alive-after-text'] as const) {
      server.play(fault);
      const closed = server.nextClose();
      const { engine } = remote({ timeoutSeconds: 1, maxRetries: 0 });
      const { text, error } = await read(engine.chat({ model: MODEL, messages }));
      expect(text, fault).toBe(fault === 'keep-alive' ? '' : 'Once');
      expect(error?.message, fault).toBe(
        'GPU box (local) sent no reply text for 1 s, only keep-alives or empty chunks. Check the server, or raise the engine\'s timeout with "Jan: Edit Remote Engine".',
      );
      await closed;
      expect(engine.status()).toMatchObject({ state: 'error', lastFinishReason: 'error' });
    }
  });

  it('a stream cut mid-reply: the text so far came through, then an error (never a retry)', async () => {
    server.play('cut');
    const { text, error } = await read(
      remote().engine.chat({ model: MODEL, messages, max_tokens: 24, temperature: 0 }),
    );
    expect(text.length).toBeGreaterThan(0);
    expect((await directText({ messages, max_tokens: 24, temperature: 0 })).startsWith(text)).toBe(true);
    expect(error?.message).toBe('GPU box (local) closed the connection before the reply finished.');
    expect(server.generationRequests).toHaveLength(1);
  });

  it('a malformed SSE chunk', async () => {
    server.play('malformed');
    const { text, error } = await read(remote().engine.chat({ model: MODEL, messages, max_tokens: 24 }));
    expect(text.length).toBeGreaterThan(0);
    expect(error?.message).toBe('GPU box (local) sent a malformed stream chunk (not JSON); the reply was cut there.');
  });

  it('a stream that never ends: Stop ends it at once and the connection closes', async () => {
    server.play('endless');
    const { engine } = remote();
    const controller = new AbortController();
    const closed = server.nextClose();
    let chunks = 0;
    for await (const chunk of engine.chat({ model: MODEL, messages }, controller.signal)) {
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 5) controller.abort();
    }
    expect(chunks).toBe(5);
    await closed;
    expect(engine.status()).toMatchObject({ state: 'idle', lastFinishReason: 'abort' });
  });

  it('Stop during a wait before a retry ends the request at once', async () => {
    server.play('rate-limited');
    const controller = new AbortController();
    const stream = remote({ maxRetries: 5 }).engine.chat({ model: MODEL, messages }, controller.signal);
    const reading = read(stream);
    while (server.generationRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const { text, error } = await reading;
    expect({ text, error }).toEqual({ text: '', error: undefined });
    expect(server.generationRequests).toHaveLength(1);
  });

  it('a completion that fails says so the same way', async () => {
    server.play('server-error');
    const error = await rejection(
      remote({ maxRetries: 0 }).engine.complete({ model: MODEL, prefix: 'a', suffix: '' }),
      EngineError,
    );
    expect(error.message).toMatch(/failed with a server error \(HTTP 503\)/);
  });
});
