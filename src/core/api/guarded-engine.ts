/**
 * What an engine returns is checked before Jan uses it: the pickers, the chat view and the API
 * server read models, chunks and results from engines a caller registered, so an engine that
 * returns the wrong shape fails its own request with a sentence naming it, never a view. Models
 * are completed to Jan's model.json shape and always carry the engine's own id.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { EngineError, type EngineState, type InferenceEngine } from '../engines';
import type { Logger } from '../logger';
import type { ChatCompletionChunk, CompletionResult, EmbeddingResult, Model } from '../types';
import type { JanEngine } from './types';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const finish = v.optional(v.nullable(v.picklist(['stop', 'length', 'tool_calls', 'abort', 'error'])), null);

const record = v.optional(v.record(v.string(), v.unknown()), {});
const ModelEntrySchema = v.object({
  id: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(256)),
  name: v.pipe(v.string(), v.maxLength(300)),
  description: v.optional(v.pipe(v.string(), v.maxLength(10_000)), ''),
  format: v.optional(v.pipe(v.string(), v.maxLength(40)), 'api'),
  settings: record,
  parameters: record,
  metadata: record,
});

const UsageSchema = v.looseObject({ prompt_tokens: count, completion_tokens: count, total_tokens: count });

const ChunkSchema = v.looseObject({
  choices: v.array(
    v.looseObject({
      index: v.optional(count, 0),
      delta: v.looseObject({
        role: v.optional(v.literal('assistant')),
        content: v.optional(v.nullable(v.string())),
        tool_calls: v.optional(
          v.array(
            v.looseObject({
              index: count,
              id: v.optional(v.string()),
              type: v.optional(v.literal('function')),
              function: v.optional(v.looseObject({ name: v.optional(v.string()), arguments: v.optional(v.string()) })),
            }),
          ),
        ),
      }),
      finish_reason: finish,
    }),
  ),
  usage: v.optional(UsageSchema),
});

const CompletionSchema = v.looseObject({
  text: v.string(),
  finish_reason: finish,
  tokens: count,
  prompt_tokens: v.optional(count),
  cached_tokens: v.optional(count),
});

const EmbeddingSchema = v.object({
  embeddings: v.array(v.array(v.pipe(v.number(), v.finite()))),
  prompt_tokens: count,
});

const StatusSchema = v.looseObject({
  state: v.picklist(['idle', 'loading', 'ready', 'generating', 'error'] satisfies EngineState[]),
});

/** The members an engine may have beyond the required ones; each is forwarded as the engine has it. */
const FORWARDED = ['countTokens', 'countChatTokens', 'contextSize', 'tokenize', 'detokenize', 'loadedModels'] as const;

/** The engine contract's optional methods (an engine may leave them out). */
type OptionalMethods = {
  [K in keyof InferenceEngine]-?: undefined extends InferenceEngine[K]
    ? NonNullable<InferenceEngine[K]> extends (...args: never[]) => unknown
      ? K
      : never
    : never;
}[keyof InferenceEngine];
/** Compiles only while every optional method is forwarded (or checked, like `embed`): a new one is never dropped. */
export type EveryOptionalMethodForwarded = Assert<Exclude<OptionalMethods, (typeof FORWARDED)[number] | 'embed'>>;
type Assert<T extends never> = T;

/**
 * The engine as Jan's registry holds it: the caller's methods, with their results checked.
 * `registeredBy` (another extension's or a program's name) is added to its display name, so every
 * picker says whose engine a model runs on.
 */
export function guardedEngine(engine: JanEngine, logger: Logger, registeredBy?: string): InferenceEngine {
  const name = `The ${engine.displayName} engine (${engine.id})`;
  const check = <S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> => {
    const checked = validate(schema, value, { what: `${name} returned ${what} Jan cannot read:` });
    if (!checked.ok) throw new EngineError('UNKNOWN', checked.error);
    return checked.value;
  };
  const guarded: InferenceEngine = {
    id: engine.id,
    displayName: registeredBy ? `${engine.displayName} (${registeredBy})` : engine.displayName,
    runsOn: Object.freeze({ ...engine.runsOn }),
    ...(engine.throughServer === undefined ? {} : { throughServer: engine.throughServer }),
    ...(registeredBy ? { registeredBy } : {}),
    list: async () => {
      const listed: unknown = await engine.list();
      if (!Array.isArray(listed))
        throw new EngineError('UNKNOWN', `${name} listed something other than a list of models.`);
      return listed.flatMap((entry: unknown, index) => {
        const checked = validate(ModelEntrySchema, entry, { what: `model [${index}]` });
        if (checked.ok) return [completeModel(checked.value, engine.id)];
        logger.warn(`${name} listed a model Jan cannot read, left out: ${checked.error}`);
        return [];
      });
    },
    load: (modelId, settings, signal) => engine.load(modelId, settings, signal),
    unload: (modelId) => engine.unload(modelId),
    chat: (request, signal) => checkedChunks(engine.chat(request, signal), request.model, check),
    complete: async (request, signal, options) =>
      check(CompletionSchema, await engine.complete(request, signal, options), 'a completion') as CompletionResult,
    status: () => {
      const status: unknown = engine.status();
      const checked = validate(StatusSchema, status);
      return checked.ok
        ? (status as ReturnType<InferenceEngine['status']>)
        : { state: 'error', error: `${name} reported a status Jan cannot read.` };
    },
  };
  if (engine.embed) {
    const embed = engine.embed.bind(engine);
    guarded.embed = async (request, signal) => {
      const result = check(EmbeddingSchema, await embed(request, signal), 'embeddings') as EmbeddingResult;
      if (result.embeddings.length !== request.input.length)
        throw new EngineError(
          'UNKNOWN',
          `${name} returned ${result.embeddings.length} embeddings for ${request.input.length} texts.`,
        );
      return result;
    };
  }
  for (const key of FORWARDED) {
    const method = engine[key];
    if (typeof method === 'function')
      Object.defineProperty(guarded, key, { value: method.bind(engine), enumerable: true });
  }
  return guarded;
}

async function* checkedChunks(
  chunks: AsyncIterable<ChatCompletionChunk>,
  model: string,
  check: <S extends v.GenericSchema>(schema: S, value: unknown, what: string) => v.InferOutput<S>,
): AsyncIterable<ChatCompletionChunk> {
  for await (const chunk of chunks) {
    const checked = check(ChunkSchema, chunk, 'a chat chunk');
    yield {
      ...(checked as unknown as ChatCompletionChunk),
      id: typeof chunk.id === 'string' ? chunk.id : 'chatcmpl',
      object: 'chat.completion.chunk',
      created: typeof chunk.created === 'number' ? chunk.created : 0,
      model: typeof chunk.model === 'string' ? chunk.model : model,
    };
  }
}

/** A listed model in Jan's model.json shape; the engine is always the listing engine. */
function completeModel(entry: v.InferOutput<typeof ModelEntrySchema>, engineId: string): Model {
  return {
    object: 'model',
    version: 1,
    sources: [],
    created: 0,
    ...entry,
    name: entry.name || entry.id,
    engine: engineId,
  };
}
