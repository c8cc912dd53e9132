import { describe, expect, it } from 'vitest';
import { buildChatRequest, conversationTurns, EngineError, textContent } from '@jan/core';
import type { ChatMessage, Thread, ThreadMessage } from '@jan/core';
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
        model: {
          id: 'm',
          engine: 'scripted',
          settings: {},
          parameters: { temperature: 0.2, max_tokens: 10, stop: ['END'] },
        },
        ...overrides,
      },
    ],
  };
}

let counter = 0;
function message(role: ThreadMessage['role'], text: string, status: ThreadMessage['status'] = 'ready'): ThreadMessage {
  counter += 1;
  return {
    id: `m${counter}`,
    object: 'thread.message',
    thread_id: 't1',
    role,
    content: textContent(text),
    status,
    created: counter,
    updated: counter,
  };
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
    await expect(
      buildChatRequest({
        thread: thread(),
        history: [message('user', huge)],
        model: { id: 'm', engine: 'scripted' },
        engine,
      }),
    ).rejects.toThrow(EngineError);
    await expect(
      buildChatRequest({
        thread: thread(),
        history: [message('user', huge)],
        model: { id: 'm', engine: 'scripted' },
        engine,
      }),
    ).rejects.toThrow(/about 208 tokens.*holds 64/);
  });
});

/** `n` one-token words: with the template allowance a turn of them counts n + 8. */
const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

function countingEngine(contextSize?: number) {
  const engine = new ScriptedEngine({ contextSize });
  const counted: string[] = [];
  const count = engine.countTokens.bind(engine);
  engine.countTokens = async (modelId, text) => {
    counted.push(`${modelId}:${text.slice(0, 12)}`);
    return count(modelId, text);
  };
  return { engine, counted };
}

describe('buildChatRequest: fitting the context', () => {
  const plain = () =>
    thread({ instructions: '', model: { id: 'm', engine: 'scripted', settings: {}, parameters: {} } });
  const model = { id: 'm', engine: 'scripted' };

  it('keeps a quarter of the context for the reply and fills the rest exactly', async () => {
    const { engine } = countingEngine(100);
    const fits = await buildChatRequest({ thread: plain(), history: [message('user', words(67))], model, engine });
    expect(fits.request.messages).toHaveLength(1);
    await expect(
      buildChatRequest({ thread: plain(), history: [message('user', words(68))], model, engine }),
    ).rejects.toMatchObject({
      code: 'CONTEXT_TOO_LONG',
      message:
        "The message is about 76 tokens, but the model's context holds 100 with 25 kept for the reply. Shorten the message or raise the context length.",
    });
  });

  it("uses the chat's default max_tokens when the thread sets none, and the thread's own when it does", async () => {
    const base = {
      history: [message('user', 'hi')],
      model: { id: 'm', engine: 'scripted' },
      engine: new ScriptedEngine(),
      defaultMaxTokens: 512,
    };
    const withoutLimit = thread({
      model: { id: 'm', engine: 'scripted', settings: {}, parameters: { temperature: 0.2 } },
    });
    expect((await buildChatRequest({ ...base, thread: withoutLimit })).request.max_tokens).toBe(512);
    expect((await buildChatRequest({ ...base, thread: thread() })).request.max_tokens).toBe(10);
    expect(
      (await buildChatRequest({ ...base, thread: withoutLimit, defaultMaxTokens: undefined })).request.max_tokens,
    ).toBeUndefined();
  });

  it('keeps max_tokens for the reply, but never more than half the context', async () => {
    const { engine } = countingEngine(100);
    const withMax = (maxTokens: number) =>
      thread({
        instructions: '',
        model: { id: 'm', engine: 'scripted', settings: {}, parameters: { max_tokens: maxTokens } },
      });
    expect(
      (await buildChatRequest({ thread: withMax(10), history: [message('user', words(82))], model, engine })).request
        .messages,
    ).toHaveLength(1);
    await expect(
      buildChatRequest({ thread: withMax(10), history: [message('user', words(83))], model, engine }),
    ).rejects.toThrow(/with 10 kept/);
    await expect(
      buildChatRequest({ thread: withMax(80), history: [message('user', words(43))], model, engine }),
    ).rejects.toThrow(/with 50 kept/);
    expect(
      (await buildChatRequest({ thread: withMax(80), history: [message('user', words(42))], model, engine })).request
        .messages,
    ).toHaveLength(1);
  });

  it('counts the instructions against the context', async () => {
    const { engine } = countingEngine(100);
    const instructed = thread({
      instructions: words(10, 'i'),
      model: { id: 'm', engine: 'scripted', settings: {}, parameters: {} },
    });
    expect(
      (await buildChatRequest({ thread: instructed, history: [message('user', words(49))], model, engine })).request
        .messages,
    ).toHaveLength(2);
    await expect(
      buildChatRequest({ thread: instructed, history: [message('user', words(50))], model, engine }),
    ).rejects.toThrow(/about 58 tokens/);
  });

  it('never starts the kept conversation with a reply', async () => {
    const { engine } = countingEngine(100);
    const history = [message('user', words(60)), message('assistant', words(5, 'a')), message('user', words(5, 'u'))];
    const { request, droppedMessages } = await buildChatRequest({ thread: plain(), history, model, engine });
    expect(request.messages).toEqual([{ role: 'user', content: words(5, 'u') }]);
    expect(droppedMessages).toBe(2);
  });

  it('drops old turns in one step to about 60% of the budget, then keeps the same start while the thread grows', async () => {
    // Budget 75 (100 - a quarter for the reply); each turn is 2 words + 8 = 10 tokens.
    const { engine } = countingEngine(100);
    const history: ThreadMessage[] = [];
    const starts: string[] = [];
    const used: number[] = [];
    for (let index = 0; index < 30; index++) {
      history.push(message(index % 2 ? 'assistant' : 'user', `t${index} x`));
      if (index % 2) continue;
      const { request } = await buildChatRequest({ thread: plain(), history, model, engine });
      starts.push(request.messages[0]!.content);
      used.push(request.messages.length * 10);
    }
    expect(Math.max(...used)).toBeLessThanOrEqual(75);
    // Each time the start moves, the thread shrinks to about 60% of the budget (45 tokens) plus the new turn.
    const moves = starts.flatMap((start, index) => (index > 0 && start !== starts[index - 1] ? [index] : []));
    expect(moves.length).toBeGreaterThanOrEqual(2);
    for (const index of moves) expect(used[index]).toBeLessThanOrEqual(0.6 * 75 + 10);
    // Between moves the start stays put for several turns: the engine's cache keeps the prefix.
    for (let index = 1; index < moves.length; index++)
      expect(moves[index]! - moves[index - 1]!).toBeGreaterThanOrEqual(2);
  });

  it("lets the engine's exact count of the rendered prompt decide when it has one", async () => {
    const { engine } = countingEngine(100);
    // A template heavier than the estimate: 20 tokens per message around its words.
    const exact = Object.assign(engine, {
      countChatTokens: async (_modelId: string, messages: ChatMessage[]) =>
        messages.reduce((sum, item) => sum + 20 + item.content.split(' ').length, 0),
    });
    const history = [
      message('user', 'a b'),
      message('assistant', 'c d'),
      message('user', 'e f'),
      message('assistant', 'g h'),
      message('user', 'i j'),
    ];
    const estimated = await buildChatRequest({
      thread: plain(),
      history,
      model,
      engine: new ScriptedEngine({ contextSize: 100 }),
    });
    expect(estimated.droppedMessages).toBe(0);
    const { request, droppedMessages } = await buildChatRequest({ thread: plain(), history, model, engine: exact });
    expect(droppedMessages).toBeGreaterThan(0);
    expect(await exact.countChatTokens('m', request.messages)).toBeLessThanOrEqual(75);
  });

  it('counts each stored message once per model, with the cache the caller keeps', async () => {
    const { engine, counted } = countingEngine(1000);
    const tokenCache = new Map<string, number>();
    const history = [message('user', 'one two'), message('assistant', 'three'), message('user', 'four')];
    await buildChatRequest({ thread: plain(), history, model, engine, tokenCache });
    expect(counted).toHaveLength(3);
    await buildChatRequest({ thread: plain(), history, model, engine, tokenCache });
    expect(counted).toHaveLength(3);
    await buildChatRequest({
      thread: plain(),
      history,
      model: { id: 'other', engine: 'scripted' },
      engine,
      tokenCache,
    });
    expect(counted).toHaveLength(6);
    expect(counted.slice(3).every((entry) => entry.startsWith('other:'))).toBe(true);
    expect([...tokenCache.keys()]).toContain(`m:${history[0]!.id}`);
  });

  it('fits to the thread context setting when the engine does not say, and not at all without one', async () => {
    const engine = new ScriptedEngine();
    const withContext = (ctx?: number) =>
      thread({
        instructions: '',
        model: { id: 'm', engine: 'scripted', settings: ctx ? { ctx_len: ctx } : {}, parameters: {} },
      });
    await expect(
      buildChatRequest({ thread: withContext(40), history: [message('user', words(40))], model, engine }),
    ).rejects.toThrow(/holds 40/);
    expect(
      (await buildChatRequest({ thread: withContext(), history: [message('user', words(400))], model, engine }))
        .droppedMessages,
    ).toBe(0);
  });
});

describe('buildChatRequest: what goes in', () => {
  const model = { id: 'm', engine: 'scripted' };

  it("takes the assistant's instructions when the thread has none, and sends no empty system message", async () => {
    const assistants = {
      getAssistant: async (id: string) => (id === 'jan' ? { instructions: '  From the assistant.  ' } : undefined),
      blockedReason: async () => undefined,
      isRestricted: () => false,
    } as never;
    const inherit = thread({ instructions: undefined });
    expect(
      (
        await buildChatRequest({
          thread: inherit,
          history: [message('user', 'hi')],
          model,
          engine: new ScriptedEngine(),
          assistants,
        })
      ).request.messages[0],
    ).toEqual({
      role: 'system',
      content: 'From the assistant.',
    });
    const none = await buildChatRequest({
      thread: inherit,
      history: [message('user', 'hi')],
      model,
      engine: new ScriptedEngine(),
    });
    expect(none.request.messages).toEqual([{ role: 'user', content: 'hi' }]);
    const blank = await buildChatRequest({
      thread: thread({ instructions: '   ' }),
      history: [message('user', 'hi')],
      model,
      engine: new ScriptedEngine(),
      assistants,
    });
    expect(blank.request.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('leaves out stored system messages and messages without text', async () => {
    const history = [message('system', 'old prompt'), message('user', '   '), message('user', 'real question')];
    const { request } = await buildChatRequest({
      thread: thread({ instructions: '' }),
      history,
      model,
      engine: new ScriptedEngine(),
    });
    expect(request.messages).toEqual([{ role: 'user', content: 'real question' }]);
  });

  it('copies only finite sampling numbers and a non-empty list of string stops', async () => {
    const parameters = {
      temperature: Number.NaN,
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: Infinity,
      max_tokens: '12',
      stop: ['END', 3, 'STOP'],
    };
    const odd = thread({
      instructions: '',
      model: { id: 'm', engine: 'scripted', settings: {}, parameters: parameters as never },
    });
    const { request } = await buildChatRequest({
      thread: odd,
      history: [message('user', 'hi')],
      model,
      engine: new ScriptedEngine(),
    });
    expect(request).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      session_key: 't1',
      top_p: 0.9,
      top_k: 40,
      seed: 7,
      frequency_penalty: 0.1,
      stop: ['END', 'STOP'],
    });
    const noStops = thread({
      instructions: '',
      model: { id: 'm', engine: 'scripted', settings: {}, parameters: { stop: [] } },
    });
    expect(
      (
        await buildChatRequest({
          thread: noStops,
          history: [message('user', 'hi')],
          model,
          engine: new ScriptedEngine(),
        })
      ).request.stop,
    ).toBeUndefined();
  });
});
