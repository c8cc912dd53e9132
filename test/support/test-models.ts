import * as path from 'node:path';

/** The real GGUF test models, committed with the repository (test/fixtures/models/README.md). */
export const TEST_MODELS_FOLDER = path.resolve(__dirname, '../fixtures/models');

/** Trained 260K llama, no chat template, no FIM tokens. */
export const STORIES = path.join(TEST_MODELS_FOLDER, 'stories260K.gguf');
export const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
/** The same weights with a ChatML template and FIM token ids added. */
export const STORIES_FIM = path.join(TEST_MODELS_FOLDER, 'stories260K-chatml-fim.gguf');
/** Aborts the process that tokenizes a character missing from its vocabulary: a real native crash. */
export const TINYSTORIES = path.join(TEST_MODELS_FOLDER, 'TinyStories-656K-Q8_0.gguf');
