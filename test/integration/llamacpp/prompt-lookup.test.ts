import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@jan/core';
import { EDIT_SYSTEM_PROMPT } from '@jan/core';
import { collect } from './support/collect';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';

/** Story text the test model writes well: a rewrite of it is mostly a copy. */
const CODE = [
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park.',
  'One day, she saw a big red ball under a tree. She ran to the ball and kicked it very high.',
  'The ball went up and up, and then it came down on the grass. Lily laughed and ran after it.',
].join('\n');

const rewrite: ChatMessage[] = [
  { role: 'system', content: EDIT_SYSTEM_PROMPT },
  { role: 'user', content: `Fix the bugs in this code.\n\n\`\`\`text\n${CODE}\n\`\`\`` },
];

describe('prompt-lookup speculative decoding', () => {
  let fixture: EngineFixture | undefined;
  afterEach(async () => {
    await fixture?.engine.dispose();
    fixture = undefined;
  });

  const run = async (messages: ChatMessage[], promptLookup: 'auto' | 'off') => {
    fixture = await createEngine({ promptLookup, contextSize: 1024 });
    const result = await collect(
      fixture.engine.chat({ model: CHAT_FIM_MODEL, messages, max_tokens: 96, temperature: 0 }),
    );
    await fixture.engine.dispose();
    fixture = undefined;
    return { text: result.text, timings: result.chunks.at(-1)!.timings! };
  };

  it('drafts from the prompt for a rewrite, and the greedy output is the same as without it', async () => {
    const drafted = await run(rewrite, 'auto');
    const plain = await run(rewrite, 'off');
    expect(drafted.text.length).toBeGreaterThan(0);
    expect(drafted.text).toBe(plain.text);
    expect(drafted.timings.draft_n).toBeGreaterThan(0);
    expect(drafted.timings.draft_n_accepted).toBeGreaterThanOrEqual(0);
    expect(drafted.timings.draft_n_accepted).toBeLessThanOrEqual(drafted.timings.draft_n!);
    expect(plain.timings.draft_n).toBeUndefined();
  });

  it('drafts nothing for a turn without code', async () => {
    const chat = await run([{ role: 'user', content: `Tell me a story. ${CODE}` }], 'auto');
    expect(chat.timings.draft_n).toBeUndefined();
  });
});
