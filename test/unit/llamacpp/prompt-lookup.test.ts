import { describe, expect, it } from 'vitest';
import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import { PromptLookup, usePromptLookup } from '../../../extensions/llamacpp/worker/prompt-lookup';

const tokens = (...values: number[]) => values as Token[];

/** The sequence's own counts of checked drafts, which the test moves as llama.cpp would. */
const sequence = { tokenPredictions: { used: 0, unused: 0, validated: 0, refuted: 0 } };

function started(): PromptLookup {
  const lookup = new PromptLookup();
  sequence.tokenPredictions = { used: 0, unused: 0, validated: 0, refuted: 0 };
  lookup.begin(true, sequence as unknown as LlamaContextSequence);
  lookup.reset({
    targetSequence: sequence as unknown as LlamaContextSequence,
    stateTokens: [],
    evaluateOptions: {} as SequenceEvaluateOptions,
  });
  lookup.updateInputTokens(tokens(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  return lookup;
}

describe('prompt lookup: drafts from the prompt while the reply copies it', () => {
  it('drafts what followed the last three tokens in the prompt', () => {
    const lookup = started();
    lookup.pushTokens(tokens(1, 2));
    expect(lookup.predictTokens()).toEqual([]);
    lookup.pushTokens(tokens(3));
    expect(lookup.predictTokens()).toEqual(tokens(4, 5, 6, 7, 8, 9));
  });

  it('stops drafting for the turn when the model keeps few of its drafts, and starts again next turn', () => {
    const lookup = started();
    lookup.pushTokens(tokens(1, 2, 3));
    sequence.tokenPredictions = { used: 6, unused: 0, validated: 6, refuted: 17 };
    expect(lookup.predictTokens()).toHaveLength(6);
    // 6 kept of 24 checked: this reply is not a copy.
    sequence.tokenPredictions = { used: 6, unused: 0, validated: 6, refuted: 18 };
    expect(lookup.predictTokens()).toEqual([]);
    lookup.begin(true, sequence as unknown as LlamaContextSequence);
    expect(lookup.predictTokens()).toHaveLength(6);
  });

  it('drafts nothing when switched off', () => {
    const lookup = started();
    lookup.begin(false, sequence as unknown as LlamaContextSequence);
    lookup.pushTokens(tokens(1, 2, 3));
    expect(lookup.predictTokens()).toEqual([]);
  });

  it('is for turns whose last user message holds a code block', () => {
    expect(usePromptLookup([{ role: 'user', content: 'Fix this:\n```ts\nconst a = 1;\n```' }])).toBe(true);
    expect(usePromptLookup([{ role: 'user', content: '~~~\ncode\n~~~' }])).toBe(true);
    expect(usePromptLookup([{ role: 'user', content: 'Tell me a story about `x`.' }])).toBe(false);
    expect(
      usePromptLookup([
        { role: 'user', content: '```\nold code\n```' },
        { role: 'assistant', content: 'Done.' },
        { role: 'user', content: 'Thanks! Now a story.' },
      ]),
    ).toBe(false);
  });
});
