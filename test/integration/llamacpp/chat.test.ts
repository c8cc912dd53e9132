import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { collect } from './support/collect';

describe('llama.cpp engine: load and chat (child-process worker)', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await createEngine();
  });
  afterAll(async () => {
    await fixture.engine.dispose();
  });

  it('loads a GGUF model and reports it ready with its context size', async () => {
    await fixture.engine.load(CHAT_FIM_MODEL);
    expect(fixture.engine.status()).toMatchObject({ state: 'ready', modelId: CHAT_FIM_MODEL });
    expect(fixture.engine.contextSize(CHAT_FIM_MODEL)).toBe(512);
    expect(fixture.events.map((event) => event.name)).toEqual(['OnModelLoading', 'OnModelReady']);
    expect(fixture.logger.messages('info').some((line) => line.includes('chat template ChatML'))).toBe(true);
  });

  it('streams an OpenAI-shaped reply with the chat template from the GGUF, ending with usage', async () => {
    const { text, chunks, final } = await collect(
      fixture.engine.chat({
        model: CHAT_FIM_MODEL,
        messages: [{ role: 'user', content: 'Tell me a story about a cat.' }],
        max_tokens: 24,
      }),
    );
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      model: CHAT_FIM_MODEL,
      choices: [{ index: 0, delta: { role: 'assistant' } }],
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(final).toBe(chunks[chunks.length - 1]);
    expect(final!.choices[0]!.finish_reason).toMatch(/^(stop|length)$/);
    expect(final!.usage!.completion_tokens).toBeGreaterThan(0);
    expect(final!.usage!.completion_tokens).toBeLessThanOrEqual(24);
    // ChatML wraps the message in <|im_start|>user … <|im_end|>: far more tokens than the text alone.
    const bare = await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Tell me a story about a cat.');
    expect(final!.usage!.prompt_tokens).toBeGreaterThan(bare + 10);
    expect(fixture.engine.status().lastTokensPerSecond).toBeGreaterThan(0);
  });

  it('honours max_tokens (finish_reason length) and a stop string', async () => {
    const limited = await collect(
      fixture.engine.chat({
        model: CHAT_FIM_MODEL,
        messages: [{ role: 'user', content: 'Once upon a time' }],
        max_tokens: 3,
      }),
    );
    expect(limited.final!.choices[0]!.finish_reason).toBe('length');
    expect(limited.final!.usage!.completion_tokens).toBe(3);

    const long = await collect(
      fixture.engine.chat({
        model: CHAT_FIM_MODEL,
        messages: [{ role: 'user', content: 'Tell me a story.' }],
        max_tokens: 60,
      }),
    );
    const stopAt = long.text.trim().split(/\s+/)[2]!;
    const stopped = await collect(
      fixture.engine.chat({
        model: CHAT_FIM_MODEL,
        messages: [{ role: 'user', content: 'Tell me a story.' }],
        max_tokens: 60,
        stop: [stopAt],
      }),
    );
    expect(stopped.final!.choices[0]!.finish_reason).toBe('stop');
    expect(stopped.text).not.toContain(stopAt);
    expect(stopped.text.length).toBeLessThan(long.text.length);
  });

  it('reuses the KV cache: the next turn of a thread evaluates only its new tokens', async () => {
    const first = [
      { role: 'system' as const, content: 'You tell short stories.' },
      { role: 'user' as const, content: 'Tell me a story about a dog.' },
    ];
    const turn1 = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: first, max_tokens: 16, session_key: 'thread-a' }),
    );
    const second = [
      ...first,
      { role: 'assistant' as const, content: turn1.text },
      { role: 'user' as const, content: 'And then?' },
    ];
    const turn2 = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: second, max_tokens: 16, session_key: 'thread-a' }),
    );

    const usage1 = turn1.final!.usage!;
    const usage2 = turn2.final!.usage!;
    expect(usage2.prompt_tokens).toBeGreaterThan(usage1.prompt_tokens);
    // Everything of turn 1 (its prompt and, re-tokenized, its reply) was still in the sequence.
    expect(usage2.prompt_tokens_details!.cached_tokens).toBeGreaterThanOrEqual(usage1.prompt_tokens);
    expect(turn2.final!.timings!.prompt_n).toBe(usage2.prompt_tokens - usage2.prompt_tokens_details!.cached_tokens);
    expect(turn2.final!.timings!.prompt_n).toBeLessThan(usage1.prompt_tokens);
  });

  it('keeps the chat KV cache when a completion runs in between (separate sequences)', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me a story about a bird.' }];
    const turn1 = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages, max_tokens: 12, session_key: 'thread-b' }),
    );
    const completion = await fixture.engine.complete({
      model: CHAT_FIM_MODEL,
      prefix: 'Once upon a time, there was a little',
      suffix: ' They played all day.',
      max_tokens: 12,
    });
    expect(completion.tokens).toBeGreaterThan(0);
    const next = [
      ...messages,
      { role: 'assistant' as const, content: turn1.text },
      { role: 'user' as const, content: 'More.' },
    ];
    const turn2 = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: next, max_tokens: 12, session_key: 'thread-b' }),
    );
    expect(turn2.final!.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThanOrEqual(
      turn1.final!.usage!.prompt_tokens,
    );
  });

  it('rejects a request without messages with a clear error and stays usable', async () => {
    await expect(collect(fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [] }))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('at least one message'),
    });
    const after = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 }),
    );
    expect(after.final!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('lists the models whose engine is llama.cpp', async () => {
    const models = await fixture.engine.list();
    expect(models.map((model) => model.id)).toContain(CHAT_FIM_MODEL);
    expect(models.every((model) => model.engine === 'llamacpp')).toBe(true);
  });
});
