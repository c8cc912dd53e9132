import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EngineRegistry,
  EventBus,
  InferenceService,
  InlineCompletionService,
  InlineSuggestions,
  MemoryLogger,
} from '@jan/core';
import type { CompletionDocument } from '@jan/core';
import { ScriptedEngine } from '../../support/scripted-engine';

function setup() {
  const logger = new MemoryLogger();
  const engines = new EngineRegistry();
  const engine = new ScriptedEngine({ id: 'coder', models: ['coder-1'] });
  engines.register(engine);
  const inference = new InferenceService({
    engines,
    events: new EventBus(logger),
    logger,
    models: () => undefined,
    chosenModelId: (purpose) => (purpose === 'completion' ? 'coder-1' : undefined),
  });
  const suggestions = new InlineSuggestions(new InlineCompletionService({ inference, logger }), () => Date.now());
  return { engine, suggestions };
}

/** A one-line document the test types into. */
function typing(start: string) {
  let text = start;
  const document: CompletionDocument = { lineCount: 1, languageId: 'typescript', lineText: () => text };
  return {
    document,
    type: (character: string) => (text += character).length,
  };
}

const options = { automatic: true, debounceMs: 200, maxTokens: 32, timeLimitMs: 500 };

/** Types `keys` `gapMs` apart, each keystroke cancelling the previous request as the editor does; the requests made. */
async function burst(keys: string, gapMs: number) {
  const { engine, suggestions } = setup();
  engine.completion = 'never typed';
  const { document, type } = typing('const value = ');
  let previous: AbortController | undefined;
  const pending: Promise<unknown>[] = [];
  for (const key of keys) {
    previous?.abort();
    previous = new AbortController();
    pending.push(suggestions.suggest(document, 0, type(key), options, previous.signal));
    await vi.advanceTimersByTimeAsync(gapMs);
  }
  await vi.advanceTimersByTimeAsync(5000);
  await Promise.all(pending);
  return { requests: engine.completeRequests.length, generations: suggestions.generations };
}

describe('InlineSuggestions while typing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts one generation for a burst of keystrokes 50 ms apart', async () => {
    expect(await burst('qzxvkjwpfy', 50)).toEqual({ requests: 1, generations: 1 });
  });

  it('learns a typing rhythm just over the pause setting: at most 2 generations for 10 keystrokes 300 ms apart', async () => {
    const { requests } = await burst('qzxvkjwpfy', 300);
    expect(requests).toBeLessThanOrEqual(2);
  });

  it('makes no request while the user types a shown suggestion', async () => {
    const { engine, suggestions } = setup();
    engine.completion = 'compute(input);';
    const { document, type } = typing('const value = ');
    const shown = suggestions.suggest(document, 0, 14, { ...options, automatic: false }, new AbortController().signal);
    expect((await shown)?.text).toBe('compute(input);');
    for (const key of 'compute(in') {
      const next = suggestions.suggest(document, 0, type(key), options, new AbortController().signal);
      await vi.advanceTimersByTimeAsync(100);
      await next;
    }
    expect(engine.completeRequests).toHaveLength(1);
  });
});
