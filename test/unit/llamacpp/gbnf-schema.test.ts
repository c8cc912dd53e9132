import { describe, expect, it } from 'vitest';
import { ANY_JSON, dropOmittedNulls, toGbnfSchema } from '../../../extensions/llamacpp/worker/gbnf-schema';

describe('tool schemas → the grammar subset of node-llama-cpp', () => {
  it('lets a model leave out optional arguments (null, then dropped) but writes every field of an answer', () => {
    const schema = {
      type: 'object',
      properties: { path: { type: 'string' }, line: { type: 'integer' } },
      required: ['path'],
    };
    expect(toGbnfSchema(schema, 'arguments')).toEqual({
      type: 'object',
      properties: { path: { type: 'string' }, line: { oneOf: [{ type: 'integer' }, { type: 'null' }] } },
    });
    expect(toGbnfSchema(schema, 'answer')).toEqual({
      type: 'object',
      properties: { path: { type: 'string' }, line: { type: 'integer' } },
    });
    expect(dropOmittedNulls({ path: 'a', line: null }, schema)).toEqual({ path: 'a' });
    // A null the schema allows, or a required one, is the model's answer and stays.
    const nullable = { ...schema, properties: { ...schema.properties, line: { type: ['integer', 'null'] } } };
    expect(dropOmittedNulls({ path: null, line: null }, nullable)).toEqual({ path: null, line: null });
  });

  it('turns what the grammar has no word for into what it has', () => {
    expect(toGbnfSchema({ anyOf: [{ type: 'string' }, { type: 'number' }] }, 'answer')).toEqual({
      oneOf: [{ type: 'string' }, { type: 'number' }],
    });
    expect(toGbnfSchema({ type: ['string', 'null'] }, 'answer')).toEqual({
      oneOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(toGbnfSchema({ type: 'string', nullable: true }, 'answer')).toEqual({
      oneOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(
      toGbnfSchema(
        {
          allOf: [
            { properties: { a: { type: 'string' } }, required: ['a'] },
            { properties: { b: { type: 'boolean' } } },
          ],
        },
        'answer',
      ),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' } } });
    expect(toGbnfSchema({ enum: ['a', { no: 1 }, 2, null] }, 'answer')).toEqual({ enum: ['a', 2, null] });
    // A closed tuple (draft 7 and 2020-12 spellings) allows nothing after it.
    for (const tuple of [
      { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    ])
      expect(toGbnfSchema(tuple, 'answer')).toEqual({
        type: 'array',
        prefixItems: [{ type: 'string' }, { type: 'integer' }],
        maxItems: 2,
      });
    expect(
      toGbnfSchema({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'boolean' } }, 'answer'),
    ).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }],
      items: { type: 'boolean' },
    });
    // A nested object that lists no properties is a free-form map; an empty argument list is `{}`.
    expect(toGbnfSchema({ type: 'object', properties: { meta: { type: 'object' } } }, 'answer')).toEqual({
      type: 'object',
      properties: { meta: { type: 'object', properties: {}, additionalProperties: true } },
    });
    expect(toGbnfSchema({ type: 'object' }, 'arguments')).toEqual({ type: 'object', properties: {} });
    // No type and nothing to infer one from, or a keyword it does not know: any JSON, never a forced null.
    expect(toGbnfSchema({ description: 'anything' }, 'answer')).toBe(ANY_JSON);
    expect(toGbnfSchema({ not: { type: 'string' } }, 'answer')).toBe(ANY_JSON);
    // anyOf branches that only constrain (required) leave the shape as it is.
    expect(
      toGbnfSchema({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ required: ['a'] }] }, 'answer'),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('resolves local references, and ends cycles, depth and size in any JSON', () => {
    const tree = {
      definitions: { node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } } },
      $ref: '#/definitions/node',
    };
    expect(toGbnfSchema(tree, 'answer')).toEqual({
      type: 'object',
      properties: { child: ANY_JSON },
    });
    expect(toGbnfSchema({ $ref: 'https://example.com/schema.json' }, 'answer')).toBe(ANY_JSON);
    expect(toGbnfSchema({ $ref: '#/nowhere' }, 'answer')).toBe(ANY_JSON);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 100; level++) deep = { type: 'array', items: deep };
    expect(JSON.stringify(toGbnfSchema(deep, 'answer'))).toContain('"additionalProperties":true');
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, { type: 'string' }])),
    };
    expect(JSON.stringify(toGbnfSchema(wide, 'answer')).length).toBeLessThan(200_000);
  });

  it('drops bounds that would make a huge grammar and keeps date formats', () => {
    expect(toGbnfSchema({ type: 'string', maxLength: 10_000_000, minLength: 2 }, 'answer')).toEqual({
      type: 'string',
      minLength: 2,
    });
    expect(toGbnfSchema({ type: 'array', minItems: 1_000_000, maxItems: 3 }, 'answer')).toEqual({
      type: 'array',
      maxItems: 3,
    });
    expect(toGbnfSchema({ type: 'string', format: 'date' }, 'answer')).toEqual({ type: 'string', format: 'date' });
    expect(toGbnfSchema({ type: 'string', format: 'email', pattern: '^.+@.+$' }, 'answer')).toEqual({ type: 'string' });
  });

  it('keeps a property named __proto__ as a property', () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"}},"required":["__proto__"]}',
    ) as unknown;
    const converted = toGbnfSchema(schema, 'arguments') as { properties: Record<string, unknown> };
    expect(Object.getPrototypeOf(converted.properties)).toBe(Object.prototype);
    expect(Object.keys(converted.properties)).toEqual(['__proto__']);
  });
});
