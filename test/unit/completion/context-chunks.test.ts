import { describe, expect, it } from 'vitest';
import { ContextChunks } from '@jan/core';
import type { CompletionDocument } from '@jan/core';

function documentOf(lines: string[]): CompletionDocument {
  return { lineCount: lines.length, languageId: 'typescript', lineText: (line) => lines[line]! };
}

const file = (name: string, count = 100) =>
  documentOf(Array.from({ length: count }, (_, index) => `${name} line ${index}`));

describe('ContextChunks', () => {
  it('keeps chunks in the order they came, updates a spot seen again in place, and leaves out the current file', () => {
    const chunks = new ContextChunks();
    chunks.add('a.ts', file('a'), 40);
    chunks.add('b.ts', file('b'), 3);
    const before = chunks.text('c.ts')!;
    expect(before.indexOf('// a.ts')).toBeLessThan(before.indexOf('// b.ts'));
    // An edit near the same spot: same place in the order, new text.
    const edited = documentOf(
      Array.from({ length: 100 }, (_, index) => (index === 41 ? 'a changed' : `a line ${index}`)),
    );
    chunks.add('a.ts', edited, 44);
    const after = chunks.text('c.ts')!;
    expect(after.indexOf('// a.ts')).toBeLessThan(after.indexOf('// b.ts'));
    expect(after).toContain('a changed');
    expect(chunks.size).toBe(2);
    expect(chunks.text('a.ts')).toBe(
      `// b.ts\n${Array.from({ length: 32 }, (_, index) => `b line ${index}`).join('\n')}\n`,
    );
    expect(new ContextChunks().text('a.ts')).toBeUndefined();
  });

  it('drops the oldest chunk past its capacity and skips blank code', () => {
    const chunks = new ContextChunks(2);
    chunks.add('a.ts', file('a'), 0);
    chunks.add('blank.ts', documentOf(['', '  ', '']), 1);
    chunks.add('b.ts', file('b'), 0);
    chunks.add('c.ts', file('c'), 0);
    expect(chunks.size).toBe(2);
    expect(chunks.text('x.ts')).not.toContain('a.ts');
    expect(chunks.text('x.ts')!.startsWith('// b.ts\n')).toBe(true);
  });
});
