import { describe, expect, it } from 'vitest';
import { InlineSuggestions } from '@jan/core';
import type { CompletionDocument, RunsOn } from '@jan/core';
import { completionServiceOver } from '../../support/completion-request-path';
import { ScriptedEngine } from '../../support/scripted-engine';

function setup(runsOn?: RunsOn) {
  const engine = new ScriptedEngine({ id: 'coder', models: ['coder-1'], runsOn });
  const service = completionServiceOver(engine, 'coder-1');
  return { engine, service, suggestions: new InlineSuggestions(service) };
}

function documentOf(text: string): CompletionDocument {
  const lines = text.split('\n');
  return { lineCount: lines.length, languageId: 'typescript', lineText: (line) => lines[line]! };
}

const file = documentOf('function area(w: number, h: number) {\n  return \n}\nexport { area };');
const never = new AbortController().signal;

describe('the background warm-up of a file’s prompt', () => {
  it('sends the request a suggestion at the cursor would send, so the engine lays out the same prompt, and caches nothing', async () => {
    const { engine, service } = setup();
    engine.completion = 'w * h;';
    const extra = '// other.ts\nexport const unit = 1;';
    const result = await service.warm(file, 1, 9, 32, { extra, maxLines: 4 }, never);
    expect(result).toBeDefined();
    const request = (await service.request(file, 1, 9))!;
    expect(request.cached).toBeUndefined();
    await service.complete(request, 32, never, { extra, maxLines: 4 });
    const [warm, real] = engine.completeRequests;
    expect(warm).toEqual(real);
    expect(warm).toMatchObject({ max_tokens: 32, extra, language: 'typescript', max_lines: 4 });
  });

  it('sends nothing to a server, off this machine or on it: code goes there when a suggestion is asked for', async () => {
    const { engine, service } = setup({ kind: 'remote', host: 'api.example.com' });
    expect(await service.warm(file, 1, 9, 32, {}, never)).toBeUndefined();
    expect(engine.completeRequests).toEqual([]);
    // A server on this machine (a remote engine pointed at 127.0.0.1) would generate a whole reply.
    class LocalServer extends ScriptedEngine {
      readonly throughServer = true;
    }
    const local = new LocalServer({ id: 'coder', models: ['coder-1'] });
    expect(await completionServiceOver(local, 'coder-1').warm(file, 1, 9, 32, {}, never)).toBeUndefined();
    expect(local.completeRequests).toEqual([]);
  });

  it('does nothing without a completion model, and swallows an engine failure', async () => {
    const { engine, service } = setup();
    engine.completeFailure = new Error('worker crashed');
    expect(await service.warm(file, 1, 9, 32, {}, never)).toBeUndefined();
    const none = completionServiceOver(new ScriptedEngine({ id: 'coder', models: ['coder-1'] }), '');
    expect(await none.warm(file, 1, 9, 32, {}, never)).toBeUndefined();
  });

  it('a newer warm-up replaces one still running; a suggestion being generated is not warmed again', async () => {
    const { engine, suggestions } = setup();
    engine.completion = 'w * h;';
    const gate = engine.hold();
    const first = suggestions.warm(file, 1, 9, { maxTokens: 32 });
    const second = suggestions.warm(file, 0, 0, { maxTokens: 32 });
    expect(await first).toBeUndefined();
    gate.release(Infinity);
    expect(await second).toBeDefined();

    const held = engine.hold();
    const suggestion = suggestions.suggest(
      file,
      1,
      9,
      { automatic: false, debounceMs: 0, maxTokens: 32, timeLimitMs: 500 },
      never,
    );
    // The first warm-up was replaced before it asked anything.
    await expect.poll(() => engine.completeRequests.length, { timeout: 60_000 }).toBe(2);
    expect(await suggestions.warm(file, 1, 9, { maxTokens: 32 })).toBeUndefined();
    held.release(Infinity);
    expect((await suggestion)?.text).toBe('w * h;');
    expect(engine.completeRequests).toHaveLength(2);
  });
});
