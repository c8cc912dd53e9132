import { describe, expect, it } from 'vitest';
import {
  EngineRegistry,
  EventBus,
  InferenceService,
  InlineCompletionService,
  MemoryLogger,
  TypingPause,
  wouldCut,
} from '@jan/core';
import type { CompletionDocument } from '@jan/core';
import { ScriptedEngine } from '../../support/scripted-engine';

function documentOf(text: string, languageId = 'typescript'): CompletionDocument {
  const lines = text.split('\n');
  return { lineCount: lines.length, languageId, lineText: (line) => lines[line]! };
}

function setup() {
  const logger = new MemoryLogger();
  const events = new EventBus(logger);
  const engines = new EngineRegistry();
  const engine = new ScriptedEngine({ id: 'coder', models: ['coder-1', 'coder-2'] });
  engines.register(engine);
  const chosen: { completion?: string } = { completion: 'coder-1' };
  const inference = new InferenceService({
    engines,
    events,
    logger,
    models: () => undefined,
    chosenModelId: (purpose) => (purpose === 'completion' ? chosen.completion : undefined),
  });
  return { service: new InlineCompletionService({ inference, logger }), engine, chosen, logger };
}

const doc = documentOf('function add(a: number, b: number) {\n  return \n}');
const never = new AbortController().signal;

describe('InlineCompletionService', () => {
  it('asks the chosen completion model with the text around the cursor, and post-processes the answer', async () => {
    const { service, engine } = setup();
    engine.completion = 'a + b;\n}\n\nfunction next() {';
    const request = (await service.request(doc, 1, 9))!;
    expect(request.model).toEqual({ id: 'coder-1', engine: 'coder' });
    expect(request.prompt.prefix).toBe('function add(a: number, b: number) {\n  return ');
    expect(request.prompt.suffix).toBe('\n}');
    expect(await service.complete(request, 32, never)).toBe('a + b;');
    expect(engine.completeRequests[0]).toMatchObject({
      model: 'coder-1',
      max_tokens: 32,
      prefix: request.prompt.prefix,
      suffix: request.prompt.suffix,
    });
  });

  it('shows nothing, not even a cached suggestion, while no completion model is chosen', async () => {
    const { service, engine, chosen } = setup();
    engine.completion = 'a + b;';
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    expect((await service.request(doc, 1, 9))!.cached).toBe('a + b;');
    chosen.completion = undefined;
    expect(await service.request(doc, 1, 9)).toBeUndefined();
  });

  it('serves the cache for the same spot and for typing through a suggestion, without asking again', async () => {
    const { service, engine } = setup();
    engine.completion = 'a + b;';
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    expect((await service.request(doc, 1, 9))!.cached).toBe('a + b;');
    const typed = documentOf('function add(a: number, b: number) {\n  return a +\n}');
    expect((await service.request(typed, 1, 12))!.cached).toBe(' b;');
    expect(engine.completeRequests).toHaveLength(1);
  });

  it('forgets the cache when another completion model is chosen, and on clearCache', async () => {
    const { service, engine, chosen } = setup();
    engine.completion = 'a + b;';
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    chosen.completion = 'coder-2';
    expect((await service.request(doc, 1, 9))!.cached).toBeUndefined();
    chosen.completion = 'coder-1';
    expect((await service.request(doc, 1, 9))!.cached).toBeUndefined();
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    service.clearCache();
    expect((await service.request(doc, 1, 9))!.cached).toBeUndefined();
  });

  it('gives nothing for a cancelled request, caches nothing and logs nothing', async () => {
    const { service, engine, logger } = setup();
    engine.completion = 'a + b;';
    const gate = engine.hold();
    const controller = new AbortController();
    const pending = service.complete((await service.request(doc, 1, 9))!, 32, controller.signal);
    controller.abort();
    expect(await pending).toBeUndefined();
    gate.release(Infinity);
    expect((await service.request(doc, 1, 9))!.cached).toBeUndefined();
    expect(logger.messages('warn')).toEqual([]);
  });

  it('logs a failure once per distinct message, never throws', async () => {
    const { service, engine, logger } = setup();
    engine.completeFailure = new Error('model file missing');
    for (let index = 0; index < 3; index++)
      expect(await service.complete((await service.request(doc, 1, 9))!, 32, never)).toBeUndefined();
    engine.completeFailure = new Error('worker crashed');
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    expect(logger.messages('warn')).toEqual([
      'Inline completion failed: model file missing',
      'Inline completion failed: worker crashed',
    ]);
  });

  it('sends up to 400 lines above, from a line that moves in steps of 16, and 64 below; the engine budgets them in tokens', async () => {
    const { service } = setup();
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index}`);
    const request = (await service.request(documentOf(lines.join('\n')), 650, 4))!;
    expect(request.prompt.prefix).toBe(`${lines.slice(240, 650).join('\n')}\nline`);
    expect(request.prompt.suffix).toBe(` 650\n${lines.slice(651, 715).join('\n')}`);
    for (const line of [651, 655])
      expect(
        (await service.request(documentOf(lines.join('\n')), line, 0))!.prompt.prefix.startsWith('line 240\n'),
      ).toBe(true);
    expect((await service.request(documentOf(lines.join('\n')), 656, 0))!.prompt.prefix.startsWith('line 256\n')).toBe(
      true,
    );
  });

  it('asks for one line only with code after the cursor, and stops a stream where the rules end the suggestion', async () => {
    const { service, engine } = setup();
    engine.completion = 'a + b';
    const midLine = documentOf('function add(a: number, b: number) {\n  return  * 2;\n}');
    await service.complete((await service.request(midLine, 1, 9))!, 32, never);
    expect(engine.completeRequests[0]!.stop).toEqual(['\n']);
    await service.complete((await service.request(doc, 1, 9))!, 32, never);
    expect(engine.completeRequests[1]!.stop).toBeUndefined();
    // Auto-closed characters and a semicolon after the cursor leave the body on the next lines to the rules.
    for (const [text, character] of [
      ['stream.on("data", (data) => {});', 29],
      ['function fibonacci()', 19],
      ['const x = ;', 10],
    ] as const) {
      await service.complete((await service.request(documentOf(text), 0, character))!, 32, never);
      expect(engine.completeRequests.at(-1)!.stop).toBeUndefined();
    }

    const prompt = (await service.request(doc, 1, 9))!.prompt;
    expect(wouldCut('a + b;', prompt)).toBe(false);
    // The statement completes the cursor's line: the suggestion ends with the line, nothing after it is waited for.
    expect(wouldCut('a + b;\n', prompt)).toBe(true);
    const mid = (await service.request(midLine, 1, 9))!.prompt;
    expect(wouldCut('a + b\n  more\n', mid)).toBe(true);
  });

  it('does not cache a completion that arrives after another model was chosen', async () => {
    const { service, engine, chosen } = setup();
    engine.completion = 'from coder-1';
    const gate = engine.hold();
    const first = service.complete((await service.request(doc, 1, 9))!, 32, never);
    chosen.completion = 'coder-2';
    expect((await service.request(doc, 1, 9))!.model.id).toBe('coder-2');
    gate.release(Infinity);
    expect(await first).toBe('from coder-1');
    expect((await service.request(doc, 1, 9))!.cached).toBeUndefined();
  });
});

describe('TypingPause', () => {
  it('starts at the setting and grows past the typing rhythm and with slow suggestions, within a cap', () => {
    const pause = new TypingPause();
    expect(pause.current(200)).toBe(200);
    for (let at = 0; at <= 1500; at += 300) pause.keystroke(at);
    expect(pause.current(200)).toBe(450);
    // Gaps of a stopped user are not typing.
    pause.keystroke(10_000);
    expect(pause.current(200)).toBe(450);
    pause.latency(2000);
    expect(pause.current(200)).toBe(1000);
    pause.latency(10_000);
    pause.latency(10_000);
    expect(pause.current(200)).toBe(1500);
  });
});
