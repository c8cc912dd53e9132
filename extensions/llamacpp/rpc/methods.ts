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
      /** Context length of the inline completion's own context; absent: the chat's. Capped at the model's training context. */
      completionContextSize: v.optional(finite),
      /**
       * Where chat KV cache states of threads evicted from the sequence pool are saved (a folder
       * for this model under the models folder's cache); absent: they are not saved.
       */
      stateFolder: v.optional(v.string()),
      /** Size cap of the saved states in that folder, in bytes. */
      stateBytesLimit: v.optional(finite),
    }),
    result: v.object({
      contextSize: finite,
      trainContextSize: finite,
      infillSupported: v.boolean(),
      chatWrapper: v.string(),
      gpuLayers: finite,
      /** node-llama-cpp's estimate of RAM for the model and its chat context, in bytes. */
      estimatedRamBytes: finite,
      /** Chat KV sequences kept, one per recent thread, and node-llama-cpp's estimate of the memory one costs. */
      chatSequences: finite,
      bytesPerChatSequence: finite,
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
