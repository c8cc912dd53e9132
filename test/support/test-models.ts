import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '@jan/core';

/** The checkout's test models folder, found from this file or from its bundled copy (out/bench/). */
function findModelsFolder(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test', 'fixtures', 'models');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('test/fixtures/models was not found above this file.');
  }
}

/** The real GGUF test models, committed with the repository (test/fixtures/models/README.md). */
export const TEST_MODELS_FOLDER = findModelsFolder();

/** Trained 260K llama, no chat template, no FIM tokens. */
export const STORIES = path.join(TEST_MODELS_FOLDER, 'stories260K.gguf');
export const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
/** The same weights with a ChatML template and FIM token ids added. */
export const STORIES_FIM = path.join(TEST_MODELS_FOLDER, 'stories260K-chatml-fim.gguf');
/** Aborts the process that tokenizes a character missing from its vocabulary: a real native crash. */
export const TINYSTORIES = path.join(TEST_MODELS_FOLDER, 'TinyStories-656K-Q8_0.gguf');

/** A minimal llama.cpp model record for `id`, as the benches give it to the engine. */
export function llamaCppModel(id: string): Model {
  return {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [],
    id,
    name: id,
    created: 0,
    description: '',
    settings: {},
    parameters: {},
    metadata: {},
    engine: 'llamacpp',
  };
}
