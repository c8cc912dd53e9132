import * as os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { collect } from './support/collect';

describe('llama.cpp engine: worker-thread transport, settings changes, unload and idle unload', () => {
  let fixture: EngineFixture | undefined;

  afterEach(async () => {
    await fixture?.engine.dispose();
    fixture = undefined;
  });

  // Safe input only: a llama.cpp abort in a worker thread would end this whole test process.
  it('runs chat, completion and token counts in a worker thread', async () => {
    fixture = await createEngine({ transport: 'thread' });
    const reply = await collect(
      fixture.engine.chat({
        model: CHAT_FIM_MODEL,
        messages: [{ role: 'user', content: 'Tell me a story.' }],
        max_tokens: 12,
      }),
    );
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.final!.usage!.completion_tokens).toBeGreaterThan(0);
    expect(
      (await fixture.engine.complete({ model: CHAT_FIM_MODEL, prefix: 'Once upon a time', suffix: '', max_tokens: 6 }))
        .tokens,
    ).toBeGreaterThan(0);
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello there')).toBeGreaterThan(0);
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^llama\.cpp worker started \(thread; CPU; 1 threads\)/),
    );
  });

  it('starts a new worker when the transport or thread setting changes', async () => {
    fixture = await createEngine({ transport: 'process' });
    await fixture.engine.load(CHAT_FIM_MODEL);
    fixture.settings.transport = 'thread';
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
    const started = fixture.logger.messages('info').filter((line) => line.startsWith('llama.cpp worker started'));
    expect(started).toEqual([expect.stringContaining('(process;'), expect.stringContaining('(thread;')]);
    expect(fixture.events.filter((event) => event.name === 'OnModelReady')).toHaveLength(2);
  }, 180_000);

  it('unloads a model on request and loads it again on the next use', async () => {
    fixture = await createEngine();
    await fixture.engine.load(CHAT_FIM_MODEL);
    await fixture.engine.unload(CHAT_FIM_MODEL);
    expect(fixture.engine.contextSize(CHAT_FIM_MODEL)).toBeUndefined();
    expect(fixture.events.map((event) => event.name)).toEqual(['OnModelLoading', 'OnModelReady', 'OnModelStopped']);
    expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
    expect(fixture.engine.contextSize(CHAT_FIM_MODEL)).toBe(512);
  });

  it('reloads when the context size changes', async () => {
    fixture = await createEngine();
    await fixture.engine.load(CHAT_FIM_MODEL);
    await fixture.engine.load(CHAT_FIM_MODEL, { ctx_len: 256 });
    expect(fixture.engine.contextSize(CHAT_FIM_MODEL)).toBe(256);
    expect(fixture.events.filter((event) => event.name === 'OnModelReady')).toHaveLength(2);
  });

  it('unloads the model and stops the worker after the idle time', async () => {
    fixture = await createEngine({ idleUnloadMinutes: 0.005 });
    const stopped = fixture.nextEvent('OnModelStopped');
    await fixture.engine.load(CHAT_FIM_MODEL);
    expect(await stopped).toEqual({ modelId: CHAT_FIM_MODEL });
    expect(fixture.engine.status().state).toBe('idle');
    expect(fixture.engine.contextSize(CHAT_FIM_MODEL)).toBeUndefined();
    expect(fixture.logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Unloaded stories260K-chatml-fim \(idle for 0\.005 min\)/),
    );

    const reply = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 4 }),
    );
    expect(reply.final!.usage!.completion_tokens).toBeGreaterThan(0);
  }, 180_000);
});

describe('llama.cpp engine: hardware defaults', () => {
  it('detects the GPU (auto) with a CPU fallback and defaults to the physical cores, not 4 threads', async () => {
    const fixture = await createEngine({ gpu: 'auto', threads: 0 });
    try {
      expect(await fixture.engine.countTokens(CHAT_FIM_MODEL, 'Hello')).toBeGreaterThan(0);
      const line = fixture.logger.messages('info').find((message) => message.startsWith('llama.cpp worker started'))!;
      const threads = Number(/; (\d+) threads\)/.exec(line)![1]);
      expect(threads).toBeGreaterThanOrEqual(1);
      expect(threads).toBeLessThanOrEqual(os.cpus().length);
      expect(line).toMatch(/\(process; (CPU|GPU: \w+);/);
      // Chosen from the cores and the machine's load (worker/thread-count.ts), and it says so.
      expect(line).toMatch(/threads\) from \d+ physical cores, (load [\d.]+|\d+% busy), other programs/);
    } finally {
      await fixture.engine.dispose();
    }
  });
});
