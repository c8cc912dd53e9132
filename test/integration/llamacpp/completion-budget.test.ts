import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionStop, contextOfPrompt } from '@jan/core';
import { CHAT_FIM_MODEL, createEngine } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';

/** A source file of `lines` numbered lines: far more tokens than the 512-token completion context. */
function sourceFile(lines: number): string[] {
  return Array.from(
    { length: lines },
    (_, index) => `  const value${index} = compute(${index}, "once upon a time there was a cat");`,
  );
}

const MAX_TOKENS = 24;

describe('llama.cpp engine: inline completion budgets and early stops', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await createEngine();
  });
  afterAll(async () => {
    await fixture.engine.dispose();
  });

  const complete = (
    prefix: string,
    suffix: string,
    extra: Partial<Parameters<EngineFixture['engine']['complete']>[0]> = {},
    stopWhen?: (text: string) => boolean,
  ) =>
    fixture.engine.complete(
      { model: CHAT_FIM_MODEL, prefix, suffix, max_tokens: MAX_TOKENS, temperature: 0, ...extra },
      undefined,
      { stopWhen },
    );

  it('fits a file larger than the completion context in its token budget, and a repeat after a 1-character edit reuses the cache', async () => {
    const lines = sourceFile(400);
    const cursor = 300;
    const prefix = `${lines.slice(0, cursor).join('\n')}\n  const next = `;
    const suffix = `\n${lines.slice(cursor).join('\n')}`;
    const first = await complete(prefix, suffix);
    expect(first.prompt_tokens).toBeGreaterThan(300);
    expect(first.prompt_tokens! + MAX_TOKENS).toBeLessThanOrEqual(512);
    expect(first.cached_tokens).toBeLessThan(first.prompt_tokens! / 2);

    const repeat = await complete(`${prefix}c`, suffix);
    expect(repeat.cached_tokens! / repeat.prompt_tokens!).toBeGreaterThanOrEqual(0.85);
  });

  it('moves the start of the prefix only in large steps while the cursor moves down line by line', async () => {
    const lines = Array.from({ length: 400 }, (_, index) => `x${index} = f(${index});`);
    const at = async (cursor: number) =>
      complete(`${lines.slice(0, cursor).join('\n')}\n`, `\n${lines.slice(cursor).join('\n')}`);
    await at(300);
    const ratios: number[] = [];
    for (let cursor = 301; cursor <= 316; cursor++) {
      const result = await at(cursor);
      ratios.push(result.cached_tokens! / result.prompt_tokens!);
    }
    // The start moves by 16 lines at a time (a few times in 16 lines at most); every other repeat found all but the new line and the suffix cached.
    expect(ratios.filter((ratio) => ratio < 0.7).length).toBeLessThanOrEqual(2);
    expect(ratios.filter((ratio) => ratio >= 0.7).length).toBeGreaterThanOrEqual(14);
  });

  it('puts context from other files before the prefix, within its share of the budget', async () => {
    const extra = sourceFile(200).join('\n');
    const result = await complete('function story() {\n  return ', '\n}', { extra });
    expect(result.prompt_tokens! + MAX_TOKENS).toBeLessThanOrEqual(512);
    expect(result.prompt_tokens).toBeGreaterThan(100);
  });

  it('stops at the end of the line with a newline stop, and when the caller says the text so far is enough', async () => {
    const open = await complete('Once upon a time', '', { max_tokens: 200 });
    const line = await complete('Once upon a time', '', { max_tokens: 200, stop: ['\n'] });
    expect(line.text).not.toContain('\n');
    const early = await complete('Once upon a time', '', { max_tokens: 200 }, (text) => text.length > 0);
    expect(early.finish_reason).toBe('stop');
    expect(early.tokens).toBeLessThan(open.tokens);
    expect(early.text.length).toBeGreaterThan(0);
  });

  it('returns what is ready when the generation time limit passes', async () => {
    const unlimited = await complete('Once upon a time', '', { max_tokens: 400 });
    const limited = await complete('Once upon a time', '', { max_tokens: 400, time_limit_ms: 1 });
    expect(unlimited.tokens).toBeGreaterThan(limited.tokens);
    expect(limited.finish_reason).toBe('length');
  });

  it('counts the time limit from the request: one whose limit passes during its prompt returns at the first token', async () => {
    const lines = sourceFile(300);
    const cold = `${lines.slice(0, 250).join('\n')}\n  const edge = `;
    const limited = await complete(cold, `\n${lines.slice(250).join('\n')}`, { max_tokens: 400, time_limit_ms: 1 });
    expect(limited.prompt_tokens).toBeGreaterThan(300);
    expect(limited.tokens).toBeLessThanOrEqual(1);
    expect(limited.finish_reason).toBe('length');
  });

  it('returns at once, evaluating nothing, a request whose limit passed while another held the completion context', async () => {
    const running = complete('Once upon a time', '', { max_tokens: 400 });
    const waiting = await complete('Once upon a time there was', '', { max_tokens: 400, time_limit_ms: 1 });
    await running;
    expect(waiting).toMatchObject({ tokens: 0, prompt_tokens: 0, finish_reason: 'length' });
  });

  it('stops in the worker at the token where the completion rules end the suggestion, given the language', async () => {
    const prefix = 'function story(cat: string) {\n  const name = ';
    const suffix = '\n  return name;\n}';
    const open = await complete(prefix, suffix, { max_tokens: 200 });
    const ruled = await complete(prefix, suffix, { max_tokens: 200, language: 'typescript' });
    const stop = completionStop(ruled.text, contextOfPrompt(prefix, suffix, 'typescript'));
    if (ruled.finish_reason === 'stop' && stop !== undefined) {
      // Nothing generated past the token that ended the suggestion.
      const kept = await fixture.engine.countTokens(CHAT_FIM_MODEL, ruled.text.slice(0, stop));
      expect(ruled.tokens).toBeLessThanOrEqual(kept + 2);
    }
    expect(ruled.tokens).toBeLessThanOrEqual(open.tokens);
    // The rules end a completed line at its line break: the model was not asked for more.
    expect(ruled.text.split('\n').filter((line) => line.trim()).length).toBeLessThanOrEqual(2);
  });
});
