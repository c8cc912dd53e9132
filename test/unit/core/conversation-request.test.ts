import { describe, expect, it } from 'vitest';
import { buildChatRequest, conversationTurns, EngineError, textContent } from '@jan/core';
import type { Thread, ThreadMessage } from '@jan/core';
import { ScriptedEngine } from '../../support/scripted-engine';

function thread(overrides: Partial<Thread['assistants'][0]> = {}): Thread {
  return {
    id: 't1',
    object: 'thread',
    title: 'T',
    created: 0,
    updated: 0,
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        instructions: 'Be brief.',
        model: { id: 'm', engine: 'scripted', settings: {}, parameters: { temperature: 0.2, max_tokens: 10, stop: ['END'] } },
        ...overrides,
      },
    ],
  };
}

let counter = 0;
function message(role: ThreadMessage['role'], text: string, status: ThreadMessage['status'] = 'ready'): ThreadMessage {
  counter += 1;
  return { id: `m${counter}`, object: 'thread.message', thread_id: 't1', role, content: textContent(text), status, created: counter, updated: counter };
}

describe('conversation turns', () => {
  it('keeps finished turns, merges same-role neighbours, starts with the user', () => {
    const turns = conversationTurns([
      message('assistant', 'Hello, I am Jan.'),
      message('user', 'one'),
      message('user', 'two'),
      message('assistant', 'partial', 'stopped'),
      message('assistant', '', 'error'),
      message('assistant', 'failed', 'error'),
      message('user', 'three'),
      message('assistant', 'streaming', 'pending'),
    ]);
    expect(turns).toEqual([
      { role: 'user', content: 'one\n\ntwo' },
      { role: 'assistant', content: 'partial' },
      { role: 'user', content: 'three' },
    ]);
  });
});

describe('buildChatRequest', () => {
  it('puts instructions first and carries the thread parameters and session key', async () => {
    const { request, droppedMessages } = await buildChatRequest({
      thread: thread(),
      history: [message('user', 'hi')],
      model: { id: 'm', engine: 'scripted' },
      engine: new ScriptedEngine(),
    });
    expect(droppedMessages).toBe(0);
    expect(request).toMatchObject({
      model: 'm',
      session_key: 't1',
      temperature: 0.2,
      max_tokens: 10,
      stop: ['END'],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('drops the oldest turns to fit the context and says how many', async () => {
    // 8 template tokens + words per turn; context 100, 10 kept for the reply, system = 8 + 2.
    const history: ThreadMessage[] = [];
    for (let i = 0; i < 10; i++) {
      history.push(message('user', `question number ${i}`));
      history.push(message('assistant', `answer number ${i} here`));
    }
    history.push(message('user', 'last question'));
    const cache = new Map<string, number>();
    const engine = new ScriptedEngine({ contextSize: 100 });
    const { request, droppedMessages } = await buildChatRequest({
      thread: thread(),
      history,
      model: { id: 'm', engine: 'scripted' },
      engine,
      tokenCache: cache,
    });
    const kept = request.messages.slice(1);
    expect(kept[0]!.role).toBe('user');
    expect(kept[kept.length - 1]).toEqual({ role: 'user', content: 'last question' });
    expect(droppedMessages).toBe(21 - kept.length);
    expect(droppedMessages).toBeGreaterThan(0);
    const used = 10 + kept.reduce((sum, turn) => sum + 8 + turn.content.split(' ').length, 0);
    expect(used).toBeLessThanOrEqual(90);
    expect(cache.size).toBeGreaterThan(0);
  });

  it('refuses a last message that alone exceeds the context, with the numbers', async () => {
    const engine = new ScriptedEngine({ contextSize: 64 });
    const huge = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    await expect(buildChatRequest({ thread: thread(), history: [message('user', huge)], model: { id: 'm', engine: 'scripted' }, engine })).rejects.toThrow(
      EngineError,
    );
    await expect(buildChatRequest({ thread: thread(), history: [message('user', huge)], model: { id: 'm', engine: 'scripted' }, engine })).rejects.toThrow(
      /about 208 tokens.*holds 64/,
    );
  });
});
