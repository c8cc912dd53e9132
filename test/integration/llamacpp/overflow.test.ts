import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadMessage } from '@jan/core';
import { STORIES_FIM } from '../../support/test-models';
import { newThread, openTestRuntime, type TestRuntime } from '../../support/test-runtime';
import { SMALL_ENGINE } from '../../support/test-settings';
import { workerPath } from './support/engine-fixture';

/**
 * A thread grown past its context, through the runtime a user runs: the core drops the oldest
 * turns (src/core/conversation-request.ts) and the worker shifts the kept ones in the KV cache
 * (worker/context-shift.ts), so a turn past the context evaluates about its new tokens, every
 * turn, including those where the cut point moves.
 */
let fixture: TestRuntime;
let model: string;

beforeAll(async () => {
  fixture = await openTestRuntime({
    prefix: 'jan-overflow-',
    workerPath: await workerPath(),
    settings: { ...SMALL_ENGINE, 'jan.engine.contextSize': 2048 },
  });
  model = (await fixture.runtime.models.importModel(STORIES_FIM, { mode: 'reference' })).id;
  fixture.set('jan.chatModel', model);
}, 180_000);

afterAll(() => fixture?.dispose());

const metadata = (reply: ThreadMessage) =>
  reply.metadata as { prompt_tokens: number; cached_prompt_tokens: number; context_trimmed?: unknown };

describe('a thread past its context', () => {
  it('evaluates about the new tokens per turn, on average and on the turns where the cut moves', async () => {
    const runtime = fixture.runtime;
    const thread = await newThread(runtime);
    const growth: number[] = [];
    const overflow: number[] = [];
    let previous = 0;
    for (let turn = 0; overflow.length < 20; turn++) {
      expect(turn).toBeLessThan(200);
      const { reply } = await runtime.conversation.send(
        thread.id,
        `Part ${turn}. Lily went to the park with her dog and they played with a red ball. What happened next?`,
      );
      expect(reply.status).toBe('ready');
      const { prompt_tokens: prompt, cached_prompt_tokens: cached, context_trimmed: trimmed } = metadata(reply);
      if (trimmed) overflow.push(prompt - cached);
      else if (previous > 0) growth.push(prompt - previous);
      previous = prompt;
    }
    const turnTokens = growth.reduce((sum, value) => sum + value, 0) / growth.length;
    const ratios = overflow.map((evaluated) => evaluated / turnTokens);
    const mean = ratios.reduce((sum, value) => sum + value, 0) / ratios.length;
    expect(mean).toBeLessThanOrEqual(1.3);
    // No turn re-evaluates the window: the worst is a turn and a little more (a reply tokenized differently).
    expect(Math.max(...ratios)).toBeLessThan(2);
  }, 300_000);
});
