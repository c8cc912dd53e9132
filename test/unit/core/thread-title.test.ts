import { describe, expect, it } from 'vitest';
import { isDefaultTitle, titleFromText } from '@jan/core';

describe('thread titles', () => {
  it('takes the first meaningful line, cut at a word boundary', () => {
    expect(titleFromText('How do I reverse a list in Python?')).toBe('How do I reverse a list in Python?');
    expect(titleFromText('```ts\nconst x = 1;\n```\nWhy does this fail?')).toBe('const x = 1;');
    expect(titleFromText('\n\n  # Explain   this\n')).toBe('Explain this');
    const long = titleFromText(
      'Please explain in great detail how the event loop of Node.js schedules timers and I/O callbacks',
    );
    expect(long.length).toBeLessThanOrEqual(49);
    expect(long.endsWith('…')).toBe(true);
    expect(long).toBe('Please explain in great detail how the event…');
  });

  it('falls back to the default title for empty text', () => {
    expect(titleFromText('   \n ')).toBe('New Thread');
    expect(isDefaultTitle('New Thread')).toBe(true);
    expect(isDefaultTitle('new chat')).toBe(true);
    expect(isDefaultTitle('My chat')).toBe(false);
  });
});
