import { describe, expect, it } from 'vitest';
import { buildCompletionContext, coveredClosers, postprocessCompletion } from '@jan/core';
import { accept, acceptanceProblems, CURSOR, goldenContext, goldenFiles } from '../../support/completion-golden';

// One case file per rule (test/fixtures/completion/<rule>.golden.json); every case runs the whole
// post-processing, as the user sees it, and is judged first by the document after Tab: the one the
// case states, with nothing broken (accepted-document.test.ts checks every cut of every output).
for (const { rule, cases } of goldenFiles()) {
  describe(`completion post-processing: ${rule} (golden)`, () => {
    for (const golden of cases) {
      it(golden.name, () => {
        const { context } = goldenContext(golden);
        const text = postprocessCompletion(golden.raw, context);
        const replaced = text === undefined ? 0 : coveredClosers(text, context);
        const accepted = text === undefined ? golden.document.replace(CURSOR, '') : accept(golden, text, replaced);
        expect(golden.accepted, 'every case states the document after Tab').toBeDefined();
        expect(accepted).toBe(golden.accepted);
        expect(text ?? null).toBe(golden.expected);
        if (text !== undefined) expect(acceptanceProblems(golden, text, replaced)).toEqual([]);
      });
    }
  });
}

describe('completion context', () => {
  it('splits at the cursor and bounds the prefix by whole lines', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const context = buildCompletionContext(lines, 150, 4, 'ts', { prefixLines: 10, suffixLines: 2 });
    expect(context.linePrefix).toBe('line');
    expect(context.lineSuffix).toBe(' 150');
    expect(context.prefix.split('\n')[0]).toBe('line 140');
    expect(context.prefix.endsWith('line 149\nline')).toBe(true);
    expect(context.suffix).toBe(' 150\nline 151\nline 152');
  });

  it('keeps the same prefix start while the cursor stays on one line', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const before = buildCompletionContext(lines, 150, 2, 'ts');
    lines[150] = 'line 150 and more typing';
    const after = buildCompletionContext(lines, 150, 20, 'ts');
    const start = before.prefix.slice(0, before.prefix.length - before.linePrefix.length);
    expect(after.prefix.startsWith(start)).toBe(true);
  });
});

describe('completion post-processing: odd output', () => {
  const at = buildCompletionContext(['function f() {', '  ', '}'], 1, 2, 'typescript');

  it('shows nothing for empty or blank output', () => {
    for (const raw of ['', '\n', '\r\n\r\n', ' \t ', '\n\n   \n'])
      expect(postprocessCompletion(raw, at)).toBeUndefined();
  });

  it('cuts a runaway line of 20 000 characters instead of showing it', () => {
    expect(postprocessCompletion(`run();\n  ${'x = x + '.repeat(2500)}`, at)).toBe('run();');
  });

  it('honours the line budget and the minimum size it is given', () => {
    const body = Array.from(
      { length: 8 },
      (_, index) => `${'  '.repeat(2)}${['a', 'b.c', 'd(e)', 'f = g', 'h[i]', 'j += k', 'l()', 'm.n()'][index]};`,
    );
    expect(postprocessCompletion(`if (ready) {\n${body.join('\n')}\n  }`, at, { maxLines: 3 })).toBe(
      `if (ready) {\n${body.slice(0, 2).join('\n')}`,
    );
    expect(postprocessCompletion('ok', at, { minChars: 2 })).toBe('ok');
    expect(postprocessCompletion('ok', at)).toBeUndefined();
  });
});
