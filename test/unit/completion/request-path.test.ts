import { describe, expect, it } from 'vitest';
import { coveredClosers, postprocessCompletion } from '@jan/core';
import { goldenContext, goldenFiles } from '../../support/completion-golden';
import { requestPath } from '../../support/completion-request-path';

// Every golden case through the path a user's request takes (the prompt built from the document, the
// engine's stop strings and early stop, then post-processing): the same suggestion and the same range
// as post-processing the whole output, so the engine request never undoes a rule.
describe('golden cases through the real request path', () => {
  const path = requestPath();
  for (const { rule, cases } of goldenFiles()) {
    for (const golden of cases) {
      it(`${rule}: ${golden.name}`, async () => {
        const { context } = goldenContext(golden);
        const text = postprocessCompletion(golden.raw, context);
        const expected = { text, replaced: text === undefined ? 0 : coveredClosers(text, context) };
        expect(await path.suggest(golden)).toEqual(expected);
      });
    }
  }
});

describe('a generation the token budget cut short', () => {
  const golden = {
    name: 'budget',
    language: 'typescript',
    document: 'function load(path: string) {\n  ║\n}',
    raw: 'const text = read(path);\n  const data = par',
    expected: null,
  };

  it('loses its unfinished last line', async () => {
    const path = requestPath();
    path.engine.finish = 'length';
    path.engine.tokens = 12;
    expect((await path.suggest(golden, 12)).text).toBe('const text = read(path);');
  });

  it('keeps it when the model ended it, or a time limit did before the budget ran out', async () => {
    const path = requestPath();
    expect((await path.suggest(golden, 12)).text).toBe('const text = read(path);\n  const data = par');
    path.engine.finish = 'length';
    path.engine.tokens = 7;
    expect((await path.suggest(golden, 12)).text).toBe('const text = read(path);\n  const data = par');
  });
});
