import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { describeIssue, issuePath, joinPath, validate } from '@jan/validation';

const Message = v.object({
  role: v.picklist(['user', 'assistant']),
  parts: v.array(v.object({ text: v.pipe(v.string(), v.maxLength(3, 'is too long')) })),
});
const Form = v.object({
  name: v.pipe(v.string(), v.minLength(1, 'A name is needed.')),
  limits: v.object({ tokens: v.pipe(v.number(), v.minValue(1, 'At least 1.')) }),
});

describe('the one validation result', () => {
  it('passes the checked value (unknown keys dropped)', () => {
    expect(validate(Message, { role: 'user', parts: [{ text: 'hi' }], extra: 1 })).toEqual({
      ok: true,
      value: { role: 'user', parts: [{ text: 'hi' }] },
    });
  });

  it('names where an issue is the way a reader writes it: keys with dots, indexes in brackets', () => {
    const result = validate(Message, { role: 'user', parts: [{ text: 'ok' }, { text: 'long' }] });
    expect(result).toMatchObject({
      ok: false,
      issues: [{ path: 'parts[1].text', message: 'is too long', missing: false }],
      error: 'parts[1].text: is too long',
    });
    expect(issuePath({ path: undefined })).toBe('');
    expect(joinPath('chat', 'messages[0].role')).toBe('chat.messages[0].role');
    expect(joinPath('chat.messages', '[0]')).toBe('chat.messages[0]');
    expect(joinPath('', 'x')).toBe('x');
    expect(joinPath('x', '')).toBe('x');
  });

  it('says when a required key is missing, and starts the sentence with what was checked', () => {
    const result = validate(Message, { parts: [] }, { what: 'Invalid "send" message' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ path: 'role', missing: true });
    expect(result.error).toMatch(/^Invalid "send" message at role: /);
    expect(validate(Message, 'hello', { what: 'Invalid "?" message' })).toMatchObject({
      error: expect.stringMatching(/^Invalid "\?" message: /),
    });
    expect(describeIssue({ path: '', message: 'Bad.', expected: null, received: 'x', missing: false })).toBe('Bad.');
  });

  it('gives the first issue by default, and one per field with `all` (a form)', () => {
    const input = { name: '', limits: { tokens: 0 } };
    const first = validate(Form, input);
    const all = validate(Form, input, { all: true });
    expect(first.ok || first.issues.map((issue) => issue.path)).toEqual(['name']);
    expect(all.ok || all.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['name', 'A name is needed.'],
      ['limits.tokens', 'At least 1.'],
    ]);
  });

  it('shortens a long received value', () => {
    const result = validate(v.number(), 'x'.repeat(500));
    expect(result.ok || result.issues[0]!.received.length).toBeLessThanOrEqual(60);
  });
});
