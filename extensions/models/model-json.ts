/**
 * Reads Jan's model.json (0.4/0.5 format) with runtime checks. Files written by other Jan
 * versions are accepted when their fields have the right types; missing (or null) optional
 * fields get Jan's defaults in memory only. The file itself is never rewritten here.
 */
import {
  DEFAULT_ENGINE,
  ShapeError,
  applyChanges,
  expectRecord,
  optionalField,
  within,
  type Model,
  type ModelSource,
  A_NUMBER,
  A_STRING,
  AN_ARRAY,
  AN_OBJECT,
  fieldType,
  parseKeeping,
  stringifyKeeping,
  type JsonSource,
} from '@jan/core';
import * as v from 'valibot';
import { isContextLength, MAX_CONTEXT_LENGTH } from './context-length';
import { isValidModelId } from './model-id';

/** Engine names Jan used over the years for its local llama.cpp engine. */
const LLAMACPP_ALIASES = new Set(['llamacpp', 'llama-cpp', 'llama.cpp', 'nitro', 'cortex', 'cortex.llamacpp']);

export type ModelJsonResult = { ok: true; model: Model } | { ok: false; error: string };

const A_VERSION = fieldType(v.union([A_STRING.schema, A_NUMBER.schema]), 'a string or number');

function readSources(value: unknown[] | undefined): ModelSource[] {
  return (value ?? []).map((item, index) =>
    within(`sources[${index}]`, () => {
      const source = expectRecord(item, 'the source');
      const filename = optionalField(source, 'filename', A_STRING) ?? '';
      const url = optionalField(source, 'url', A_STRING) ?? '';
      return { filename, url };
    }),
  );
}

export function normalizeEngine(engine: string | undefined): string {
  if (!engine) return DEFAULT_ENGINE;
  return LLAMACPP_ALIASES.has(engine.toLowerCase()) ? DEFAULT_ENGINE : engine;
}

function readModel(value: unknown): Model {
  const fields = expectRecord(value, 'model.json');
  const id = optionalField(fields, 'id', A_STRING);
  if (id === undefined) throw new ShapeError('"id" is missing');
  if (!isValidModelId(id)) throw new ShapeError(`"id" ${JSON.stringify(id)} is not a valid model id`);
  const object = optionalField(fields, 'object', A_STRING);
  if (object !== undefined && object !== 'model')
    throw new ShapeError(`"object" is ${JSON.stringify(object)}, not "model"`);
  const settings = optionalField(fields, 'settings', AN_OBJECT) ?? {};
  within('settings', () => {
    optionalField(settings, 'llama_model_path', A_STRING);
    const contextLength = optionalField(settings, 'ctx_len', A_NUMBER);
    if (contextLength !== undefined && !isContextLength(contextLength)) {
      throw new ShapeError(
        `"ctx_len" is ${contextLength}; it must be a whole number of tokens from 1 to ${MAX_CONTEXT_LENGTH}`,
      );
    }
  });
  return {
    object: 'model',
    version: optionalField(fields, 'version', A_VERSION) ?? '1.0',
    format: optionalField(fields, 'format', A_STRING) ?? 'gguf',
    sources: readSources(optionalField(fields, 'sources', fieldType(AN_ARRAY.schema, 'a list'))),
    id,
    name: optionalField(fields, 'name', A_STRING) || id,
    created: optionalField(fields, 'created', A_NUMBER) ?? 0,
    description: optionalField(fields, 'description', A_STRING) ?? '',
    settings,
    parameters: optionalField(fields, 'parameters', AN_OBJECT) ?? {},
    metadata: optionalField(fields, 'metadata', AN_OBJECT) ?? {},
    engine: normalizeEngine(optionalField(fields, 'engine', A_STRING)),
  };
}

function parseWithRaw(
  bytes: Buffer,
): { ok: true; model: Model; raw: Record<string, unknown>; source: JsonSource } | { ok: false; error: string } {
  let parsed: ReturnType<typeof parseKeeping>;
  try {
    parsed = parseKeeping(bytes);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  try {
    return {
      ok: true,
      model: readModel(parsed.value),
      raw: parsed.value as Record<string, unknown>,
      source: parsed.source,
    };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, error: error.message };
    throw error;
  }
}

const bytesOf = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

export function parseModelJson(text: string | Buffer): ModelJsonResult {
  const parsed = parseWithRaw(bytesOf(text));
  return parsed.ok ? { ok: true, model: parsed.model } : parsed;
}

/**
 * The new bytes of an existing model.json after `change`: the file as it is, with only the fields
 * that differ from what was read written into it (src/core/store/record.ts) and every other byte
 * kept (src/core/store/raw-json.ts), so what other Jan versions put there survives. A file that
 * does not parse is an error, never overwritten.
 */
export function rewriteModelJson(
  text: string | Buffer,
  change: (model: Model) => Model,
): { ok: true; text: Buffer; model: Model } | { ok: false; error: string } {
  const parsed = parseWithRaw(bytesOf(text));
  if (!parsed.ok) return parsed;
  const model = change(parsed.model);
  const next = applyChanges(parsed.raw, parsed.model, model);
  return { ok: true, model, text: Buffer.concat([stringifyKeeping(next, parsed.source, 2), Buffer.from('\n')]) };
}

export function serializeModel(model: Model): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
