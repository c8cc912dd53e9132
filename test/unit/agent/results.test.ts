import { describe, expect, it } from 'vitest';
import { capText, fitResult, keptText, summaryOf } from '../../../src/core/agent/results';

describe('tool results kept and fitted', () => {
  it('keeps the head and the tail with a line saying what was left out', () => {
    const text = Array.from({ length: 1000 }, (_, line) => `line ${line}`).join('\n');
    const capped = capText(text, 500);
    expect(capped.length).toBeLessThanOrEqual(500);
    expect(capped.startsWith('line 0\nline 1')).toBe(true);
    expect(capped.endsWith('line 999')).toBe(true);
    expect(capped).toMatch(/\[… \d+ characters \(\d+ lines\) left out …\]/);
    expect(capText('short', 500)).toBe('short');
  });

  it('keeps any result as text: objects as JSON, a circular one as its string', () => {
    expect(keptText({ content: { a: 1 } as never })).toBe('{"a":1}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(keptText({ content: circular as never })).toBe('[object Object]');
    expect(keptText(undefined)).toBe('');
  });

  it('cuts to the room in tokens, checked with the tokenizer when there is one', async () => {
    const text = 'word '.repeat(2000);
    const tokens = async (value: string) => value.split(' ').length;
    const fitted = await fitResult(text, 100, tokens);
    expect(await tokens(fitted)).toBeLessThanOrEqual(100);
    expect((await fitResult(text, 100)).length).toBeLessThanOrEqual(300);
  });

  it('summarises in one line: the tool summary, else the first line of the result', () => {
    expect(summaryOf({ content: 'x', summary: '3 matches' }, 'x')).toBe('3 matches');
    expect(summaryOf(undefined, '\n\n  first   line\nsecond')).toBe('first line');
    expect(summaryOf(undefined, 'y'.repeat(400))).toHaveLength(158);
  });
});
