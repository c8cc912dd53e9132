/**
 * The request bodies of the OpenAI routes, checked with valibot. Objects are loose: OpenAI clients
 * send fields we have no use for (`user`, `metadata`), and those are ignored. Fields that would
 * change the answer in a way we cannot honour are refused by name (`unsupported-fields.ts`).
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { invalidRequest } from './errors';

const finite = v.pipe(v.number(), v.finite());
const nonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
/** llama-server's name for max_tokens: -1 is no limit (until the context is full). */
export const nPredict = v.optional(
  v.nullable(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(-1),
      v.check((value) => value !== 0, 'a positive number of tokens, or -1 for no limit'),
    ),
  ),
);
const stop = v.optional(v.nullable(v.union([v.string(), v.pipe(v.array(v.string()), v.maxLength(4))])));

const textPart = v.looseObject({ type: v.literal('text'), text: v.string() });
const content = v.union([v.string(), v.array(v.looseObject({ type: v.string() }))]);

export const ChatMessageSchema = v.looseObject({
  role: v.picklist(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: v.optional(v.nullable(content)),
});

export const ChatRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1)),
  messages: v.pipe(v.array(ChatMessageSchema), v.minLength(1, 'messages must hold at least one message')),
  stream: v.optional(v.nullable(v.boolean())),
  stream_options: v.optional(v.nullable(v.looseObject({ include_usage: v.optional(v.boolean()) }))),
  temperature: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(2)))),
  top_p: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(1)))),
  max_tokens: v.optional(v.nullable(positiveInt)),
  max_completion_tokens: v.optional(v.nullable(positiveInt)),
  n_predict: nPredict,
  stop,
  seed: v.optional(v.nullable(v.pipe(v.number(), v.integer()))),
  frequency_penalty: v.optional(v.nullable(v.pipe(finite, v.minValue(-2), v.maxValue(2)))),
  presence_penalty: v.optional(v.nullable(v.pipe(finite, v.minValue(-2), v.maxValue(2)))),
  n: v.optional(v.nullable(positiveInt)),
});
export type ChatRequestBody = v.InferOutput<typeof ChatRequestSchema>;

export const CompletionRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1)),
  prompt: v.union([
    v.string(),
    v.pipe(v.array(v.string()), v.length(1, 'prompt as a list must hold exactly one string')),
  ]),
  suffix: v.optional(v.nullable(v.string())),
  stream: v.optional(v.nullable(v.boolean())),
  stream_options: v.optional(v.nullable(v.looseObject({ include_usage: v.optional(v.boolean()) }))),
  temperature: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(2)))),
  top_p: v.optional(v.nullable(v.pipe(finite, v.minValue(0), v.maxValue(1)))),
  max_tokens: v.optional(v.nullable(positiveInt)),
  n_predict: nPredict,
  stop,
  seed: v.optional(v.nullable(v.pipe(v.number(), v.integer()))),
  n: v.optional(v.nullable(positiveInt)),
});
export type CompletionRequestBody = v.InferOutput<typeof CompletionRequestSchema>;

export const EmbeddingRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1)),
  input: v.union([v.string(), v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(2048))]),
  encoding_format: v.optional(v.nullable(v.picklist(['float', 'base64']))),
  dimensions: v.optional(v.nullable(nonNegativeInt)),
});
export type EmbeddingRequestBody = v.InferOutput<typeof EmbeddingRequestSchema>;

/**
 * The longest reply a request asks for: OpenAI's `max_completion_tokens` / `max_tokens`, else
 * llama-server's `n_predict` (-1: none), else `fallback`. Undefined: until the context is full.
 */
export function replyLimit(
  body: { max_tokens?: number | null; max_completion_tokens?: number | null; n_predict?: number | null },
  fallback?: number,
): number | undefined {
  const limit = body.max_completion_tokens ?? body.max_tokens ?? body.n_predict ?? fallback;
  return limit === undefined || limit < 0 ? undefined : limit;
}

/** The body checked by `schema`, or a 400 naming the field and what it must be. */
export function parseBody<S extends v.GenericSchema>(schema: S, body: unknown): v.InferOutput<S> {
  if (body === undefined || body === null || typeof body !== 'object')
    throw invalidRequest('The request body must be a JSON object.');
  const result = validate(schema, body);
  if (result.ok) return result.value;
  const issue = result.issues[0]!;
  const param = issue.path;
  if (issue.missing)
    throw invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  const expected = issue.expected ? `must be ${issue.expected}` : issue.message;
  throw invalidRequest(
    `Invalid value for '${param || 'body'}': ${expected} (got ${issue.received}).`,
    param || null,
    'invalid_value',
  );
}

/** The text of a message's content: a string, or text parts joined; other parts are refused by name. */
export function contentText(value: v.InferOutput<typeof content> | null | undefined, param: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return value
    .map((part, index) => {
      const text = validate(textPart, part);
      if (!text.ok)
        throw invalidRequest(
          `Content parts of type '${part.type}' are not supported; only 'text' is.`,
          `${param}[${index}]`,
          'unsupported_content',
        );
      return text.value.text;
    })
    .join('');
}
