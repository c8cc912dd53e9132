import { describe, expect, it } from 'vitest';
import { CompletionCache } from '@jan/core';

describe('CompletionCache', () => {
  it('returns exact hits and evicts the least recently used', () => {
    const cache = new CompletionCache(2);
    cache.set('a', '', 'one');
    cache.set('b', '', 'two');
    expect(cache.get('a', '')).toBe('one');
    cache.set('c', '', 'three');
    expect(cache.get('b', '')).toBeUndefined();
    expect(cache.get('a', '')).toBe('one');
    expect(cache.size).toBe(2);
  });

  it('serves the rest of a completion the user is typing through', () => {
    const cache = new CompletionCache();
    cache.set('const x = ', ';', 'compute(1, 2)');
    expect(cache.get('const x = comp', ';')).toBe('ute(1, 2)');
    expect(cache.get('const x = compX', ';')).toBeUndefined();
    expect(cache.get('const x = compute(1, 2)', ';')).toBeUndefined();
    expect(cache.get('const x = comp', '')).toBeUndefined();
  });

  it('forgets everything on clear, exact and typed-through hits alike', () => {
    const cache = new CompletionCache();
    cache.set('const x = ', ';', 'compute(1, 2)');
    cache.set('let y = ', '', 'z');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('const x = ', ';')).toBeUndefined();
    expect(cache.get('const x = comp', ';')).toBeUndefined();
    expect(cache.get('let y = ', '')).toBeUndefined();
  });
});
