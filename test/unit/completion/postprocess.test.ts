import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCompletionContext, postprocessCompletion } from '@jan/core';

interface GoldenCase {
  name: string;
  document: string;
  raw: string;
  expected: string | null;
}

const CURSOR = '║';
const cases = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/completion/postprocess.golden.json'), 'utf8')) as GoldenCase[];

function contextOf(document: string) {
  const lines = document.split('\n');
  const line = lines.findIndex((candidate) => candidate.includes(CURSOR));
  const character = lines[line]!.indexOf(CURSOR);
  lines[line] = lines[line]!.replace(CURSOR, '');
  return buildCompletionContext(lines, line, character, 'plaintext');
}

describe('completion post-processing (golden)', () => {
  for (const golden of cases) {
    it(golden.name, () => {
      expect(postprocessCompletion(golden.raw, contextOf(golden.document)) ?? null).toBe(golden.expected);
    });
  }
});

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
