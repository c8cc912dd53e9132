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

/** A tool call as the worker renders it in the history and reports it: `arguments` is JSON text. */
const toolCall = v.object({ id: v.string(), name: v.string(), arguments: v.string() });

const messages = v.array(
  v.variant('role', [
    v.object({ role: v.picklist(['system', 'user']), content: v.string() }),
    v.object({ role: v.literal('assistant'), content: v.string(), toolCalls: v.optional(v.array(toolCall)) }),
    v.object({ role: v.literal('tool'), content: v.string(), toolCallId: v.string() }),
  ]),
);

/** A JSON Schema as a plain object; its keys are data (src/core/types/tools.ts). */
const jsonSchema = v.record(v.string(), v.unknown());

/** OpenAI's tool name rule: the name also appears in the model's tool-call syntax. */
const toolName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name (letters, digits, _ and -)'));

const tools = v.array(v.object({ name: toolName, description: v.string(), parameters: jsonSchema }));

const toolChoice = v.union([v.picklist(['auto', 'none', 'required']), v.object({ name: toolName })]);

const responseFormat = v.variant('type', [
  v.object({ type: v.literal('json_object') }),
  v.object({ type: v.literal('json_schema'), schema: v.optional(jsonSchema) }),
]);

const finishReason = v.picklist(['stop', 'length', 'tool_calls', 'abort']);

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
      tools: v.optional(tools),
      toolChoice: v.optional(toolChoice),
      /** A JSON answer under a grammar; not applied while tools may be called. */
      responseFormat: v.optional(responseFormat),
    }),
    /** Text as it is generated, and each tool call when its arguments are complete. */
    chunk: v.union([
      v.object({ text: v.string() }),
      v.object({ toolCall: v.object({ name: v.string(), arguments: v.string() }) }),
    ]),
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
    /** With `tools`: their descriptions as the template renders them are counted too. */
    args: v.object({ modelId: v.string(), messages, tools: v.optional(tools) }),
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
      /** The whole request stops this long after the worker receives it (prompt evaluation included) and returns what is ready. */
      timeLimitMs: v.optional(finite),
      /** The prompt as a client sent it (the API server): never cut, refused when it leaves no room. */
      wholePrompt: v.optional(v.boolean()),
      /**
       * The document's language id and the suggestion's line budget: the worker stops generating
       * where the completion rules end the suggestion (`completionStop`), at the token that ends it.
       */
      rules: v.optional(v.object({ languageId: v.string(), maxLines: v.optional(finite) })),
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
