import type { ValidateFunction } from 'ajv';
import type { ToolDefinition } from '../types';

/** A check's outcome: the value, or one line saying what is wrong (sent to the model as is). */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Bounds on a tool's schema: ajv treats schemas as code it compiles, so one from an MCP server
 * or another extension is limited in size and depth before it is compiled.
 */
const MAX_SCHEMA_CHARS = 100_000;
const MAX_SCHEMA_DEPTH = 32;
/** Arguments larger than this are refused before parsing. */
const MAX_ARGUMENT_CHARS = 1_000_000;

const options = {
  strict: false,
  allErrors: false,
  validateFormats: false,
  validateSchema: false,
  logger: false,
} as const;
interface Compilers {
  draft7: { compile(schema: object): ValidateFunction };
  draft2020: { compile(schema: object): ValidateFunction };
}
let compilers: Promise<Compilers> | undefined;

/** ajv (~140 KB) loads with the first agent turn, not with the extension (docs/ARCHITECTURE.md "Activation"). */
function loadCompilers(): Promise<Compilers> {
  return (compilers ??= Promise.all([import('ajv'), import('ajv/dist/2020')]).then(([draft7, draft2020]) => ({
    draft7: new draft7.default(options),
    draft2020: new draft2020.default(options),
  })));
}

const compiled = new WeakMap<object, ValidateFunction | string>();

/**
 * The tool's arguments parsed and checked against its JSON Schema (the grammar of a local engine
 * already guarantees JSON of the right shape; this catches what a grammar cannot express, and
 * anything a remote model wrote). The error is short and names the problem, so a model can retry.
 */
export async function validateArguments(tool: ToolDefinition, text: string): Promise<Checked<Record<string, unknown>>> {
  const validate = validatorOf(tool, await loadCompilers());
  if (typeof validate === 'string') return { ok: false, error: validate };
  if (text.length > MAX_ARGUMENT_CHARS)
    return { ok: false, error: `The arguments for ${tool.name} are too long (${text.length} characters).` };
  let value: unknown;
  try {
    value = JSON.parse(text.trim() || '{}', refuseProtoKey);
  } catch (error) {
    return { ok: false, error: `The arguments for ${tool.name} are not valid JSON (${(error as Error).message}).` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `The arguments for ${tool.name} must be a JSON object.` };
  if (!validate(value)) {
    const problem = validate.errors?.[0];
    const where = problem?.instancePath ? `${problem.instancePath.slice(1).replaceAll('/', '.')} ` : '';
    return { ok: false, error: `Invalid arguments for ${tool.name}: ${where}${problem?.message ?? 'do not match'}.` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A `__proto__` key would become an object's prototype in a tool that copies arguments carelessly. */
function refuseProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('the key "__proto__" is not allowed');
  return value;
}

/** Why this tool's schema cannot be used to check its arguments (it is then not offered), if it cannot. */
export async function schemaProblem(tool: ToolDefinition): Promise<string | undefined> {
  const validate = validatorOf(tool, await loadCompilers());
  return typeof validate === 'string' ? validate : undefined;
}

function validatorOf(tool: ToolDefinition, compilers: Compilers): ValidateFunction | string {
  const schema = tool.parameters;
  const cached = compiled.get(schema);
  if (cached) return cached;
  const result = compile(tool.name, schema, compilers);
  compiled.set(schema, result);
  return result;
}

function compile(
  name: string,
  schema: Record<string, unknown>,
  { draft7, draft2020 }: Compilers,
): ValidateFunction | string {
  let text: string;
  try {
    text = JSON.stringify(schema);
  } catch {
    return `The schema of ${name} is not JSON.`;
  }
  if (text.length > MAX_SCHEMA_CHARS) return `The schema of ${name} is too large (${text.length} characters).`;
  if (depthOf(schema) > MAX_SCHEMA_DEPTH) return `The schema of ${name} is nested too deeply.`;
  try {
    const copy = forValidation(JSON.parse(text) as unknown) as Record<string, unknown>;
    const modern = typeof schema.$schema === 'string' && /20(19|20)-/.test(schema.$schema);
    return (modern ? draft2020 : draft7).compile(copy);
  } catch (error) {
    return `The schema of ${name} cannot be used: ${(error as Error).message}`;
  }
}

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas. */
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties',
  'items',
  'additionalItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'dependentSchemas']);
/** `$schema` (the draft is chosen above), `$id` (no registry shared between tools), `$async`, regular expressions. */
const DROPPED = new Set(['$schema', '$id', '$async', 'pattern', 'patternProperties']);

/**
 * The schema as ajv compiles it, without the keywords above: a `pattern` could make a check take
 * exponential time, so the tool checks those itself (and names matched by `patternProperties`
 * are allowed). Values of other keywords (`enum`, `const`, `default`) are copied untouched.
 */
function forValidation(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const copy: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === 'additionalProperties' && Object.hasOwn(schema, 'patternProperties')) continue;
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) copy.push([key, value.map(forValidation)]);
    else if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null)
      copy.push([key, Object.fromEntries(Object.entries(value).map(([name, child]) => [name, forValidation(child)]))]);
    else copy.push([key, SCHEMA_KEYWORDS.has(key) ? forValidation(value) : value]);
  }
  return Object.fromEntries(copy);
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_SCHEMA_DEPTH || typeof value !== 'object' || value === null) return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}
