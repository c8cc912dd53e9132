import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@jan/core';
import { EDIT_SYSTEM_PROMPT } from '@jan/core';
import { collect } from './support/collect';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';

/**
 * Text in the test model's own style (its greedy output for a similar prompt): it is a story model,
 * not a rewriter, so only such text makes its reply follow the prompt for stretches long enough
 * to draft from. The reply starts inside the code block (an assistant prefill).
 */
const CODE = [
  'Once upon a time, there was a little girl named Lily. She was very excited to go to the park with her mommy.',
  'Lily was so excited to see all her friends. She asked her mommy, "Mommy, can we go to the park?"',
].join('\n');

const rewrite: ChatMessage[] = [
  { role: 'system', content: EDIT_SYSTEM_PROMPT },
  { role: 'user', content: `Fix the bugs in this code.\n\n\`\`\`text\n${CODE}\n\`\`\`` },
  { role: 'assistant', content: '```text\nOnce upon a time' },
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
