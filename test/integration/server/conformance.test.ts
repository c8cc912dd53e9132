import * as path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGgufVariant } from '../../support/gguf-variant';
import { STORIES_FIM } from '../../support/test-models';
import { SCRIPTED_MODEL, startServerFixture } from './support/server-fixture';
import type { ServerFixture } from './support/server-fixture';

/**
 * Conformance cases of issue 25: what OpenAI's API and llama-server answer, checked with the
 * official openai client (and raw HTTP for llama-server's own routes) against the real runtime on
 * the test models (the chat model's context is 2,048 tokens, from jan.engine.contextSize).
 */
let fixture: ServerFixture;
let client: OpenAI;
let root: string;

beforeAll(async () => {
  // Chat and completion in the same context (jan.engine.completionContextSize is 2,048 by default).
  fixture = await startServerFixture({}, { contextSize: 2048 });
  client = fixture.client();
  root = fixture.server.baseUrl.replace(/\/v1$/, '');
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

/** The fields of llama-server's answers (and OpenAI's error) the tests read. */
interface Answer {
  tokens: Array<number | { id: number; piece: string | number[] }>;
  content: string;
  stop: boolean;
  tokens_predicted: number;
  tokens_evaluated: number;
  default_generation_settings: { n_ctx: number; model: string };
  total_slots: number;
  data: Array<{ id: string }>;
  error: { message: string; param: string };
}

/** A JSON request with the key, as llama-server's clients send it. */
async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Answer }> {
  const response = await fetch(`${root}${path}`, {
    method,
    headers: { authorization: `Bearer ${fixture.server.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

/** The `data:` events of an SSE response, parsed. */
async function events(path: string, body: unknown): Promise<{ status: number; events: Answer[]; raw: string }> {
  const response = await fetch(`${root}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.server.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const raw = await response.text();
  const parsed = raw
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice('data: '.length)) as Answer);
  return { status: response.status, events: parsed, raw };
}

/** The chat context of the chat model, as /props reports it once the model is loaded. */
async function chatContextSize(): Promise<number> {
  await call('POST', '/models/load', { model: fixture.chatModel });
  const props = await call('GET', `/props?model=${encodeURIComponent(fixture.chatModel)}`);
  return props.json.default_generation_settings.n_ctx;
}

/** Story text of at least `tokens` tokens of the chat model, and less than 20 more (counted with /tokenize). */
async function storyOf(tokens: number): Promise<string> {
  const sentence = 'Once upon a time there was a cat. ';
  const count = async (text: string) =>
    (await call('POST', '/tokenize', { model: fixture.chatModel, content: text })).json.tokens.length;
  let text = '';
  while ((await count(text)) < tokens) text += sentence;
  return text;
}

describe('a prompt longer than the context', () => {
  it('is a 400 context_length_exceeded, whole and streamed, and the next request works', async () => {
    const longPrompt = await storyOf((await chatContextSize()) + 50);
    const messages = [{ role: 'user' as const, content: longPrompt }];
    await expect(client.chat.completions.create({ model: fixture.chatModel, messages })).rejects.toMatchObject({
      status: 400,
      code: 'context_length_exceeded',
    });
    await expect(
      client.chat.completions.create({ model: fixture.chatModel, messages, stream: true }),
    ).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
    await expect(
      client.completions.create({ model: fixture.chatModel, prompt: longPrompt, max_tokens: 4 }),
    ).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
    const after = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4,
    });
    expect(after.choices[0]!.message.content!.length).toBeGreaterThan(0);
  });

  it('never reports usage larger than the context: the reply ends where the context does', async () => {
    const contextSize = await chatContextSize();
    const completion = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: await storyOf(contextSize - 60) }],
      max_tokens: 4000,
      temperature: 0,
    });
    expect(completion.usage!.prompt_tokens).toBeLessThan(contextSize);
    expect(completion.usage!.total_tokens).toBeLessThanOrEqual(contextSize);
    if (completion.choices[0]!.finish_reason === 'length') expect(completion.usage!.total_tokens).toBe(contextSize);
  });
});

describe('POST /v1/completions', () => {
  it('gives max_tokens beyond a quarter of the context (600 of 2,048)', async () => {
    const completion = await client.completions.create({
      model: fixture.chatModel,
      prompt: 'Once upon a time',
      max_tokens: 600,
      temperature: 0,
    });
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(600);
    // The model ran out of tokens to write, or wrote all 600: never a cut at 512.
    if (completion.choices[0]!.finish_reason === 'length') expect(completion.usage!.completion_tokens).toBe(600);
    else expect(completion.usage!.completion_tokens).toBeLessThan(512);
  });

  it('keeps the text before a stop string to the character (whitespace too)', async () => {
    const request = { model: fixture.chatModel, prompt: 'Once upon a time', max_tokens: 60, temperature: 0 };
    const whole = (await client.completions.create(request)).choices[0]!.text;
    // A word the model wrote after a space: stopping on it must keep that space.
    const match = /\s(\w{3,})/.exec(whole.slice(8));
    expect(match).not.toBeNull();
    const stop = match![1]!;
    const at = whole.indexOf(` ${stop}`, 8) + 1;
    const stopped = await client.completions.create({ ...request, stop: [stop] });
    expect(stopped.choices[0]!.text).toBe(whole.slice(0, at));
    expect(stopped.choices[0]!.text).toMatch(/\s$/);
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    const streamed = await client.completions.create({ ...request, stop: [stop], stream: true });
    let text = '';
    for await (const chunk of streamed) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(whole.slice(0, at));
  });

  it('streams chunk by chunk, the finish reason on the last, the same text as whole', async () => {
    const request = { model: fixture.chatModel, prompt: 'Once upon a time', max_tokens: 48, temperature: 0 };
    const whole = await client.completions.create(request);
    const stream = await client.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const texts = chunks.filter((chunk) => chunk.choices[0]?.text).map((chunk) => chunk.choices[0]!.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe(whole.choices[0]!.text);
    const finished = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finished).toHaveLength(1);
    expect(chunks.indexOf(finished[0]!)).toBe(chunks.length - 2);
    expect(chunks[chunks.length - 1]!.usage!.completion_tokens).toBe(whole.usage!.completion_tokens);
  });
});

describe('POST /v1/embeddings', () => {
  it('returns unit-length vectors', async () => {
    const result = await client.embeddings.create({
      model: fixture.chatModel,
      input: ['Once upon a time', 'The cat sat on the mat'],
      encoding_format: 'float',
    });
    for (const item of result.data) {
      const length = Math.sqrt(item.embedding.reduce((sum, value) => sum + value * value, 0));
      expect(length).toBeCloseTo(1, 5);
    }
  });
});

describe("llama-server's routes", () => {
  it('tokenizes and detokenizes with the model, and refuses an id the vocabulary lacks', async () => {
    const tokenized = await call('POST', '/tokenize', { model: fixture.chatModel, content: 'Hello world' });
    expect(tokenized.status).toBe(200);
    const tokens = tokenized.json.tokens as number[];
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.every(Number.isInteger)).toBe(true);
    const withBos = await call('POST', '/tokenize', { model: fixture.chatModel, content: 'Hello', add_special: true });
    expect(withBos.json.tokens[0]).toBe(1);
    const pieces = await call('POST', '/tokenize', { model: fixture.chatModel, content: 'Hello', with_pieces: true });
    expect((pieces.json.tokens as Array<{ piece: string }>).map((token) => token.piece).join('')).toBe('Hello');
    expect(pieces.json.tokens[0]).toEqual({ id: expect.any(Number), piece: expect.any(String) });
    const detokenized = await call('POST', '/detokenize', { model: fixture.chatModel, tokens });
    expect(detokenized.json.content).toBe('Hello world');
    // llama.cpp aborts the process on an id past its vocabulary: it must be refused, and the worker live on.
    const refused = await call('POST', '/detokenize', { model: fixture.chatModel, tokens: [5, 100_000] });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain('tokens[1]');
    expect((await call('POST', '/detokenize', { model: fixture.chatModel, tokens })).status).toBe(200);
  });

  it('fills in the middle at /infill with n_predict, streamed or whole, in llama-server shape', async () => {
    const body = {
      model: fixture.chatModel,
      input_prefix: 'Once upon a time, there was a little',
      input_suffix: ' They played all day.',
      n_predict: 6,
      temperature: 0,
    };
    const whole = await call('POST', '/infill', body);
    expect(whole.status).toBe(200);
    expect(whole.json).toMatchObject({ stop: true, model: fixture.chatModel });
    expect(whole.json.content.length).toBeGreaterThan(0);
    expect(whole.json.tokens_predicted).toBeLessThanOrEqual(6);
    expect(whole.json.tokens_evaluated).toBeGreaterThan(0);
    const streamed = await events('/infill', { ...body, stream: true });
    expect(streamed.raw).not.toContain('[DONE]');
    const last = streamed.events[streamed.events.length - 1];
    expect(last.stop).toBe(true);
    expect(streamed.events.slice(0, -1).every((event) => event.stop === false)).toBe(true);
    expect(streamed.events.map((event) => event.content).join('')).toBe(whole.json.content);
  });

  it('continues text at /completion with n_predict', async () => {
    const result = await call('POST', '/completion', {
      model: fixture.chatModel,
      prompt: 'Once upon a time',
      n_predict: 5,
    });
    expect(result.status).toBe(200);
    expect(result.json.content.length).toBeGreaterThan(0);
    expect(result.json.tokens_predicted).toBeLessThanOrEqual(5);
    const chat = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      // llama-server's name for max_tokens, which its clients send to the OpenAI route too.
      ...({ n_predict: 3 } as object),
    });
    expect(chat.usage!.completion_tokens).toBeLessThanOrEqual(3);
    expect(chat.choices[0]!.finish_reason).toBe('length');
  });

  it('answers /props with the context size of the loaded model', async () => {
    await call('POST', '/models/load', { model: fixture.chatModel });
    const props = await call('GET', `/props?model=${encodeURIComponent(fixture.chatModel)}`);
    expect(props.status).toBe(200);
    // The context the setting gives the loaded model (model.json's ctx_len is its training context, not a request).
    expect(props.json.default_generation_settings).toMatchObject({ model: fixture.chatModel, n_ctx: 2048 });
    expect(props.json.total_slots).toBeGreaterThan(0);
  });

  it("never reports a local model's training context as n_ctx before the engine chose its context", async () => {
    const file = path.join(fixture.root, 'stories-long.gguf');
    writeGgufVariant(STORIES_FIM, file, { 'llama.context_length': 131_072 });
    const long = (await fixture.runtime.models.importModel(file, { mode: 'reference' })).id;
    const before = await call('GET', `/props?model=${encodeURIComponent(long)}`);
    expect(before.status).toBe(200);
    // model.json's ctx_len is the GGUF's 131,072: a client sizing its prompts by it would overflow.
    expect(before.json.default_generation_settings.n_ctx).toBeUndefined();
    await call('POST', '/models/load', { model: long });
    const after = await call('GET', `/props?model=${encodeURIComponent(long)}`);
    expect(after.json.default_generation_settings).toMatchObject({ model: long, n_ctx: 2048 });
    await call('POST', '/models/unload', { model: long });
  });

  it('lists which models are loaded, and unloads one; its next request loads it again', async () => {
    await call('POST', '/models/load', { model: fixture.chatModel });
    const status = async (id: string) => {
      const listed = await client.models.list();
      return (listed.data.find((model) => model.id === id) as unknown as { status: { value: string } }).status.value;
    };
    expect(await status(fixture.chatModel)).toBe('loaded');
    expect(await status(SCRIPTED_MODEL)).toBe('unloaded');
    const rootList = await call('GET', '/models');
    expect(rootList.json.data.map((model) => model.id)).toContain(fixture.chatModel);
    const unloaded = await call('POST', '/models/unload', { model: fixture.chatModel });
    expect(unloaded.json).toMatchObject({ success: true, unloaded: true });
    expect(await status(fixture.chatModel)).toBe('unloaded');
    expect((await call('POST', '/models/unload', { model: 'no-such-model' })).status).toBe(404);
    const again = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 2,
    });
    expect(again.choices).toHaveLength(1);
    expect(await status(fixture.chatModel)).toBe('loaded');
  });

  it('uses the server default for a request that names no model, and otherwise asks for one', async () => {
    for (const model of fixture.runtime.inference.loaded()) await fixture.runtime.inference.unload(model);
    const result = await call('POST', '/tokenize', { content: 'Hi' });
    expect(result.status).toBe(400);
    expect(result.json.error.param).toBe('model');
    const preset = await fixture.startServer({ defaultModel: fixture.chatModel });
    const response = await fetch(`${preset.baseUrl.replace(/\/v1$/, '')}/tokenize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${preset.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'Hi' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { tokens: number[] }).tokens.length).toBeGreaterThan(0);
  });
});

describe('the request log', () => {
  it('logs a stream the client left as 499, not 200', async () => {
    const gate = fixture.scripted.hold();
    fixture.scripted.replies = ['a b c d e f g h'];
    const controller = new AbortController();
    gate.release(1);
    const stream = await client.chat.completions.create(
      { model: SCRIPTED_MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    await stream[Symbol.asyncIterator]().next();
    controller.abort();
    await expect
      .poll(() => fixture.logger.messages('info').find((line) => line.includes('client left')), { timeout: 30_000 })
      .toMatch(/^API POST \/v1\/chat\/completions 499,/);
    fixture.scripted.gate = undefined;
  });
});
