import { DEFAULT_ENGINE, type Model } from '@jan/core';
import { isContextLength } from './context-length';
import type { GgufSummary } from './gguf-header';

export interface ModelRecordInput {
  id: string;
  name: string;
  description?: string;
  /** settings.llama_model_path: a file name inside the model folder, or an absolute path. */
  modelPath: string;
  /** Where the file came from (URL, hf: URI or the imported path). */
  source: { filename: string; url: string };
  header: GgufSummary;
  sha256?: string;
  author?: string;
  license?: string;
  tags: string[];
}

/**
 * The model.json Jan 0.5 writes for a local GGUF, with `engine` always set (Jan lost threads when
 * it went missing) and the GGUF's own training context as `ctx_len`; the engine caps it with
 * the user's context setting.
 */
export function buildModelRecord(input: ModelRecordInput, now = Date.now()): Model {
  const { header } = input;
  return {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [input.source],
    id: input.id,
    name: input.name,
    created: now,
    description: input.description ?? '',
    settings: {
      ...(isContextLength(header.contextLength) ? { ctx_len: header.contextLength } : {}),
      llama_model_path: input.modelPath,
    },
    parameters: {
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 2048,
      stream: true,
      stop: [],
      frequency_penalty: 0,
      presence_penalty: 0,
    },
    metadata: {
      author: input.author ?? 'User',
      tags: input.tags,
      size: header.fileSize,
      ...(input.sha256 ? { sha256: input.sha256 } : {}),
      ...(header.architecture ? { architecture: header.architecture } : {}),
      ...((input.license ?? header.license) ? { license: input.license ?? header.license } : {}),
    },
    engine: DEFAULT_ENGINE,
  };
}
