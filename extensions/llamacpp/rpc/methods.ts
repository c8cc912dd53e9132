/**
 * The worker's RPC methods: for each, the schema of its arguments, its result and (for streaming
 * methods) its chunks. The types on both sides are derived from these schemas, so the checks
 * and the types cannot drift apart.
 */
import { array, boolean, literal, number, object, optional, string } from './schema';
import type { Infer, Schema } from './schema';

const sampling = object({
  temperature: optional(number),
  topP: optional(number),
  topK: optional(number),
  maxTokens: optional(number),
  stop: optional(array(string)),
  seed: optional(number),
  frequencyPenalty: optional(number),
  presencePenalty: optional(number),
});
export type Sampling = Infer<typeof sampling>;

const finishReason = literal('stop', 'length', 'abort');

export const methods = {
  /** Starts llama.cpp in the worker: GPU auto-detect with CPU fallback, thread count. */
  init: {
    args: object({ gpu: literal('auto', 'off'), threads: number }),
    result: object({ gpu: string, threads: number, gpuFallbackReason: optional(string) }),
  },
  load: {
    args: object({
      modelId: string,
      filePath: string,
      /** Wanted context length; capped at the model's training context. */
      contextSize: number,
      /** Layers on the GPU; absent: as many as fit. */
      gpuLayers: optional(number),
    }),
    result: object({
      contextSize: number,
      trainContextSize: number,
      infillSupported: boolean,
      chatWrapper: string,
      gpuLayers: number,
      /** node-llama-cpp's estimate of RAM for the model and its chat context, in bytes. */
      estimatedRamBytes: number,
      loadMs: number,
    }),
  },
  unload: {
    args: object({ modelId: optional(string) }),
    result: object({ unloaded: array(string) }),
  },
  chat: {
    args: object({
      modelId: string,
      messages: array(object({ role: literal('system', 'user', 'assistant'), content: string })),
      sampling,
    }),
    chunk: object({ text: string }),
    result: object({
      finishReason,
      promptTokens: number,
      /** Prompt tokens found already evaluated in the KV cache (not evaluated again). */
      cachedPromptTokens: number,
      completionTokens: number,
      promptMs: number,
      generationMs: number,
    }),
  },
  complete: {
    args: object({ modelId: string, prefix: string, suffix: string, sampling }),
    result: object({ text: string, finishReason, tokens: number, infill: boolean }),
  },
  countTokens: {
    args: object({ modelId: string, text: string }),
    result: object({ tokens: number }),
  },
} satisfies Record<string, { args: Schema<unknown>; result: Schema<unknown>; chunk?: Schema<unknown> }>;

export type Methods = typeof methods;
export type Method = keyof Methods;
export type ArgsOf<M extends Method> = Infer<Methods[M]['args']>;
export type ResultOf<M extends Method> = Infer<Methods[M]['result']>;
export type ChunkOf<M extends Method> = Methods[M] extends { chunk: Schema<infer C> } ? C : never;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function chunkSchema(method: Method): Schema<unknown> | undefined {
  const spec = methods[method];
  return 'chunk' in spec ? spec.chunk : undefined;
}
