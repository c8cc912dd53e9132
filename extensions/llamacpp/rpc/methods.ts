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

const messages = v.array(v.object({ role: v.picklist(['system', 'user', 'assistant']), content: v.string() }));

const finishReason = v.picklist(['stop', 'length', 'abort']);

const planArgs = v.object({
  modelId: v.string(),
  filePath: v.string(),
  /** Wanted context length, capped at the model's training context; absent: the largest that fits the memory budget. */
  contextSize: v.optional(finite),
  /** Layers on the GPU; absent: as many as fit. */
  gpuLayers: v.optional(finite),
  /** Plan a completion context of this size beside the chat's (the model also serves inline completion). */
  completionContextSize: v.optional(finite),
});

/** A model's memory plan; bytes are node-llama-cpp's estimates. */
const plan = v.object({
  contextSize: finite,
  trainContextSize: finite,
  /** What set the context: the request, the training context, the memory budget, or the memory free now. */
  contextLimit: v.picklist(['setting', 'training', 'budget', 'memory']),
  /** Chat KV sequences, one per recent thread, and the memory one costs. */
  sequences: finite,
  bytesPerSequence: finite,
  gpuLayers: finite,
  totalLayers: finite,
  modelRamBytes: finite,
  modelVramBytes: finite,
  chatRamBytes: finite,
  chatVramBytes: finite,
  /** The completion context planned beside the chat's (0: none asked for, or not made yet). */
  completionContextSize: finite,
  completionRamBytes: finite,
  completionVramBytes: finite,
  totalRamBytes: finite,
  freeRamBytes: finite,
  freeSwapBytes: finite,
  totalVramBytes: finite,
  freeVramBytes: finite,
  /** The weights' size and parameter count (to suggest a smaller quantization). */
  modelBytes: finite,
  parameters: finite,
  fit: v.picklist(['fits', 'slow', 'wont']),
  reason: v.string(),
  /** For a model that won't fit: the largest context that would (0: none). */
  fittingContextSize: v.optional(finite),
});

export const methods = {
  /** Starts llama.cpp in the worker on the backend the setting asks for (worker/backend.ts), with its thread count. */
  init: {
    args: v.object({
      gpu: v.picklist(['auto', 'cuda', 'vulkan', 'metal', 'cpu']),
      threads: finite,
      /** Where GPU backends fetched on demand (CUDA) are installed (worker/backend-packages.ts). */
      backendsFolder: v.optional(v.string()),
    }),
    result: v.object({
      gpu: v.string(),
      threads: finite,
      /** Why that many threads (the setting, or the cores and the machine's load). */
      threadsReason: v.optional(v.string()),
      gpuFallbackReason: v.optional(v.string()),
      /** node-llama-cpp's version (an on-demand backend must match it) and the CUDA backend's state here. */
      version: v.string(),
      cuda: v.object({ packages: v.array(v.string()), detected: v.boolean(), installed: v.boolean() }),
    }),
  },
  /**
   * The memory plan of a model file, without loading it (worker/model-plan.ts): the context and
   * chat sequences it would get, node-llama-cpp's estimates, and whether it fits this machine now.
   */
  plan: {
    args: planArgs,
    result: plan,
  },
  load: {
    args: v.object({
      ...planArgs.entries,
      filePath: v.string(),
      /** Context length of the inline completion's own context; absent: the chat's. Capped at the model's training context. */
      completionContextSize: v.optional(finite),
      /**
       * Where chat KV cache states are saved (a folder for this model under the models folder's
       * cache): when a thread leaves the sequence pool and when the model unloads. Absent: not saved.
       */
      stateFolder: v.optional(v.string()),
      /** Size cap of the saved states in that folder, in bytes. */
      stateBytesLimit: v.optional(finite),
      /** Prompt-lookup drafting for replies that edit code (worker/prompt-lookup.ts). */
      promptLookup: v.optional(v.boolean()),
    }),
    result: v.object({
      ...plan.entries,
      infillSupported: v.boolean(),
      chatWrapper: v.string(),
      loadMs: finite,
    }),
  },
  /** The worker's memory and backend, and each loaded model's plan with its completion context (0: not made yet). */
  status: {
    args: v.object({}),
    result: v.object({
      /** The worker process's resident memory, and the part of it that is its JavaScript heap, in bytes. */
      rssBytes: finite,
      heapBytes: finite,
      /** This machine's memory now, as node-llama-cpp sees it. */
      memory: v.object({
        totalRamBytes: finite,
        freeRamBytes: finite,
        freeSwapBytes: finite,
        totalVramBytes: finite,
        freeVramBytes: finite,
      }),
      gpu: v.string(),
      threads: finite,
      threadsReason: v.optional(v.string()),
      gpuFallbackReason: v.optional(v.string()),
      models: v.array(
        v.object({
          ...plan.entries,
          modelId: v.string(),
          infillSupported: v.boolean(),
          chatWrapper: v.string(),
          loadMs: finite,
          /** Whether the chat sequences were made (on the first chat turn; a completion-only model never makes them). */
          chatAllocated: v.boolean(),
        }),
      ),
    }),
  },
  unload: {
    args: v.object({ modelId: v.optional(v.string()) }),
    result: v.object({ unloaded: v.array(v.string()) }),
  },
  chat: {
    args: v.object({
      modelId: v.string(),
      messages,
      sampling,
      /** The thread: its turns keep their own KV sequence (or saved state) between calls. */
      sessionKey: v.optional(v.string()),
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
      /** CPU threads this reply ran with, and why that many (worker/thread-count.ts). */
      threads: v.optional(finite),
      threadsReason: v.optional(v.string()),
      /** Tokens drafted by prompt lookup and checked in batches, and those the model kept. */
      draftTokens: v.optional(finite),
      acceptedDraftTokens: v.optional(finite),
    }),
  },
  /** Tokens of the prompt the chat template renders for these messages, with the reply's opening. */
  countChatTokens: {
    args: v.object({ modelId: v.string(), messages }),
    result: v.object({ tokens: finite }),
  },
  complete: {
    args: v.object({
      modelId: v.string(),
      prefix: v.string(),
      suffix: v.string(),
      /** Context from other files, placed before the prefix. */
      extra: v.optional(v.string()),
      sampling,
      /** Generation stops this long after its first token and returns what is ready. */
      timeLimitMs: v.optional(finite),
      /** The prompt as a client sent it (the API server): never cut, refused when it leaves no room. */
      wholePrompt: v.optional(v.boolean()),
    }),
    chunk: v.object({ text: v.string() }),
    result: v.object({
      text: v.string(),
      finishReason,
      tokens: finite,
      infill: v.boolean(),
      promptTokens: finite,
      /** Prompt tokens found already evaluated in the KV cache (not evaluated again). */
      cachedPromptTokens: finite,
    }),
  },
  embed: {
    args: v.object({ modelId: v.string(), inputs: v.array(v.string()) }),
    result: v.object({ embeddings: v.array(v.array(finite)), tokens: finite }),
  },
  countTokens: {
    args: v.object({ modelId: v.string(), text: v.string() }),
    result: v.object({ tokens: finite }),
  },
  /** The model's tokens for a text (`special`: the beginning-of-text token the model wants first), with each token's text. */
  tokenize: {
    args: v.object({ modelId: v.string(), text: v.string(), special: v.optional(v.boolean()) }),
    /** A piece is its text, or its bytes when it is part of a character (a byte-fallback token). */
    result: v.object({ tokens: v.array(finite), pieces: v.array(v.union([v.string(), v.array(finite)])) }),
  },
  /** The text of token ids; ids the vocabulary does not have are refused (llama.cpp would abort on them). */
  detokenize: {
    args: v.object({ modelId: v.string(), tokens: v.array(finite) }),
    result: v.object({ text: v.string() }),
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
