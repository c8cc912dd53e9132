import { describe, expect, it } from 'vitest';
import { displayText } from '../../../src/vscode/display-text';

describe('displayText: names from a workspace or a model file, as shown', () => {
  it('drops every text-direction control, the Arabic letter mark (U+061C) included', () => {
    for (const control of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'])
      expect(displayText(`model${control}exe.gguf`), JSON.stringify(control)).toBe('modelexe.gguf');
  });

  it('never cuts a character in half when it shortens: emoji, flags, joined emoji and accents stay whole', () => {
    for (const tail of ['😀', '🇫🇷', '👩‍👩‍👧', 'é']) {
      const shown = displayText(`${'a'.repeat(58)}${tail.repeat(3)}`, 60);
      expect(shown).toBe(`${'a'.repeat(58)}${tail}…`);
      expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    const emoji = displayText('😀'.repeat(100), 10);
    expect(emoji).toBe(`${'😀'.repeat(9)}…`);
    expect(displayText('👩‍👩‍👧 family')).toBe('👩‍👩‍👧 family');
  });
});
