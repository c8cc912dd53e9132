import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { EngineError } from '@jan/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_MODEL, startServerFixture } from './support/server-fixture';
import type { ServerFixture } from './support/server-fixture';

/**
 * The API server with the official openai client on 127.0.0.1, over the real runtime and real
 * llama.cpp on the test models. A scripted engine (listed beside them) holds a stream mid-way
 * where a test needs a generation that is still running.
 */
let fixture: ServerFixture;
let client: OpenAI;

beforeAll(async () => {
  fixture = await startServerFixture();
  client = fixture.client();
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

/** A raw request, for what the openai client cannot send (another Host header). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the API server with the openai client', () => {
  it('binds 127.0.0.1 on the /v1 prefix and answers /health without a key', async () => {
    expect(fixture.server.host).toBe('127.0.0.1');
    expect(fixture.server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const health = await fetch(fixture.server.baseUrl.replace(/\/v1$/, '/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('lists every installed model, loaded or not, and the ones engines list', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining([fixture.chatModel, fixture.crashingModel, SCRIPTED_MODEL]));
    const one = await client.models.retrieve(fixture.chatModel);
    expect(one).toMatchObject({ id: fixture.chatModel, object: 'model', owned_by: 'llamacpp' });
    await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('answers a chat completion whole, with usage', async () => {
    const completion = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [
        { role: 'system', content: 'You tell stories.' },
        { role: 'user', content: 'Tell me a story about a dog.' },
      ],
      max_tokens: 12,
      temperature: 0,
      seed: 7,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(fixture.chatModel);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]!.message.role).toBe('assistant');
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(completion.choices[0]!.finish_reason);
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(12);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    // The log names the request, the model and the tokens, not the prompt (jan.apiServer.logPrompts is off).
    const log = fixture.logger.messages('info').filter((line) => line.startsWith('API POST /v1/chat/completions 200'));
    expect(log.at(-1)).toContain(`model ${fixture.chatModel}`);
    expect(log.at(-1)).toContain(`${completion.usage!.completion_tokens} tokens`);
    expect(fixture.logger.lines.map((line) => line.message).join('\n')).not.toContain('a story about a dog');
  });

  it('ends a stream that fails after it started with an error event the client throws', async () => {
    fixture.scripted.replies = ['one two three four'];
    fixture.scripted.failWith = new EngineError('WORKER_CRASHED', 'The engine crashed mid-reply.');
    fixture.scripted.failAfterTokens = 2;
    try {
      const stream = await client.chat.completions.create({
        model: SCRIPTED_MODEL,
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
      });
      const received: string[] = [];
      const failure = await (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })().catch((error: unknown) => error);
      expect(received.join('')).toBe('one two');
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect((failure as Error).message).toContain('crashed mid-reply');
    } finally {
      fixture.scripted.failWith = undefined;
      fixture.scripted.failAfterTokens = undefined;
    }
  });

  it('streams a chat completion as SSE chunks, with usage last when asked', async () => {
    const stream = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Once upon a time' }],
      max_tokens: 16,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const finished = chunks.filter((chunk) => chunk.choices[0]?.finish_reason);
    expect(finished).toHaveLength(1);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(last.usage!.completion_tokens).toBeLessThanOrEqual(16);
  });

  it('honours stop sequences and max_tokens', async () => {
    const limited = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      max_tokens: 3,
    });
    expect(limited.usage!.completion_tokens).toBeLessThanOrEqual(3);
    expect(limited.choices[0]!.finish_reason).toBe('length');
    const stopped = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      max_tokens: 200,
      temperature: 0,
      stop: [' ', '.'],
    });
    expect(stopped.choices[0]!.message.content).not.toMatch(/[ .]/);
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });

  it('refuses an unsupported field by name with 400', async () => {
    await expect(
      client.chat.completions.create({ model: fixture.chatModel, messages: [{ role: 'user', content: 'Hi' }], n: 2 }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'n',
      message: expect.stringContaining("'n'"),
    });
    const functions = [{ name: 'f', parameters: {} }];
    await expect(
      client.chat.completions.create({
        model: fixture.chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
        functions,
      }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'functions',
    });
    await expect(client.chat.completions.create({ model: fixture.chatModel, messages: [] })).rejects.toMatchObject({
      status: 400,
      param: 'messages',
    });
    await expect(
      client.chat.completions.create({
        model: fixture.chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 7,
      }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'temperature',
    });
    await expect(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });
});

/** Sends one whole POST on a raw socket and closes it at once, never reading the answer. */
function sendAndLeave(baseUrl: string, apiKey: string, body: unknown): Promise<void> {
  const url = new URL(`${baseUrl}/chat/completions`);
  const json = JSON.stringify(body);
  return new Promise((resolve) => {
    const head = [
      `POST ${url.pathname} HTTP/1.1`,
      `Host: ${url.host}`,
      `Authorization: Bearer ${apiKey}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(json)}`,
    ];
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n${json}`, () => socket.destroy());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/** A GET with these Host header lines, exactly as given, on a raw socket: status and body. */
function rawHosts(baseUrl: string, apiKey: string, hosts: string[]): Promise<{ status: number; body: string }> {
  const url = new URL(`${baseUrl}/models`);
  const lines = [`GET ${url.pathname} HTTP/1.1`, ...hosts.map((host) => `Host: ${host}`)];
  lines.push(`Authorization: Bearer ${apiKey}`, 'Connection: close', '', '');
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(url.port), url.hostname, () => socket.write(lines.join('\r\n')));
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', reject);
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]), body: answer.split('\r\n\r\n')[1] ?? '' }),
    );
  });
}

/** Request log lines of chat requests: one per request, once its response closed. */
const chatLines = () =>
  fixture.logger.lines.filter((line) => line.message.startsWith('API POST /v1/chat/completions')).length;

describe('the API server: safe by default', () => {
  it('rejects a wrong or missing key with 401, and never echoes the key', async () => {
    const wrong = fixture.client({ apiKey: 'not-the-key' });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const missing = await fetch(`${fixture.server.baseUrl}/models`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('missing_api_key');
    expect(fixture.logger.lines.map((line) => line.message).join('\n')).not.toContain(fixture.server.apiKey);
  });

  it('rejects a foreign Host header with 403 (DNS rebinding), and accepts loopback names', async () => {
    const url = `${fixture.server.baseUrl}/models`;
    const auth = { authorization: `Bearer ${fixture.server.apiKey}` };
    const foreign = await rawGet(url, { ...auth, host: `evil.example:${fixture.server.port}` });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('host_not_allowed');
    expect((await rawGet(url, { ...auth, host: `localhost:${fixture.server.port}` })).status).toBe(200);
    expect((await rawGet(url, { ...auth, host: `[::1]:${fixture.server.port}` })).status).toBe(200);
    // A foreign Host is refused before the key is looked at.
    expect((await rawGet(url, { host: 'evil.example' })).status).toBe(403);
  });

  it('parses the Host header by the URL rules: userinfo, a path, a bad port or two Host headers are refused', async () => {
    const { baseUrl, apiKey, port } = fixture.server;
    for (const hosts of [
      [`localhost:${port}@evil.com`],
      ['localhost:evil.com'],
      [`127.0.0.1:${port}/evil`],
      [`127.0.0.1:${port}`, 'evil.example'],
      [`localhost:${port}`, `localhost:${port}`],
    ]) {
      const answer = await rawHosts(baseUrl, apiKey, hosts);
      expect(answer.status, hosts.join(' + ')).toBe(403);
      expect(JSON.parse(answer.body).error.code, hosts.join(' + ')).toBe('host_not_allowed');
    }
    expect((await rawHosts(baseUrl, apiKey, [`127.0.0.1:${port}`])).status).toBe(200);
  });

  it('sends no CORS headers unless origins are listed, and then only for those', async () => {
    const preflight = (base: string, origin: string) =>
      fetch(`${base}/chat/completions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const off = await preflight(fixture.server.baseUrl, 'https://evil.example');
    expect(off.headers.get('access-control-allow-origin')).toBeNull();

    const listed = await fixture.startServer({ corsOrigins: ['https://app.example'] });
    const allowed = await preflight(listed.baseUrl, 'https://app.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight(listed.baseUrl, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // The key is still required for the real request.
    const unauthenticated = await fetch(`${listed.baseUrl}/models`, { headers: { origin: 'https://app.example' } });
    expect(unauthenticated.status).toBe(401);
  });

  it('refuses a body over the limit with 413 before it reaches the model', async () => {
    // The scripted model answers at once: without the limit this is a 200, never a timeout.
    const small = await fixture.startServer({ bodyLimit: 4096 });
    const reached = fixture.scripted.requests.length;
    const over = new OpenAI({ baseURL: small.baseUrl, apiKey: small.apiKey, maxRetries: 0 });
    const refusal = (content: string, on: OpenAI = over) =>
      on.chat.completions
        .create({ model: SCRIPTED_MODEL, messages: [{ role: 'user', content }] })
        .then((answer) => ({ status: 200, code: answer.object }))
        .catch((error: { status?: number; code?: string }) => ({ status: error.status, code: error.code }));
    expect(await refusal('a'.repeat(5000))).toEqual({ status: 413, code: 'request_too_large' });
    // The default limit (1 MiB) on the fixture's server.
    expect(await refusal('a'.repeat(1_100_000), client)).toEqual({ status: 413, code: 'request_too_large' });
    expect(fixture.scripted.requests).toHaveLength(reached);
    expect(await refusal('a'.repeat(1000))).toEqual({ status: 200, code: 'chat.completion' });
  });

  it('queues requests to one model up to the bound, then answers 429 with Retry-After', async () => {
    const server = await fixture.startServer({ queuePerModel: 1 });
    const queued = new OpenAI({ baseURL: server.baseUrl, apiKey: server.apiKey, maxRetries: 0 });
    const gate = fixture.scripted.hold();
    fixture.scripted.replies = ['one two three', 'four five'];
    const request = { model: SCRIPTED_MODEL, messages: [{ role: 'user' as const, content: 'Hi' }] };
    // Earlier tests asked the scripted model too (the 413 test's last request): count from here.
    const reached = fixture.scripted.requests.length;
    const running = queued.chat.completions.create(request);
    await expect.poll(() => fixture.scripted.requests.length).toBe(reached + 1);
    const waiting = queued.chat.completions.create(request);
    await expect.poll(() => server.inFlight()).toBe(2);
    // A line past its bound would take the third request in: that is the failure, seen at once.
    const joinedTheLine = new Promise<'joined the line'>((resolve) => {
      const off = server.onInFlightChange(() => {
        if (server.inFlight() <= 2) return;
        off();
        resolve('joined the line');
      });
    });
    const refused = await Promise.race([
      queued.chat.completions
        .create(request)
        .withResponse()
        .catch((error: unknown) => error),
      joinedTheLine,
    ]);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(Number(rateLimit.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(rateLimit.message).toContain(SCRIPTED_MODEL);
    gate.release(Infinity);
    expect((await running).choices[0]!.message.content).toBe('one two three');
    expect((await waiting).choices[0]!.message.content).toBe('four five');
    fixture.scripted.gate = undefined;
  });

  it('cancels a streamed request whose client left right after sending it, and the model serves the next', async () => {
    // No line: a model still held by a request nobody reads answers the next one with 429 at once.
    const server = await fixture.startServer({ queuePerModel: 0 });
    fixture.scripted.hold();
    const before = chatLines();
    for (let round = 0; round < 10; round++) {
      await sendAndLeave(server.baseUrl, server.apiKey, {
        model: SCRIPTED_MODEL,
        messages: [{ role: 'user', content: `leaving ${round}` }],
        stream: true,
      });
    }
    await expect.poll(chatLines).toBe(before + 10);
    // The gate holds every token: only the abort ends a request that reached the engine.
    await expect.poll(() => server.inFlight()).toBe(0);
    fixture.scripted.gate = undefined;
    fixture.scripted.replies = ['served next'];
    const next = await new OpenAI({
      baseURL: server.baseUrl,
      apiKey: server.apiKey,
      maxRetries: 0,
    }).chat.completions.create({ model: SCRIPTED_MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    expect(next.choices[0]!.message.content).toBe('served next');
  });

  it('cancels the generation when the client disconnects mid-stream', async () => {
    const gate = fixture.scripted.hold();
    fixture.scripted.replies = ['a b c d e f g h'];
    const controller = new AbortController();
    // The status line waits for the first token, so it has to pass before the response starts.
    gate.release(1);
    const stream = await client.chat.completions.create(
      { model: SCRIPTED_MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value.choices[0].delta.content).toBe('a');
    expect(fixture.server.inFlight()).toBe(1);
    controller.abort();
    // The gate still holds every other token: only the abort reaching the engine ends the run.
    await expect.poll(() => fixture.server.inFlight(), { timeout: 30_000 }).toBe(0);
    fixture.scripted.gate = undefined;
    await expect.poll(() => fixture.logger.messages('info').some((line) => line.includes('client left'))).toBe(true);
  });
});

describe('the API server with real llama.cpp under load and failure', () => {
  it('aborts a real stream mid-way and the next request works', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model: fixture.chatModel,
        messages: [{ role: 'user', content: 'Tell me a long story.' }],
        max_tokens: 400,
        stream: true,
      },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) {
        controller.abort();
        break;
      }
    }
    await expect.poll(() => fixture.server.inFlight(), { timeout: 30_000 }).toBe(0);
    const next = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 4,
    });
    expect(next.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('answers 500 when the engine crashes on a request, and the next request works', async () => {
    // TinyStories-656K has no `#` in its vocabulary: tokenizing it aborts llama.cpp (test/fixtures/models/README.md).
    const crash = client.chat.completions.create({
      model: fixture.crashingModel,
      messages: [{ role: 'user', content: '# heading' }],
    });
    await expect(crash).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(crash).rejects.toMatchObject({ status: 500, code: 'worker_crashed' });
    const streamed = client.chat.completions.create({
      model: fixture.crashingModel,
      messages: [{ role: 'user', content: '# again' }],
      stream: true,
    });
    await expect(streamed).rejects.toMatchObject({ status: 500 });
    const next = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Hello' }],
      max_tokens: 4,
    });
    expect(next.choices[0]!.message.content!.length).toBeGreaterThan(0);
  }, 120_000);

  it('serves 8 concurrent streaming clients, each a complete answer with nothing interleaved', async () => {
    const prompts = ['a cat', 'a dog', 'a bird', 'a fish', 'a frog', 'a tree', 'the sun', 'a boat'].map(
      (topic) => `Tell me a story about ${topic}.`,
    );
    const alone = [];
    for (const prompt of prompts) {
      const reply = await client.chat.completions.create({
        model: fixture.chatModel,
        messages: [{ role: 'user', content: prompt }],
        max_tokens: 24,
        temperature: 0,
      });
      alone.push(reply.choices[0]!.message.content);
    }
    const together = await Promise.all(
      prompts.map(async (prompt) => {
        const stream = await client.chat.completions.create({
          model: fixture.chatModel,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: 24,
          temperature: 0,
          stream: true,
          stream_options: { include_usage: true },
        });
        const chunks = [];
        for await (const chunk of stream) chunks.push(chunk);
        return chunks;
      }),
    );
    const ids = together.map((chunks) => {
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
      expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason)).toHaveLength(1);
      expect(chunks[chunks.length - 1]!.usage!.completion_tokens).toBeGreaterThan(0);
      return chunks[0]!.id;
    });
    expect(new Set(ids).size).toBe(8);
    // Greedy decoding: each stream's text is what that prompt gives alone, so no text crossed streams.
    expect(together.map((chunks) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''))).toEqual(
      alone,
    );
  }, 180_000);
});
