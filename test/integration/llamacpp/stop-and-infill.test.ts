import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '@jan/core';
import { CHAT_FIM_MODEL, createEngine, PLAIN_MODEL } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { collect } from './support/collect';

describe('llama.cpp engine: stopping and fill-in-the-middle', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await createEngine();
  });
  afterAll(async () => {
    await fixture.engine.dispose();
  });

  it('stops mid-stream: no chunk after the abort, the worker really stops, and stays usable', async () => {
    const controller = new AbortController();
    const seen: ChatCompletionChunk[] = [];
    let afterAbort = 0;
    for await (const chunk of fixture.engine.chat(
      { model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Tell me a long story.' }], max_tokens: 400 },
      controller.signal,
    )) {
      if (controller.signal.aborted) afterAbort++;
      seen.push(chunk);
      if (seen.length === 3) controller.abort();
    }
    expect(afterAbort).toBe(0);
    expect(seen).toHaveLength(3);
    expect(seen.every((chunk) => chunk.choices[0]!.finish_reason === null)).toBe(true);
    // The worker confirmed the cancel: its run ended as aborted, far short of max_tokens.
    const status = fixture.engine.status();
    expect(status.lastFinishReason).toBe('abort');
    expect(status.lastCompletionTokens).toBeLessThan(400);
    expect(status.state).toBe('ready');

    const after = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5 }),
    );
    expect(after.final!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('yields nothing for a request aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { chunks } = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hi' }] }, controller.signal),
    );
    expect(chunks).toEqual([]);
  });

  it('cancels the generation when the consumer leaves the stream early', async () => {
    const received: ChatCompletionChunk[] = [];
    for await (const chunk of fixture.engine.chat({
      model: CHAT_FIM_MODEL,
      messages: [{ role: 'user', content: 'Tell me a long story.' }],
      max_tokens: 400,
    })) {
      received.push(chunk);
      break;
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.choices[0]!.delta.content).toBeTruthy();
    // That the worker was told to cancel is test/unit/llamacpp/chat-stream.test.ts; here: it stays usable.
    const after = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5 }),
    );
    expect(after.final!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('fills in the middle with the FIM tokens of the GGUF: the suffix changes the answer', async () => {
    const prefix = 'Once upon a time, there was a little';
    const request = { model: CHAT_FIM_MODEL, prefix, max_tokens: 16, temperature: 0 };
    const park = await fixture.engine.complete({ ...request, suffix: ' They played all day in the park.' });
    const sea = await fixture.engine.complete({
      ...request,
      suffix: ' The fish swam away into the deep blue sea and never came back.',
    });
    for (const result of [park, sea]) {
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.tokens).toBeGreaterThan(0);
      expect(result.tokens).toBeLessThanOrEqual(16);
      expect(result.finish_reason).toMatch(/^(stop|length)$/);
    }
    expect(park.text).not.toBe(sea.text);
  });

  it('falls back to completing the prefix on a model without FIM tokens: the suffix is not used', async () => {
    const prefix = 'Once upon a time, there was a little';
    const request = { model: PLAIN_MODEL, prefix, max_tokens: 16, temperature: 0 };
    const park = await fixture.engine.complete({ ...request, suffix: ' They played all day in the park.' });
    const sea = await fixture.engine.complete({
      ...request,
      suffix: ' The fish swam away into the deep blue sea and never came back.',
    });
    expect(park.text.length).toBeGreaterThan(0);
    expect(park.text).toBe(sea.text);
  });

  it('rejects a cancelled completion as ABORTED right away', async () => {
    const controller = new AbortController();
    const pending = fixture.engine.complete(
      { model: CHAT_FIM_MODEL, prefix: 'Once upon a time', suffix: '', max_tokens: 400 },
      controller.signal,
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    const after = await fixture.engine.complete({
      model: CHAT_FIM_MODEL,
      prefix: 'Once upon a time',
      suffix: '',
      max_tokens: 4,
    });
    expect(after.tokens).toBeGreaterThan(0);
  });
});
