import * as net from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortInUseError, startApiServer } from '../../../src/node/server';
import { startServerFixture } from './support/server-fixture';
import type { ServerFixture } from './support/server-fixture';

let fixture: ServerFixture;
let client: OpenAI;

beforeAll(async () => {
  fixture = await startServerFixture();
  client = fixture.client();
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

describe('POST /v1/completions', () => {
  it('fills in the middle when a suffix is given, with usage', async () => {
    const completion = await client.completions.create({
      model: fixture.chatModel,
      prompt: 'Once upon a time, there was a little',
      suffix: ' They played all day.',
      max_tokens: 8,
      temperature: 0,
    });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]!.text.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(completion.choices[0]!.finish_reason);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeLessThanOrEqual(8);
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
  });

  it('completes a plain prompt on a model without FIM tokens, and streams it', async () => {
    const whole = await client.completions.create({
      model: fixture.crashingModel,
      prompt: 'Once upon a time, there was a little',
      max_tokens: 6,
    });
    expect(whole.choices[0]!.text.length).toBeGreaterThan(0);
    const stream = await client.completions.create({
      model: fixture.chatModel,
      prompt: 'Once upon a time',
      max_tokens: 6,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('').length).toBeGreaterThan(0);
  });

  it('refuses what it cannot honour by name', async () => {
    await expect(client.completions.create({ model: fixture.chatModel, prompt: 'Hi', n: 3 })).rejects.toMatchObject({
      status: 400,
      param: 'n',
    });
    await expect(
      client.completions.create({ model: fixture.chatModel, prompt: 'Hi', echo: true }),
    ).rejects.toMatchObject({ status: 400, param: 'echo' });
    await expect(client.completions.create({ model: fixture.chatModel, prompt: ['a', 'b'] })).rejects.toMatchObject({
      status: 400,
      param: 'prompt',
    });
  });
});

describe('POST /v1/embeddings', () => {
  it('returns one vector per input, the same for the same text, as floats or base64', async () => {
    const inputs = ['Once upon a time', 'The cat sat on the mat', 'Once upon a time'];
    const result = await client.embeddings.create({
      model: fixture.chatModel,
      input: inputs,
      encoding_format: 'float',
    });
    expect(result.object).toBe('list');
    expect(result.data.map((item) => item.index)).toEqual([0, 1, 2]);
    const [first, second, third] = result.data.map((item) => item.embedding);
    expect(first!.length).toBeGreaterThan(0);
    expect(first!.every(Number.isFinite)).toBe(true);
    expect(second).toHaveLength(first!.length);
    expect(third).toEqual(first);
    expect(second).not.toEqual(first);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);

    // The openai client asks for base64 by default and decodes it: the same vector.
    const decoded = await client.embeddings.create({ model: fixture.chatModel, input: 'Once upon a time' });
    expect(decoded.data[0]!.embedding).toHaveLength(first!.length);
    decoded.data[0]!.embedding.forEach((value, index) => expect(value).toBeCloseTo(first![index]!, 4));
  });

  it('refuses an empty input and an input longer than the context by name', async () => {
    await expect(client.embeddings.create({ model: fixture.chatModel, input: ['ok', ''] })).rejects.toMatchObject({
      status: 400,
      param: 'input',
    });
    const long = 'word '.repeat(2000);
    await expect(client.embeddings.create({ model: fixture.chatModel, input: long })).rejects.toMatchObject({
      status: 400,
      code: 'context_length_exceeded',
    });
    const after = await client.embeddings.create({ model: fixture.chatModel, input: 'still works' });
    expect(after.data).toHaveLength(1);
  });
});

describe('starting the server', () => {
  it('says when the port is taken and names the next free one', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const error = await startApiServer(fixture.runtime, { port: taken }).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(PortInUseError);
      const portError = error as PortInUseError;
      expect(portError.port).toBe(taken);
      expect(portError.nextFree).toBeGreaterThan(taken);
      expect(portError.message).toContain(`Port ${taken}`);
      const moved = await startApiServer(fixture.runtime, { port: portError.nextFree });
      expect(moved.port).toBe(portError.nextFree);
      await moved.close();
    } finally {
      blocker.close();
    }
  });

  it('uses the key it is given and generates one otherwise', async () => {
    const given = await startApiServer(fixture.runtime, { port: 0, apiKey: 'my-key' });
    const generated = await startApiServer(fixture.runtime, { port: 0 });
    try {
      expect(given.apiKey).toBe('my-key');
      expect(generated.apiKey).toMatch(/^jan-[\w-]{40,}$/);
      const models = await new OpenAI({ baseURL: given.baseUrl, apiKey: 'my-key', maxRetries: 0 }).models.list();
      expect(models.data.length).toBeGreaterThan(0);
    } finally {
      await given.close();
      await generated.close();
    }
  });
});
