import { describe, expect, it } from 'vitest';
import { buildCompletionContext, completionStop, contextOfPrompt, postprocessCompletion } from '@jan/core';
import { goldenContext, goldenFiles } from '../../support/completion-golden';

/** Where a streaming generation of `raw` would stop, fed `chunk` characters at a time: the stop index, or raw.length. */
function streamedStop(raw: string, context: Parameters<typeof completionStop>[1], chunk = 3): number {
  for (let length = chunk; length < raw.length + chunk; length += chunk) {
    const stop = completionStop(raw.slice(0, length), context);
    if (stop !== undefined) return stop;
  }
  return raw.length;
}

describe('early stop (completionStop)', () => {
  // The rules only stop on what more output cannot change: stopping there shows the same suggestion.
  for (const { rule, cases } of goldenFiles()) {
    for (const golden of cases) {
      it(`${rule}: ${golden.name}: stopping early shows the same suggestion`, () => {
        const { context } = goldenContext(golden);
        const stop = streamedStop(golden.raw, context);
        expect(postprocessCompletion(golden.raw.slice(0, stop), context) ?? null).toBe(golden.expected);
      });
    }
  }

  const context = (document: string) => {
    const lines = document.split('\n');
    const line = lines.findIndex((candidate) => candidate.includes('║'));
    const character = lines[line]!.indexOf('║');
    lines[line] = lines[line]!.replace('║', '');
    return buildCompletionContext(lines, line, character, 'typescript');
  };

  it('mid-line, stops at the first line break', () => {
    const at = context('const total = items.reduce(║, 0);');
    expect(completionStop('(sum, item) => sum + item', at)).toBeUndefined();
    expect(completionStop('(sum, item) => sum + item, 0);\ncons', at)).toBe('(sum, item) => sum + item, 0);'.length);
  });

  it('after a block, stops once the next line of code shows it is not an else', () => {
    const at = context('function f() {\n  ║\n  done();\n}');
    const block = 'if (ready) {\n    run();\n  }';
    expect(completionStop(`${block}\n`, at)).toBeUndefined();
    expect(completionStop(`${block}\n  else {\n`, at)).toBeUndefined();
    expect(completionStop(`${block}\n  return 1;\n`, at)).toBe(block.length);
  });

  it('stops at a line that repeats itself before the line is complete', () => {
    const at = context('const x = ║');
    expect(completionStop('foo = foo = foo = foo = foo = foo', at)).toBe(0);
  });

  it('stops at the line budget', () => {
    const at = context('const values = [║');
    // Each line a different shape, so that only the budget cuts them.
    const lines = Array.from({ length: 20 }, (_, index) => `  call(${'a, '.repeat(index)}0),`);
    const stop = completionStop(`\n${lines.join('\n')}\n`, at, 5);
    expect(stop).toBe(`\n${lines.slice(0, 4).join('\n')}`.length);
  });

  it('works from the prefix and suffix of a prompt alone, as an engine has them', () => {
    const { context } = goldenContext({
      name: 'prompt',
      document: 'if (ready) {\n  start(║\n}',
      raw: '',
      expected: null,
    });
    expect(contextOfPrompt(context.prefix, context.suffix)).toEqual({ ...context, languageId: 'plaintext' });
    expect(contextOfPrompt('', '')).toMatchObject({ linePrefix: '', lineSuffix: '' });
    expect(completionStop('options);\n}\n\nfunction next() {\n', contextOfPrompt(context.prefix, context.suffix))).toBe(
      'options);\n}'.length,
    );
  });
});
