import { describe, expect, it } from 'vitest';
import { carriesOutput } from '../../../extensions/remote/wire';

const chunk = (choices: unknown) => ({ id: 'c', object: 'chat.completion.chunk', choices });

describe('what keeps a remote reply alive', () => {
  it('text, reasoning, a refusal, tool calls and a finish reason are output', () => {
    for (const delta of [
      { content: 'x' },
      { reasoning_content: 'thinking' },
      { reasoning: 'thinking' },
      { refusal: 'no' },
      { tool_calls: [{ index: 0, function: { arguments: '{' } }] },
      { function_call: { arguments: '{' } },
    ])
      expect(carriesOutput(chunk([{ index: 0, delta }])), JSON.stringify(delta)).toBe(true);
    expect(carriesOutput(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]))).toBe(true);
  });

  it('keep-alive shapes are not: no choices, role-only or empty deltas, usage alone, junk', () => {
    for (const raw of [
      chunk([]),
      chunk([{ index: 0, delta: { role: 'assistant' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: '' } }]),
      chunk([{ index: 0, delta: { content: null, tool_calls: [] } }]),
      chunk([{ index: 0, delta: {} }]),
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
      null,
      'data',
      { choices: 'x' },
      chunk([null]),
    ])
      expect(carriesOutput(raw), JSON.stringify(raw)).toBe(false);
  });
});
