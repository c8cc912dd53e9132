/**
 * The run-time types of the public API's arguments (valibot, checked through `validate`): what a
 * caller registers and what it asks. Registrations keep the caller's object (methods and state);
 * the schemas only check that it has the right shape. Bounds are generous but finite.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { isSafeId } from '../store/folder-names';
import { JanApiError } from './errors';

const fn = v.function();
const label = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const finite = v.pipe(v.number(), v.finite());
const tokens = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));
/** Ids the registries, model.json and thread.json can hold, and the pickers show. */
export const REGISTRATION_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const registrationId = v.pipe(v.string(), v.regex(REGISTRATION_ID, 'lower-case letters, digits, . _ - (at most 64)'));

export const RunsOnSchema = v.variant('kind', [
  v.object({ kind: v.literal('local') }),
  v.object({ kind: v.literal('remote'), host: label(255) }),
]);

export const EngineSchema = v.object({
  id: registrationId,
  displayName: label(100),
  runsOn: RunsOnSchema,
  throughServer: v.optional(v.boolean()),
  list: fn,
  load: fn,
  unload: fn,
  chat: fn,
  complete: fn,
  status: fn,
  embed: v.optional(fn),
  countTokens: v.optional(fn),
  countChatTokens: v.optional(fn),
  contextSize: v.optional(fn),
  tokenize: v.optional(fn),
  detokenize: v.optional(fn),
  loadedModels: v.optional(fn),
});

export const ToolDefinitionSchema = v.object({
  name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)')),
  description: v.pipe(v.string(), v.maxLength(4000)),
  parameters: v.record(v.string(), v.unknown()),
});

export const ToolSchema = v.object({
  definition: ToolDefinitionSchema,
  effect: v.picklist(['read', 'write', 'run']),
  source: v.optional(label(100)),
  invoke: fn,
  preview: v.optional(fn),
});

export const ContextSourceSchema = v.object({
  id: registrationId,
  label: label(100),
  description: v.pipe(v.string(), v.maxLength(300)),
  icon: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,60}$/, 'a codicon name (`git-compare`)'))),
  search: v.optional(fn),
  read: fn,
});

export const AssistantSourceSchema = v.object({ id: registrationId, label: label(100), list: fn });

const text = v.pipe(v.string(), v.maxLength(10_000_000));
const ToolCallSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  type: v.literal('function'),
  function: v.object({ name: v.pipe(v.string(), v.maxLength(64)), arguments: text }),
});

export const ChatMessageSchema = v.variant('role', [
  v.object({ role: v.picklist(['system', 'user']), content: text }),
  v.object({
    role: v.literal('assistant'),
    content: text,
    tool_calls: v.optional(v.pipe(v.array(ToolCallSchema), v.maxLength(128))),
  }),
  v.object({ role: v.literal('tool'), content: text, tool_call_id: v.pipe(v.string(), v.minLength(1)) }),
]);

const modelId = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(256));
const stop = v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.maxLength(16)));

export const ChatRequestSchema = v.object({
  model: v.optional(modelId),
  messages: v.pipe(v.array(ChatMessageSchema), v.minLength(1, 'at least one message'), v.maxLength(10_000)),
  max_tokens: v.optional(tokens),
  temperature: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(2))),
  top_p: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(1))),
  stop,
  seed: v.optional(v.pipe(v.number(), v.integer())),
  tools: v.optional(v.pipe(v.array(ToolDefinitionSchema), v.maxLength(128))),
  tool_choice: v.optional(
    v.union([
      v.picklist(['auto', 'none', 'required']),
      v.object({ type: v.literal('function'), function: v.object({ name: v.string() }) }),
    ]),
  ),
  response_format: v.optional(
    v.variant('type', [
      v.object({ type: v.picklist(['text', 'json_object']) }),
      v.object({
        type: v.literal('json_schema'),
        json_schema: v.object({
          name: v.string(),
          description: v.optional(v.string()),
          schema: v.optional(v.record(v.string(), v.unknown())),
          strict: v.optional(v.boolean()),
        }),
      }),
    ]),
  ),
});

export const CompletionRequestSchema = v.object({
  model: v.optional(modelId),
  prefix: text,
  suffix: v.optional(text),
  max_tokens: v.optional(tokens),
  temperature: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(2))),
  stop,
});

export const EmbeddingRequestSchema = v.object({
  model: modelId,
  input: v.pipe(v.array(text), v.minLength(1), v.maxLength(2048)),
});

/** The store's one folder-name rule: an id that could never name a thread is refused at the door. */
export const ThreadIdSchema = v.pipe(v.string(), v.check(isSafeId, 'a thread id (letters, digits, _ - .)'));

export const NewThreadSchema = v.optional(
  v.object({
    title: v.optional(label(200)),
    assistantId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100))),
    model: v.optional(modelId),
  }),
  {},
);

export const NewMessageSchema = v.object({
  role: v.picklist(['user', 'assistant']),
  text: v.pipe(
    text,
    v.check((value) => value.trim().length > 0, 'the text is empty'),
  ),
});

export const MessageTextSchema = v.pipe(
  text,
  v.check((value) => value.trim().length > 0, 'the message is empty'),
);

/** The argument checked by `schema`, or a JanApiError naming the call and the field. */
export function argument<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> {
  const checked = validate(schema, input, { what });
  if (!checked.ok) throw new JanApiError('INVALID_ARGUMENT', checked.error);
  return checked.value;
}
