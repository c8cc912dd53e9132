import { describe, expect, it } from 'vitest';
import { extractCode, fencedSelection, fitReplacement, rewriteTokenLimit, selectionPrompt } from '@jan/core';

const input = { code: 'const x = 1;\n', languageId: 'typescript', fileName: 'src/a.ts', startLine: 3, endLine: 4 };

describe('selection actions', () => {
  it('asks with the code as a fenced block naming its file and range', () => {
    const block = fencedSelection({ ...input, path: input.fileName });
    expect(block).toBe('```typescript src/a.ts:3-4\nconst x = 1;\n```\n');
    expect(selectionPrompt('custom', { ...input, instruction: 'Make it a let.' })).toBe(`Make it a let.\n\n${block}`);
    expect(selectionPrompt('fix', input)).toMatch(/^Fix the bugs/);
  });

  it('extracts the code of an answer', () => {
    expect(extractCode('Here:\n```ts\nlet x = 1;\n```\nDone.')).toBe('let x = 1;');
    expect(extractCode('```py\nprint(1)\n```\n```typescript\nlet y = 2;\n```', 'typescript')).toBe('let y = 2;');
    expect(extractCode('```js\nfirst()\n```\n```js\nsecond()\n```', 'rust')).toBe('first()');
    // Prose, or code outside a fence, is not a rewrite: it is never applied.
    expect(extractCode('return a + b;')).toBeUndefined();
    expect(
      extractCode('The bug is on line 2: `lenght` should be `length`. You could also add a check for an empty array.'),
    ).toBeUndefined();
    expect(extractCode('```ts\nlet cut = 1;\nlet off')).toBe('let cut = 1;\nlet off');
    expect(extractCode('   ')).toBeUndefined();
    expect(extractCode('```\n\n```')).toBeUndefined();
  });

  it('keeps the selection indentation and trailing newline', () => {
    expect(fitReplacement('    a();\n', 'b();')).toBe('    b();\n');
    expect(fitReplacement('a()', 'b()\n')).toBe('b()');
    expect(fitReplacement('  x', '  y')).toBe('  y');
  });
});

describe('rewriteTokenLimit', () => {
  it('grows with the selection, with a floor for one line and a ceiling for a whole file', () => {
    const sixLines =
      'function mean(values) {\n  let sum = 0;\n  for (const v of values) sum += v;\n  return sum / values.lenght;\n}\n'.repeat(
        1,
      );
    expect(rewriteTokenLimit('x')).toBe(128);
    expect(rewriteTokenLimit(sixLines)).toBeGreaterThanOrEqual(128);
    expect(rewriteTokenLimit(sixLines)).toBeLessThan(200);
    expect(rewriteTokenLimit('a'.repeat(3000))).toBe(2 * 1000 + 64);
    expect(rewriteTokenLimit('a'.repeat(1_000_000))).toBe(4096);
  });
});
