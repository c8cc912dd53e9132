import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_FIM_MODEL, CRASHING_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { collect } from './support/collect';

// TinyStories-656K has no byte fallback: tokenizing '#' throws std::out_of_range inside llama.cpp,
// which aborts the process that runs it (test/fixtures/models/README.md). Only the child transport may see it.
describe('llama.cpp engine: a native crash in the child-process worker', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await createEngine({ transport: 'process' });
  });
  afterAll(async () => {
    await fixture.engine.dispose();
  });

  it('rejects every pending call with WORKER_CRASHED, and the next request gets a fresh worker', async () => {
    const stream = fixture.engine
      .chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Tell me a long story.' }], max_tokens: 2000 })
      [Symbol.asyncIterator]();
    const first = await stream.next();
    expect(first.done).toBe(false);

    const crash = fixture.engine.countTokens(CRASHING_MODEL, '#');
    await expect(crash).rejects.toMatchObject({
      code: 'WORKER_CRASHED',
      message: expect.stringMatching(/^The llama\.cpp worker crashed \(SIGABRT\) while .*counting tokens/),
    });
    let chatError: unknown;
    try {
      for (let next = await stream.next(); !next.done; next = await stream.next());
    } catch (error) {
      chatError = error;
    }
    expect(chatError).toMatchObject({
      code: 'WORKER_CRASHED',
      message: expect.stringContaining('generating a chat reply'),
    });
    expect((chatError as Error).message).toContain('std::out_of_range');

    expect(fixture.events.filter((event) => event.name === 'OnEngineCrashed')).toHaveLength(1);
    expect(fixture.events).toContainEqual({ name: 'OnModelStopped', payload: { modelId: CHAT_FIM_MODEL } });
    expect(fixture.engine.status()).toMatchObject({ state: 'error', error: expect.stringContaining('SIGABRT') });

    // This test process is still here; a new worker reloads the model on demand.
    const reply = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5 }),
    );
    expect(reply.final!.usage!.completion_tokens).toBeGreaterThan(0);
    expect(fixture.engine.status().state).toBe('ready');
    expect(
      fixture.logger.messages('info').filter((line) => line.startsWith('llama.cpp worker started (process')),
    ).toHaveLength(2);
  }, 180_000);

  it('runs the same model on safe input after the crash', async () => {
    expect(await fixture.engine.countTokens(CRASHING_MODEL, 'Once upon a time')).toBeGreaterThan(0);
    const completion = await fixture.engine.complete({
      model: CRASHING_MODEL,
      prefix: 'Once upon a time, there was a little',
      suffix: '',
      max_tokens: 8,
    });
    expect(completion.tokens).toBeGreaterThan(0);
  });
});
