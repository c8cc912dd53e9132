/**
 * Reads Jan's model.json (0.4/0.5 format) with runtime checks. Files written by other Jan
 * versions are accepted when their fields have the right types; missing (or null) optional
 * fields get Jan's defaults in memory only. The file itself is never rewritten here.
 */
import {
  DEFAULT_ENGINE,
  ShapeError,
  expectRecord,
  isArray,
  isFiniteNumber,
  isRecord,
  isString,
  optionalField,
  within,
  type Model,
  type ModelSource,
} from '@jan/core';
import { isValidModelId } from './model-id';

/** Engine names Jan used over the years for its local llama.cpp engine. */
const LLAMACPP_ALIASES = new Set(['llamacpp', 'llama-cpp', 'llama.cpp', 'nitro', 'cortex', 'cortex.llamacpp']);

export type ModelJsonResult = { ok: true; model: Model } | { ok: false; error: string };

const isVersion = (value: unknown): value is string | number => isString(value) || isFiniteNumber(value);

function readSources(value: unknown[] | undefined): ModelSource[] {
  return (value ?? []).map((item, index) =>
    within(`sources[${index}]`, () => {
      const source = expectRecord(item, 'the source');
      const filename = optionalField(source, 'filename', isString, 'a string') ?? '';
      const url = optionalField(source, 'url', isString, 'a string') ?? '';
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
  const id = optionalField(fields, 'id', isString, 'a string');
  if (id === undefined) throw new ShapeError('"id" is missing');
  if (!isValidModelId(id)) throw new ShapeError(`"id" ${JSON.stringify(id)} is not a valid model id`);
  const object = optionalField(fields, 'object', isString, 'a string');
  if (object !== undefined && object !== 'model') throw new ShapeError(`"object" is ${JSON.stringify(object)}, not "model"`);
  const settings = optionalField(fields, 'settings', isRecord, 'an object') ?? {};
  within('settings', () => optionalField(settings, 'llama_model_path', isString, 'a string'));
  return {
    object: 'model',
    version: optionalField(fields, 'version', isVersion, 'a string or number') ?? '1.0',
    format: optionalField(fields, 'format', isString, 'a string') ?? 'gguf',
    sources: readSources(optionalField(fields, 'sources', isArray, 'a list')),
    id,
    name: optionalField(fields, 'name', isString, 'a string') || id,
    created: optionalField(fields, 'created', isFiniteNumber, 'a number') ?? 0,
    description: optionalField(fields, 'description', isString, 'a string') ?? '',
    settings,
    parameters: optionalField(fields, 'parameters', isRecord, 'an object') ?? {},
    metadata: optionalField(fields, 'metadata', isRecord, 'an object') ?? {},
    engine: normalizeEngine(optionalField(fields, 'engine', isString, 'a string')),
  };
}

export function parseModelJson(text: string): ModelJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  try {
    return { ok: true, model: readModel(value) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, error: error.message };
    throw error;
  }
}

export function serializeModel(model: Model): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
