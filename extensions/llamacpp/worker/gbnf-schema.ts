import type { GbnfJsonSchema } from 'node-llama-cpp';

/**
 * A tool's JSON Schema (any draft, from any server) turned into the subset node-llama-cpp makes a
 * grammar from (`GbnfJsonSchema`), so generated arguments always parse and have the right shape.
 * What the grammar cannot express (`pattern`, `minimum`, formats other than dates, …) is left out
 * here and checked after generation against the original schema (src/core/agent/arguments.ts).
 * Anything unknown becomes "any JSON" rather than node-llama-cpp's fallback of `null`.
 */
/**
 * node-llama-cpp generates every listed property. For tool `arguments`, a property the schema
 * does not require may be `null` (which `dropOmittedNulls` removes), so a model is never forced
 * to invent a value, and a top-level object that lists no properties is `{}`. For an `answer`
 * (`response_format`) every property is written and an object without properties is any object.
 */
export type GbnfSchemaPurpose = 'arguments' | 'answer';

type Json = Record<string, unknown>;

/** Nesting and size bounds: a hostile schema costs bounded time and a bounded grammar. */
const MAX_DEPTH = 24;
const MAX_NODES = 500;
const MAX_ENUM = 200;
/** Repetition counts make grammars grow with them; larger bounds are left to the schema check. */
const MAX_STRING_BOUND = 1000;
const MAX_ITEMS_BOUND = 64;
const MAX_DESCRIPTION = 300;

const BASIC = ['string', 'number', 'integer', 'boolean', 'null'] as const;
type Basic = (typeof BASIC)[number];

export const ANY_JSON: GbnfJsonSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

export function toGbnfSchema(schema: unknown, purpose: GbnfSchemaPurpose): GbnfJsonSchema {
  return new Converter(isRecord(schema) ? schema : {}, purpose === 'arguments').convert(schema, 0, true);
}

/** The arguments' top-level object with the `null`s standing for omitted optional properties removed. */
export function dropOmittedNulls(params: unknown, schema: unknown): unknown {
  if (!isRecord(params) || !isRecord(schema) || !isRecord(schema.properties)) return params;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const properties = schema.properties;
  return Object.fromEntries(
    Object.entries(params).filter(([key, value]) => {
      if (value !== null || required.has(key)) return true;
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
      return allowsNull(property);
    }),
  );
}

function allowsNull(schema: unknown): boolean {
  if (!isRecord(schema)) return schema === true;
  if (schema.nullable === true || schema.type === 'null') return true;
  if (Array.isArray(schema.type)) return schema.type.includes('null');
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.some(allowsNull)) return true;
  }
  return Array.isArray(schema.enum) && schema.enum.includes(null);
}

class Converter {
  private nodes = 0;
  private readonly resolving = new Set<string>();

  constructor(
    private readonly root: Json,
    private readonly forArguments: boolean,
  ) {}

  convert(schema: unknown, depth: number, topLevel = false): GbnfJsonSchema {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return ANY_JSON;
    if (schema === false) return { type: 'null' };
    if (!isRecord(schema)) return ANY_JSON;
    if (typeof schema.$ref === 'string') return this.reference(schema, depth);
    const result = withDescription(this.shape(schema, depth, topLevel), schema);
    return schema.nullable === true ? orNull(result) : result;
  }

  private shape(schema: Json, depth: number, topLevel: boolean): GbnfJsonSchema {
    if (schema.const !== undefined) return isPrimitive(schema.const) ? { const: schema.const } : ANY_JSON;
    if (Array.isArray(schema.enum)) {
      const values = schema.enum.filter(isPrimitive).slice(0, MAX_ENUM);
      return values.length ? { enum: values } : ANY_JSON;
    }
    if (Array.isArray(schema.allOf)) return this.convert(mergeAll(schema), depth + 1, topLevel);
    const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
    if (Array.isArray(alternatives) && alternatives.some(definesShape)) {
      const rest = withoutKeys(schema, ['anyOf', 'oneOf', 'description']);
      const branches = alternatives.map((branch) =>
        this.convert(isRecord(branch) ? { ...rest, ...branch } : branch, depth + 1),
      );
      return branches.length === 1 ? branches[0]! : { oneOf: branches };
    }
    const types = typesOf(schema);
    if (types.length === 0) return ANY_JSON;
    if (types.length > 1) return { oneOf: types.map((type) => this.convert({ ...schema, type }, depth + 1)) };
    const type = types[0]!;
    if (type === 'object') return this.object(schema, depth, topLevel);
    if (type === 'array') return this.array(schema, depth);
    if (type === 'string') return this.string(schema);
    return { type };
  }

  private object(schema: Json, depth: number, topLevel: boolean): GbnfJsonSchema {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const converted: Record<string, GbnfJsonSchema> = {};
    for (const [key, value] of Object.entries(properties)) {
      // Past the size bound the rest is left out (the schema check then names what is missing).
      if (this.nodes > MAX_NODES) break;
      let property = this.convert(value, depth + 1);
      if (this.forArguments && !required.has(key) && !allowsNull(value)) property = orNull(property);
      Object.defineProperty(converted, key, { value: property, enumerable: true, writable: true, configurable: true });
    }
    const extra = this.additional(
      schema,
      depth,
      Object.keys(converted).length === 0 && !(topLevel && this.forArguments),
    );
    return {
      type: 'object',
      properties: converted,
      ...(extra === undefined ? {} : { additionalProperties: extra }),
      ...bounded('minProperties', schema.minProperties, MAX_ITEMS_BOUND),
      ...bounded('maxProperties', schema.maxProperties, MAX_ITEMS_BOUND),
    };
  }

  /** Extra keys: as the schema says; a nested object that lists none is a free-form map. */
  private additional(schema: Json, depth: number, freeForm: boolean): boolean | GbnfJsonSchema | undefined {
    const patterns = isRecord(schema.patternProperties) ? Object.values(schema.patternProperties) : [];
    const value = schema.additionalProperties ?? patterns[0];
    if (value === false) return undefined;
    if (value === true) return true;
    if (isRecord(value)) return Object.keys(value).length ? this.convert(value, depth + 1) : true;
    return freeForm ? true : undefined;
  }

  private array(schema: Json, depth: number): GbnfJsonSchema {
    // Draft 4–7 tuples are `items: [...]` (then `additionalItems`); 2020-12 calls them `prefixItems` (then `items`).
    const tuple = Array.isArray(schema.prefixItems)
      ? schema.prefixItems
      : Array.isArray(schema.items)
        ? schema.items
        : [];
    const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    // `false` after a tuple: nothing more than the tuple.
    const closed = rest === false && tuple.length > 0;
    const maxItems = closed ? tuple.length : schema.maxItems;
    return {
      type: 'array',
      ...(tuple.length ? { prefixItems: tuple.map((item) => this.convert(item, depth + 1)) } : {}),
      ...(rest === undefined || rest === true || closed ? {} : { items: this.convert(rest, depth + 1) }),
      ...bounded('minItems', schema.minItems, MAX_ITEMS_BOUND),
      ...bounded('maxItems', maxItems, MAX_ITEMS_BOUND),
    };
  }

  private string(schema: Json): GbnfJsonSchema {
    const format = schema.format;
    if (format === 'date-time' || format === 'date' || format === 'time') return { type: 'string', format };
    return {
      type: 'string',
      ...bounded('minLength', schema.minLength, MAX_STRING_BOUND),
      ...bounded('maxLength', schema.maxLength, MAX_STRING_BOUND),
    };
  }

  /** A local `$ref` (`#/$defs/x`, `#/definitions/x`, any JSON pointer) inlined; a cycle or another file is any JSON. */
  private reference(schema: Json, depth: number): GbnfJsonSchema {
    const ref = schema.$ref as string;
    if (!ref.startsWith('#') || this.resolving.has(ref)) return ANY_JSON;
    const target = resolvePointer(this.root, ref.slice(1));
    if (target === undefined) return ANY_JSON;
    this.resolving.add(ref);
    try {
      const rest = withoutKeys(schema, ['$ref']);
      return this.convert(isRecord(target) ? { ...target, ...rest } : target, depth + 1);
    } finally {
      this.resolving.delete(ref);
    }
  }
}

function typesOf(schema: Json): Array<Basic | 'object' | 'array'> {
  const declared = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const known = declared.filter(
    (type): type is Basic | 'object' | 'array' =>
      typeof type === 'string' && ([...BASIC, 'object', 'array'] as string[]).includes(type),
  );
  if (known.length) return [...new Set(known)];
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ['array'];
  return [];
}

/** A branch of anyOf/oneOf that says what a value is (not only a constraint such as `required`). */
function definesShape(branch: unknown): boolean {
  if (!isRecord(branch)) return branch === false;
  return ['type', 'properties', 'items', '$ref', 'enum', 'const', 'anyOf', 'oneOf', 'allOf'].some((key) =>
    Object.hasOwn(branch, key),
  );
}

/** allOf's members merged into one schema: properties and `required` joined, other keys first wins. */
function mergeAll(schema: Json): Json {
  const merged: Json = withoutKeys(schema, ['allOf']);
  const properties: Json = isRecord(merged.properties) ? { ...merged.properties } : {};
  const required = new Set<unknown>(Array.isArray(merged.required) ? merged.required : []);
  for (const part of schema.allOf as unknown[]) {
    if (!isRecord(part)) continue;
    if (isRecord(part.properties))
      for (const [key, value] of Object.entries(part.properties))
        Object.defineProperty(properties, key, { value, enumerable: true, writable: true, configurable: true });
    if (Array.isArray(part.required)) for (const key of part.required) required.add(key);
    for (const [key, value] of Object.entries(part))
      if (!Object.hasOwn(merged, key) && key !== 'properties' && key !== 'required')
        Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.size) merged.required = [...required];
  return merged;
}

function resolvePointer(root: Json, pointer: string): unknown {
  let current: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isRecord(current) && !Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Json)[key];
  }
  return pointer === '' ? root : current;
}

function withoutKeys(schema: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function bounded(key: string, value: unknown, limit: number): Json {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit) return {};
  return { [key]: value };
}

function orNull(schema: GbnfJsonSchema): GbnfJsonSchema {
  if ('type' in schema && schema.type === 'null') return schema;
  return { oneOf: [schema, { type: 'null' }] };
}

function withDescription(result: GbnfJsonSchema, schema: Json): GbnfJsonSchema {
  if (typeof schema.description !== 'string' || !schema.description.trim() || result === ANY_JSON) return result;
  return { ...result, description: schema.description.trim().slice(0, MAX_DESCRIPTION) } as GbnfJsonSchema;
}
