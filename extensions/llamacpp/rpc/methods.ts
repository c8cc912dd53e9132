/**
 * The worker's RPC methods: for each, the schema of its arguments, its result and (for streaming
 * methods) its chunks. The types on both sides are derived from these schemas, so the checks
 * and the types cannot drift apart.
 */
import * as v from 'valibot';
import { finite, type Infer, type Schema } from './schema';

const sampling = v.object({
  temperature: v.optional(finite),
  topP: v.optional(finite),
  topK: v.optional(finite),
  maxTokens: v.optional(finite),
  stop: v.optional(v.array(v.string())),
  seed: v.optional(finite),
  frequencyPenalty: v.optional(finite),
  presencePenalty: v.optional(finite),
});
export type Sampling = Infer<typeof sampling>;

const finishReason = v.picklist(['stop', 'length', 'abort']);

export const methods = {
  /** Starts llama.cpp in the worker: GPU auto-detect with CPU fallback, thread count. */
  init: {
    args: v.object({ gpu: v.picklist(['auto', 'off']), threads: finite }),
    result: v.object({ gpu: v.string(), threads: finite, gpuFallbackReason: v.optional(v.string()) }),
  },
  load: {
    args: v.object({
      modelId: v.string(),
      filePath: v.string(),
      /** Wanted context length; capped at the model's training context. */
      contextSize: finite,
      /** Layers on the GPU; absent: as many as fit. */
      gpuLayers: v.optional(finite),
    }),
    result: v.object({
      contextSize: finite,
      trainContextSize: finite,
      infillSupported: v.boolean(),
      chatWrapper: v.string(),
      gpuLayers: finite,
      /** node-llama-cpp's estimate of RAM for the model and its chat context, in bytes. */
      estimatedRamBytes: finite,
      loadMs: finite,
    }),
  },
  unload: {
    args: v.object({ modelId: v.optional(v.string()) }),
    result: v.object({ unloaded: v.array(v.string()) }),
  },
  chat: {
    args: v.object({
      modelId: v.string(),
      messages: v.array(v.object({ role: v.picklist(['system', 'user', 'assistant']), content: v.string() })),
      sampling,
    }),
    chunk: v.object({ text: v.string() }),
    result: v.object({
      finishReason,
      promptTokens: finite,
      /** Prompt tokens found already evaluated in the KV cache (not evaluated again). */
      cachedPromptTokens: finite,
      completionTokens: finite,
      promptMs: finite,
      generationMs: finite,
    }),
  },
  complete: {
    args: v.object({ modelId: v.string(), prefix: v.string(), suffix: v.string(), sampling }),
    result: v.object({ text: v.string(), finishReason, tokens: finite, infill: v.boolean() }),
  },
  embed: {
    args: v.object({ modelId: v.string(), inputs: v.array(v.string()) }),
    result: v.object({ embeddings: v.array(v.array(finite)), tokens: finite }),
  },
  countTokens: {
    args: v.object({ modelId: v.string(), text: v.string() }),
    result: v.object({ tokens: finite }),
  },
} satisfies Record<string, { args: Schema; result: Schema; chunk?: Schema }>;

export type Methods = typeof methods;
export type Method = keyof Methods;
export type ArgsOf<M extends Method> = Infer<Methods[M]['args']>;
export type ResultOf<M extends Method> = Infer<Methods[M]['result']>;
export type ChunkOf<M extends Method> = Methods[M] extends { chunk: infer C extends Schema } ? Infer<C> : never;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function chunkSchema(method: Method): Schema | undefined {
  const spec = methods[method];
  return 'chunk' in spec ? spec.chunk : undefined;
}
