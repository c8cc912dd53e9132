import { describe, expect, it } from 'vitest';
import {
  EngineError,
  EngineRegistry,
  EventBus,
  fitInsertion,
  INSERT_MARKER,
  InferenceService,
  insertionEdit,
  insertionPlace,
  MemoryLogger,
  readCode,
  rewriteEdit,
  rewriteTokenLimit,
  runCodeEdit,
  withOriginalRest,
} from '@jan/core';
import type { ChatMessage, CodeEditProgress, ModelChoice } from '@jan/core';
import { ScriptedEngine } from '../../support/scripted-engine';

const TS = { fence: '```', language: 'typescript' };

describe('reading the code of an answer to an opened code block', () => {
  it('takes a continuation as code up to the closing fence, and says the block closed', () => {
    expect(readCode('let x = 1;\n```\nI renamed it.', TS)).toEqual({ code: 'let x = 1;', closed: true });
    expect(readCode('let x = 1;\n```', TS)).toEqual({ code: 'let x = 1;', closed: true });
    // A model that ends (or is stopped) before closing the block: its code is the answer.
    expect(readCode('let x = 1;\nlet y', TS)).toEqual({ code: 'let x = 1;\nlet y', closed: false });
  });

  it('shows only whole lines while the answer streams, and waits to see whether a first line is a fence', () => {
    expect(readCode('let x = 1;\nlet y', TS, false)).toEqual({ code: 'let x = 1;\n', closed: false });
    expect(readCode('let x = 1;\n``', TS, false)).toEqual({ code: 'let x = 1;\n', closed: false });
    // The closing fence is known once its line ends.
    expect(readCode('let x = 1;\n```', TS, false).closed).toBe(false);
    expect(readCode('let x = 1;\n```\n', TS, false)).toEqual({ code: 'let x = 1;', closed: true });
    expect(readCode('``', TS, false)).toEqual({ code: '', closed: false });
  });

  it('reads an answer that opens its own block (a server that ignores the prefill) from that block', () => {
    expect(readCode('```ts\nlet x = 1;\n```\nDone.', TS)).toEqual({ code: 'let x = 1;', closed: true });
    expect(readCode('\n```typescript\nlet x = 1;\nlet y', TS, false)).toEqual({ code: 'let x = 1;\n', closed: false });
    // A closing fence of the opening's kind closes it; a longer one too, a shorter one does not.
    expect(readCode('~~~\na\n~~~~\nb', { fence: '~~~', language: '' })).toEqual({ code: 'a', closed: true });
  });

  it('reads a block of its own after prose (a server that ignored the prefill) from that block', () => {
    expect(readCode('Here it is:\n\n```ts\nlet x = 1;\n```\n', TS)).toEqual({ code: 'let x = 1;', closed: true });
    expect(readCode('Here it is:\n', TS, false)).toEqual({ code: 'Here it is:\n', closed: false });
    expect(readCode('Here it is:\n```ts\nlet x = 1;\n', TS, false)).toEqual({ code: 'let x = 1;\n', closed: false });
  });

  it('reads a bare fence first as closing the opened block, unless a second fence closes a block it opened', () => {
    expect(readCode('\n```\nThat code looks right to me.', TS)).toEqual({ code: '', closed: true });
    expect(readCode('```\nconst x = 1;\n', TS, false)).toEqual({ code: '', closed: false });
    expect(readCode('```\nconst x = 1;\n```\n', TS, false)).toEqual({ code: 'const x = 1;', closed: true });
  });

  it("keeps the code's own shorter fences: the opening is longer than any fence in the code", () => {
    const md = { fence: '````', language: 'markdown' };
    expect(readCode('```js\nrun();\n```\nMore text\n````\n', md)).toEqual({
      code: '```js\nrun();\n```\nMore text',
      closed: true,
    });
  });

  it('without an opening, prose is never code', () => {
    expect(readCode('return a + b;', undefined).code).toBe('');
    expect(readCode('The bug is on line 2: `lenght` should be `length`.', undefined).code).toBe('');
    expect(readCode('Here:\n```ts\nlet x = 1;\n```\nDone.', undefined)).toEqual({ code: 'let x = 1;', closed: true });
    expect(readCode('   ', TS).code).toBe('');
    expect(readCode('```\n\n```', undefined).code.trim()).toBe('');
  });
});

describe('a rewrite that is not finished', () => {
  const original =
    'function mean(values) {\n  let sum = 0;\n  for (const v of values) sum += v;\n  return sum / values.lenght;\n}\n';

  it('is the lines written so far, then the original after the last line they reproduce', () => {
    expect(withOriginalRest(original, '')).toBe(original);
    expect(withOriginalRest(original, '/** The mean. */\nfunction mean(values) {\n')).toBe(
      `/** The mean. */\n${original}`,
    );
    expect(withOriginalRest(original, 'function mean(values) {\n  let total = 0;\n')).toBe(
      'function mean(values) {\n  let total = 0;\n  let sum = 0;\n  for (const v of values) sum += v;\n  return sum / values.lenght;\n}\n',
    );
  });

  it('does not place itself by a line too short to tell (a brace, `end`)', () => {
    expect(withOriginalRest('if (a) {\n  b();\n}\nc();\n', '}\n')).toBe('}\nif (a) {\n  b();\n}\nc();\n');
  });
});

describe('edits', () => {
  const input = { code: '  x = 1\n', languageId: 'python', fileName: 'a.py', startLine: 3, endLine: 3 };

  it("a rewrite asks with the selection, opens the block in the document's language and caps the tokens", () => {
    const edit = rewriteEdit('fix', input);
    expect(edit.what).toBe('Fix on a.py:3-3');
    expect(edit.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(edit.messages[1]!.content).toContain('```python a.py:3\n  x = 1\n```');
    expect(edit.opening).toEqual({ fence: '```', language: 'python' });
    expect(edit.maxTokens).toBe(rewriteTokenLimit(input.code));
    expect(edit.replacement('x = 2', false)).toBe('  x = 2\n');
    expect(rewriteEdit('custom', { ...input, instruction: 'Use 3.' }, { title: 'Inline Chat' }).what).toBe(
      'Inline Chat on a.py:3-3',
    );
  });

  it('an insertion takes a blank line at its indentation, or goes below a line of code', () => {
    const lines = ['def f():', '    ', '    return 1'];
    expect(insertionPlace(lines, 1)).toEqual({ line: 1, onLine: true, indent: '    ' });
    expect(insertionPlace(lines, 2)).toEqual({ line: 2, onLine: false, indent: '    ' });
    expect(fitInsertion('x = 1\ny = 2\n', insertionPlace(lines, 1))).toBe('    x = 1\n    y = 2');
    expect(fitInsertion('    x = 1\n', insertionPlace(lines, 1))).toBe('    x = 1');
    expect(fitInsertion('x = 1', insertionPlace(lines, 2))).toBe('\n    x = 1');
    expect(fitInsertion('x = 1\n\ny = 2', { line: 0, onLine: true, indent: '  ' })).toBe('  x = 1\n\n  y = 2');
  });

  it('an insertion shows the model the lines around the marked place, within its budget', () => {
    const lines = [...Array.from({ length: 400 }, (_, index) => `line_${index} = ${'x'.repeat(40)}`), ''];
    const { edit, place } = insertionEdit({
      lines,
      line: 200,
      languageId: 'python',
      fileName: 'big.py',
      instruction: 'Add a helper.',
    });
    expect(place.onLine).toBe(false);
    const prompt = edit.messages[1]!.content;
    expect(prompt.endsWith('```\n\nAdd a helper.')).toBe(true);
    expect(prompt).toContain(`line_200 = ${'x'.repeat(40)}\n${INSERT_MARKER}\nline_201 =`);
    expect(prompt).not.toContain('line_100 =');
    expect(prompt).not.toContain('line_399');
    expect(prompt.length).toBeLessThan(3000 + 1000 + 400);
    expect(edit.original).toBe('');
    expect(edit.replacement('helper()', false)).toBe('\nhelper()');
  });
});

const wordsOf = (messages: Array<{ content: string }>) =>
  messages.reduce((sum, message) => sum + message.content.split(/\s+/).filter(Boolean).length, 0);

/** An engine that counts a rendered prompt's tokens, as the llama.cpp engine does (here: its words). */
class CountingEngine extends ScriptedEngine {
  async countChatTokens(_modelId: string, messages: ChatMessage[]): Promise<number> {
    return wordsOf(messages);
  }
}

function service(engine: ScriptedEngine): { inference: InferenceService; logger: MemoryLogger; model: ModelChoice } {
  const logger = new MemoryLogger();
  const events = new EventBus(logger);
  const engines = new EngineRegistry();
  engines.register(engine);
  const inference = new InferenceService({
    engines,
    events,
    logger,
    models: () => undefined,
    chosenModelId: () => 'chat-1',
  });
  return { inference, logger, model: { id: 'chat-1', engine: engine.id } };
}

describe('running an edit', () => {
  const input = {
    code: 'const total = values.lenght;\n',
    languageId: 'typescript',
    fileName: 'a.ts',
    startLine: 1,
    endLine: 1,
  };

  it('opens the code block for the model, streams whole lines, and stops the model once the block closes', async () => {
    const engine = new ScriptedEngine({ models: ['chat-1'] });
    engine.reply = 'const total =\n  values.length;\n```\n\nI fixed the spelling of length for you.';
    const { inference, logger, model } = service(engine);
    const progress: CodeEditProgress[] = [];
    const outcome = await runCodeEdit(inference, model, rewriteEdit('fix', input), {
      logger,
      onProgress: (update) => progress.push(update),
    });
    expect(outcome).toEqual({
      status: 'complete',
      replacement: 'const total =\n  values.length;\n',
      tokens: 6,
      maxTokens: rewriteTokenLimit(input.code),
    });
    const request = engine.requests[0]!;
    expect(request.messages.at(-1)).toEqual({ role: 'assistant', content: '```typescript\n' });
    expect(request.max_tokens).toBe(rewriteTokenLimit(input.code));
    const shown = progress.flatMap((update) => (update.replacement === undefined ? [] : [update.replacement]));
    expect(shown[0]).toBe('const total =\nconst total = values.lenght;\n');
    expect(shown.every((text) => !text.includes('```'))).toBe(true);
    // Stopped at the blank line after the fence: the explanation was never generated.
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(/^Fix on a\.ts:1-1 from chat-1: 6 tokens in /),
    );
  });

  it("ends as incomplete, keeping the original's rest, when the token limit or the user stops it", async () => {
    const engine = new ScriptedEngine({ models: ['chat-1'] });
    const long = `const total = values.length;\n${'// and more\n'.repeat(200)}`;
    engine.reply = long;
    const { inference, logger, model } = service(engine);
    const limited = await runCodeEdit(inference, model, rewriteEdit('fix', input), { logger });
    expect(limited).toMatchObject({ status: 'incomplete', reason: 'limit', tokens: rewriteTokenLimit(input.code) });
    expect(limited.status === 'incomplete' && limited.replacement?.startsWith('const total = values.length;\n')).toBe(
      true,
    );

    const gate = engine.hold();
    const controller = new AbortController();
    const running = runCodeEdit(inference, model, rewriteEdit('fix', input), {
      logger,
      signal: controller.signal,
      onProgress: ({ tokens }) => {
        if (tokens === 5) controller.abort();
      },
    });
    gate.release(5);
    const stopped = await running;
    gate.release(Infinity);
    expect(stopped).toMatchObject({ status: 'incomplete', reason: 'stopped', tokens: 5 });
    // Its whole lines so far (the fix), then the original line it did not reproduce.
    expect(stopped.status === 'incomplete' && stopped.replacement).toBe(
      'const total = values.length;\nconst total = values.lenght;\n',
    );
    expect(logger.messages('info')).toContainEqual(expect.stringMatching(/stopped by the user after 5 tokens/));
  });

  it("leaves the answer no more room than the model's context has after the prompt, and refuses when none is left", async () => {
    const fits = new CountingEngine({ models: ['chat-1'], contextSize: 150 });
    const { inference, logger, model } = service(fits);
    const edit = rewriteEdit('fix', input);
    const prompt = wordsOf([...edit.messages, { content: '```typescript\n' }]);
    const outcome = await runCodeEdit(inference, model, edit, { logger });
    expect(fits.requests[0]!.max_tokens).toBe(150 - prompt);
    expect(outcome.maxTokens).toBe(150 - prompt);
    expect(outcome.maxTokens).toBeLessThan(edit.maxTokens);

    const tight = new CountingEngine({ models: ['chat-1'], contextSize: prompt + 10 });
    const tightService = service(tight);
    await expect(runCodeEdit(tightService.inference, tightService.model, edit, { logger })).rejects.toMatchObject({
      code: 'CONTEXT_TOO_LONG',
      message: expect.stringContaining('Select less code'),
    });
    expect(tight.requests).toEqual([]);
  });

  it('says there is no code when the model wrote none', async () => {
    const engine = new ScriptedEngine({ models: ['chat-1'] });
    engine.reply = '\n```\nThat code looks right to me.';
    const { inference, logger, model } = service(engine);
    expect(await runCodeEdit(inference, model, rewriteEdit('fix', input), { logger })).toMatchObject({
      status: 'no-code',
    });
  });

  it('asks again without the opened block when a server refuses it, and then reads only a fenced block', async () => {
    const engine = new ScriptedEngine({ models: ['chat-1'] });
    engine.reply = 'Sure! Here it is:\n```ts\nconst total = values.length;\n```\n';
    const { inference, logger, model } = service(engine);
    // A server that refuses an assistant turn last (Mistral's API answers 400).
    const chat = engine.chat.bind(engine);
    engine.chat = async function* (request, signal) {
      if (request.messages.at(-1)!.role === 'assistant') {
        engine.requests.push(request);
        throw new EngineError('INVALID_REQUEST', 'Expected last role User or Tool but got assistant');
      }
      yield* chat(request, signal);
    };
    const outcome = await runCodeEdit(inference, model, rewriteEdit('fix', input), { logger });
    expect(outcome).toMatchObject({ status: 'complete', replacement: 'const total = values.length;\n' });
    expect(engine.requests).toHaveLength(2);
    expect(engine.requests[1]!.messages.at(-1)!.role).toBe('user');
    expect(logger.messages('info')).toContainEqual(expect.stringContaining('refused the opened code block'));
  });

  it('does not ask again when the failure is something else, or comes after tokens', async () => {
    const engine = new ScriptedEngine({ models: ['chat-1'] });
    engine.failWith = new EngineError('REMOTE_ERROR', 'The server closed the connection.');
    const { inference, logger, model } = service(engine);
    await expect(runCodeEdit(inference, model, rewriteEdit('fix', input), { logger })).rejects.toThrow(
      'closed the connection',
    );
    engine.reply = 'const total =\n values.length;';
    engine.failWith = new EngineError('INVALID_REQUEST', 'bad');
    engine.failAfterTokens = 2;
    await expect(runCodeEdit(inference, model, rewriteEdit('fix', input), { logger })).rejects.toThrow('bad');
    expect(engine.requests).toHaveLength(2);
  });
});
