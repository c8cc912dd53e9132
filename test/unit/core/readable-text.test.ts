import { describe, expect, it } from 'vitest';
import { readableText } from '@jan/core';

describe('readable tool output', () => {
  it('removes colour and cursor codes, keeps the last state of redrawn lines, drops control characters', () => {
    expect(readableText('\u001b[32mok\u001b[0m 3 tests\r\n')).toBe('ok 3 tests\n');
    expect(readableText('10%\r50%\r100%\ndone\u0007\u0000\tend')).toBe('100%\ndone\tend');
    expect(readableText('\u001b]0;title\u0007text')).toBe('text');
  });

  it('handles a multi-megabyte line without newlines in linear time (a regex over it would not finish)', () => {
    const line = 'x'.repeat(4 * 1024 * 1024);
    expect(readableText(line)).toHaveLength(line.length);
    expect(readableText(`${line}\r${line}`)).toHaveLength(line.length);
  });
});
