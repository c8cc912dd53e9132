/**
 * What a remote server sends back, checked with valibot before anything reads it: the server is
 * someone else's program, and a field of the wrong type must be an error that names the engine,
 * not a TypeError deep in the chat. Only the fields Jan reads are checked; the rest pass through.
 */
import * as v from 'valibot';
import { validate, type ValidationIssue } from '@jan/validation';

const Usage = v.object({
  prompt_tokens: v.optional(v.number(), 0),
  completion_tokens: v.optional(v.number(), 0),
  total_tokens: v.optional(v.number(), 0),
  prompt_tokens_details: v.optional(v.nullable(v.object({ cached_tokens: v.optional(v.nullable(v.number())) }))),
});

const FinishReason = v.optional(v.nullable(v.string()), null);

/** A piece of a streamed tool call; servers differ in which fields they repeat or send as null. */
const ToolCallDelta = v.object({
  index: v.optional(v.nullable(v.number())),
  id: v.optional(v.nullable(v.string())),
  type: v.optional(v.nullable(v.string())),
  function: v.optional(
    v.nullable(v.object({ name: v.optional(v.nullable(v.string())), arguments: v.optional(v.nullable(v.string())) })),
  ),
});

export const ChatChunkSchema = v.object({
  id: v.optional(v.string(), ''),
  created: v.optional(v.number(), 0),
  model: v.optional(v.string(), ''),
  choices: v.optional(
    v.array(
      v.object({
        index: v.optional(v.number(), 0),
        delta: v.optional(
          v.object({
            content: v.optional(v.nullable(v.string())),
            tool_calls: v.optional(v.nullable(v.array(ToolCallDelta))),
          }),
          {},
        ),
        finish_reason: FinishReason,
      }),
    ),
    [],
  ),
  usage: v.optional(v.nullable(Usage)),
});
export type WireChatChunk = v.InferOutput<typeof ChatChunkSchema>;

export const ModelListSchema = v.object({ data: v.array(v.object({ id: v.pipe(v.string(), v.minLength(1)) })) });

/** `/completions` (OpenAI's legacy endpoint, with or without `suffix`). */
export const TextCompletionSchema = v.object({
  choices: v.pipe(v.array(v.object({ text: v.string(), finish_reason: FinishReason })), v.minLength(1)),
  usage: v.optional(v.nullable(Usage)),
});

/** Mistral's `/fim/completions` and a non-streamed chat completion: the text is in `message.content`. */
export const MessageCompletionSchema = v.object({
  choices: v.pipe(
    v.array(v.object({ message: v.object({ content: v.nullable(v.string()) }), finish_reason: FinishReason })),
    v.minLength(1),
  ),
  usage: v.optional(v.nullable(Usage)),
});

/** llama.cpp server's `/infill`. */
export const InfillSchema = v.object({
  content: v.string(),
  tokens_predicted: v.optional(v.number()),
  stop_type: v.optional(v.string()),
});

/** Delta fields that are the reply: text, reasoning, a refusal, tool or function calls. */
const OUTPUT_FIELDS = ['content', 'reasoning_content', 'reasoning', 'refusal', 'tool_calls', 'function_call'];

function nonEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/**
 * Whether a raw stream chunk (before the schema drops fields Jan does not read) carries any of
 * the reply or its end: what keeps a remote reply's idle deadline from running out (deadline.ts).
 * Chunks without choices, role-only or empty deltas and usage alone do not.
 */
export function carriesOutput(raw: unknown): boolean {
  const choices = (raw as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return false;
  return choices.some((choice: unknown) => {
    const { delta, finish_reason } = (choice ?? {}) as { delta?: Record<string, unknown>; finish_reason?: unknown };
    if (typeof finish_reason === 'string' && finish_reason) return true;
    return OUTPUT_FIELDS.some((field) => nonEmpty(delta?.[field]));
  });
}

export class WireError extends Error {
  constructor(what: string, issue: ValidationIssue | undefined) {
    super(`${what}: ${issue?.path || 'the body'} ${issue?.message ?? 'is not what was expected'}`);
    this.name = 'WireError';
  }
}

/** The value in the shape `schema` describes, or a WireError naming the field that is not. */
export function parseWire<S extends v.GenericSchema>(schema: S, value: unknown, what: string): v.InferOutput<S> {
  const result = validate(schema, value);
  if (!result.ok) throw new WireError(what, result.issues[0]);
  return result.value;
}
