import { describe, expect, it } from 'vitest';
import { fencedSelection, fitReplacement, rewriteTokenLimit, selectionPrompt } from '@jan/core';

const input = { code: 'const x = 1;\n', languageId: 'typescript', fileName: 'src/a.ts', startLine: 3, endLine: 4 };

describe('selection actions', () => {
  it('asks with the code as a fenced block naming its file and range', () => {
    const block = fencedSelection({ ...input, path: input.fileName });
    expect(block).toBe('```typescript src/a.ts:3-4\nconst x = 1;\n```\n');
    // What the user typed comes after the code, so a retry with other words reuses the rest in the KV cache.
    expect(selectionPrompt('custom', { ...input, instruction: 'Make it a let.' })).toBe(
      `${block.trimEnd()}\n\nMake it a let.`,
    );
    expect(selectionPrompt('fix', input)).toBe(
      `Fix the bugs in this code. Keep its behaviour otherwise and keep the style.\n\n${block.trimEnd()}`,
    );
    expect(selectionPrompt('fix', { ...input, instruction: 'Mind the off-by-one.' }, 'Our fix rules.')).toBe(
      `Our fix rules.\n\n${block.trimEnd()}\n\nMind the off-by-one.`,
    );
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
