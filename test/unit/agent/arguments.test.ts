import { describe, expect, it } from 'vitest';
import { schemaProblem, validateArguments, type ToolDefinition } from '@jan/core';

const tool = (parameters: Record<string, unknown>, name = 'edit_file'): ToolDefinition => ({
  name,
  description: '',
  parameters,
});

describe('tool arguments are checked against the tool schema before a tool sees them', () => {
  const edit = tool({
    type: 'object',
    properties: { path: { type: 'string' }, line: { type: 'integer', minimum: 1 }, mode: { enum: ['a', 'b'] } },
    required: ['path'],
    additionalProperties: false,
  });

  it('accepts what matches and says in one line what does not', async () => {
    expect(await validateArguments(edit, '{"path":"a.ts","line":3}')).toEqual({
      ok: true,
      value: { path: 'a.ts', line: 3 },
    });
    expect(await validateArguments(edit, '')).toMatchObject({ ok: false, error: expect.stringContaining("'path'") });
    expect(await validateArguments(edit, '{"path":"a","line":0}')).toEqual({
      ok: false,
      error: 'Invalid arguments for edit_file: line must be >= 1.',
    });
    expect(await validateArguments(edit, '{"path":"a","extra":1}')).toMatchObject({ ok: false });
    expect(await validateArguments(edit, '{"path":')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid JSON'),
    });
    expect(await validateArguments(edit, '[1]')).toMatchObject({
      ok: false,
      error: expect.stringContaining('JSON object'),
    });
    expect(await validateArguments(edit, `{"path":"${'x'.repeat(1_100_000)}"}`)).toMatchObject({
      ok: false,
      error: expect.stringContaining('too long'),
    });
  });

  it('leaves regular expressions to the tool but checks everything else, with names and values untouched', async () => {
    const search = tool({
      type: 'object',
      properties: { pattern: { type: 'string', pattern: '^(a+)+$' }, kind: { enum: [{ pattern: 'x' }] } },
      required: ['pattern'],
    });
    // The catastrophic pattern is not run; the property called "pattern" is still a string property.
    expect(await validateArguments(search, `{"pattern":"${'a'.repeat(40)}!"}`)).toMatchObject({ ok: true });
    expect(await validateArguments(search, '{"pattern":3}')).toMatchObject({ ok: false });
    expect(await validateArguments(search, '{"pattern":"a","kind":{"pattern":"x"}}')).toMatchObject({ ok: true });
    expect(await validateArguments(search, '{"pattern":"a","kind":{"pattern":"y"}}')).toMatchObject({ ok: false });
    const headers = tool({
      type: 'object',
      patternProperties: { '^x-': { type: 'string' } },
      additionalProperties: false,
    });
    expect(await validateArguments(headers, '{"x-a":"1"}')).toMatchObject({ ok: true });
  });

  it('reads draft 2020-12 schemas as such', async () => {
    const tuple = tool({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
    });
    expect(await validateArguments(tuple, '{"pair":["a",1]}')).toMatchObject({ ok: true });
    expect(await validateArguments(tuple, '{"pair":[1,"a"]}')).toMatchObject({ ok: false });
  });

  it('refuses schemas it cannot use safely: too large, too deep, remote references', async () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 40; level++) deep = { type: 'object', properties: { a: deep } };
    expect(await schemaProblem(tool(deep, 'deep'))).toMatch(/nested too deeply/);
    const huge = tool({ type: 'object', description: 'x'.repeat(200_000) }, 'huge');
    expect(await schemaProblem(huge)).toMatch(/too large/);
    const remote = tool({ $ref: 'https://example.com/s.json' }, 'remote');
    expect(await schemaProblem(remote)).toMatch(/cannot be used/);
    expect(await validateArguments(remote, '{}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('remote'),
    });
    expect(await schemaProblem(edit)).toBeUndefined();
  });

  it('refuses a __proto__ key anywhere in the arguments', async () => {
    const open = tool({ type: 'object' });
    expect(await validateArguments(open, '{"a":{"b":[{"__proto__":{"polluted":true}}]}}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('__proto__'),
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
