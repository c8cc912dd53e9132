/**
 * What the chat webview shows, as schemas: the host turns core entities into these views, and
 * both sides validate them on arrival. Types are inferred from the schemas so the two never drift.
 */
import * as v from 'valibot';

/** Message text may be a pasted file; past this the message is refused, not truncated. */
export const MAX_TEXT_LENGTH = 8 * 1024 * 1024;
export const MAX_TITLE_LENGTH = 500;
export const MAX_PAGE_SIZE = 2000;

/** Thread and message ids name folders and lines in `.jan`: no separators, no dot-only names. */
export const IdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'Invalid id.'));

/** True when `id` can travel in the protocol (and name a folder in `.jan`). */
export function isProtocolId(id: string): boolean {
  return v.is(IdSchema, id);
}

/** A stored message's index in its thread: with the id it names one line even when an id repeats. */
export const PositionSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const TextSchema = v.pipe(v.string(), v.maxLength(MAX_TEXT_LENGTH, 'The text is too long (over 8 MB).'));
export const TitleSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'A title cannot be empty.'),
  v.maxLength(MAX_TITLE_LENGTH),
);
/** The name replies go under when their assistant is not known (the core's DEFAULT_ASSISTANT_NAME). */
export const DEFAULT_ASSISTANT_NAME = 'Jan';

const TimeSchema = v.pipe(v.number(), v.finite());
const ShortString = v.pipe(v.string(), v.maxLength(1000));

/**
 * Every error code a user can be shown: the engines' (EngineErrorCode) and the store's
 * (StoreErrorCode). src/vscode/chat/views.ts fails to compile when the core adds a code that is
 * not here; a code from anywhere else travels as `UNKNOWN`.
 */
export const ERROR_CODES = [
  'NO_MODEL',
  'MODEL_NOT_FOUND',
  'INVALID_MODEL_FILE',
  'INSUFFICIENT_MEMORY',
  'WORKER_CRASHED',
  'CONTEXT_TOO_LONG',
  'INVALID_REQUEST',
  'ABORTED',
  'REMOTE_ERROR',
  'READ_ONLY',
  'NOT_A_FOLDER',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_FILE',
  'INVALID_ID',
  'LOCK_TIMEOUT',
  'NOT_ALLOWED',
  'NO_SPACE',
  'IO',
  'UNKNOWN',
] as const;
export const ErrorCodeSchema = v.picklist(ERROR_CODES);
export type ErrorCode = v.InferOutput<typeof ErrorCodeSchema>;

export const ChatErrorSchema = v.object({
  code: ErrorCodeSchema,
  message: v.pipe(v.string(), v.maxLength(10_000)),
});
export type ChatError = v.InferOutput<typeof ChatErrorSchema>;

/** Chips the view draws with their own icon (views.ts draws any other source's chip as `file`). */
export const CONTEXT_KINDS = ['file', 'selection', 'editors', 'problems', 'diff', 'codebase'] as const;

/** A chip: what was attached, its size and why it was cut, if it was. */
export const ContextChipSchema = v.object({
  kind: v.picklist(CONTEXT_KINDS),
  label: ShortString,
  tokens: v.pipe(v.number(), v.integer(), v.minValue(0)),
  note: v.optional(ShortString),
});
export type ContextChip = v.InferOutput<typeof ContextChipSchema>;

/** A chip above the input: its content waits on the host under `id` until the message is sent. */
export const AttachedContextSchema = v.object({ ...ContextChipSchema.entries, id: IdSchema });
export type AttachedContext = v.InferOutput<typeof AttachedContextSchema>;

export function isAttachedContext(value: unknown): value is AttachedContext {
  return v.is(AttachedContextSchema, value);
}

/** How a tool call of an agent step ended (src/core/agent/types.ts `StepOutcome`). */
export const STEP_OUTCOMES = ['ok', 'error', 'denied', 'invalid', 'timeout', 'repeated', 'stopped'] as const;

/** A tool call of an agent step, as the steps view draws it: tool, arguments, a one-line result. */
export const ToolStepViewSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(200)),
  tool: v.pipe(v.string(), v.maxLength(200)),
  /** JSON text, shortened for display. */
  arguments: v.pipe(v.string(), v.maxLength(4000)),
  summary: v.optional(v.pipe(v.string(), v.maxLength(500))),
  outcome: v.optional(v.picklist(STEP_OUTCOMES)),
  effect: v.optional(v.picklist(['read', 'write', 'run'])),
  source: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export type ToolStepView = v.InferOutput<typeof ToolStepViewSchema>;

export const MessageViewSchema = v.object({
  id: IdSchema,
  role: v.picklist(['user', 'assistant', 'system', 'tool']),
  /** Absent for a reply not stored yet. */
  position: v.optional(PositionSchema),
  text: TextSchema,
  /** Parts of the stored message the view does not render (image, tool call, …): named, never dropped. */
  hidden: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(40))), v.maxLength(20))),
  status: v.picklist(['ready', 'pending', 'error', 'stopped']),
  created: TimeSchema,
  model: v.optional(ShortString),
  tokensPerSecond: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  completionTokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Old turns left out of this reply to fit the context window. */
  droppedMessages: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** The reply ended at the token limit, not where the model finished: the view offers Continue. */
  cutAtLimit: v.optional(v.boolean()),
  error: v.optional(ChatErrorSchema),
  /** What was attached to a user message. */
  context: v.optional(v.array(ContextChipSchema)),
  /** The tool calls of an agent step, in order. */
  steps: v.optional(v.pipe(v.array(ToolStepViewSchema), v.maxLength(64))),
});
export type MessageView = v.InferOutput<typeof MessageViewSchema>;

export const ThreadSummarySchema = v.object({
  id: IdSchema,
  title: v.pipe(v.string(), v.maxLength(MAX_TITLE_LENGTH)),
  updated: TimeSchema,
});
export type ThreadSummary = v.InferOutput<typeof ThreadSummarySchema>;

/** The per-thread settings panel; an absent number means "the model's default". */
export const ThreadSettingsSchema = v.object({
  instructions: v.pipe(v.string(), v.maxLength(100_000, 'Instructions are limited to 100,000 characters.')),
  temperature: v.optional(
    v.pipe(v.number(), v.finite(), v.minValue(0, 'Temperature is 0 to 2.'), v.maxValue(2, 'Temperature is 0 to 2.')),
  ),
  maxTokens: v.optional(
    v.pipe(
      v.number(),
      v.integer('Max tokens is a whole number.'),
      v.minValue(1, 'Max tokens is at least 1.'),
      v.maxValue(1_000_000),
    ),
  ),
  contextLength: v.optional(
    v.pipe(
      v.number(),
      v.integer('Context length is a whole number.'),
      v.minValue(256, 'Context length is at least 256.'),
      v.maxValue(10_000_000),
    ),
  ),
});
export type ThreadSettings = v.InferOutput<typeof ThreadSettingsSchema>;

/** Where a model runs (the core's `RunsOn`): this machine, or the host prompts and code go to. */
export const RunsOnSchema = v.variant('kind', [
  v.object({ kind: v.literal('local') }),
  v.object({ kind: v.literal('remote'), host: v.pipe(v.string(), v.minLength(1), v.maxLength(300)) }),
]);
export type RunsOnView = v.InferOutput<typeof RunsOnSchema>;

export const ThreadViewSchema = v.object({
  id: IdSchema,
  title: v.pipe(v.string(), v.maxLength(MAX_TITLE_LENGTH)),
  /** Undefined: the thread follows the user's default chat model. */
  modelId: v.optional(ShortString),
  assistantId: v.optional(ShortString),
  /** Where the thread's own model runs, when its engine is known (shown even when the model is not listed). */
  runsOn: v.optional(RunsOnSchema),
  settings: ThreadSettingsSchema,
});
export type ThreadView = v.InferOutput<typeof ThreadViewSchema>;

export const ModelOptionSchema = v.object({
  id: ShortString,
  name: ShortString,
  engine: ShortString,
  /** Where the model's engine sends prompts (the pickers and the header show it). */
  runsOn: RunsOnSchema,
  /** The extension that registered its engine (absent for Jan's own engines). */
  registeredBy: v.optional(ShortString),
});
export type ModelOption = v.InferOutput<typeof ModelOptionSchema>;

export const AssistantOptionSchema = v.object({
  id: ShortString,
  name: ShortString,
  avatar: v.optional(v.pipe(v.string(), v.maxLength(16))),
  /** Where it is kept: the workspace's `.jan/assistants` or the user's own. */
  scope: v.optional(v.picklist(['workspace', 'user'])),
  /** Why it is listed but cannot be used here (a restricted workspace). */
  blocked: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
  /** A user assistant hidden by a workspace one with the same id. */
  shadowed: v.optional(v.boolean()),
  /** The extension's assistant source that offers it (used, not edited). */
  offeredBy: v.optional(ShortString),
});
export type AssistantOption = v.InferOutput<typeof AssistantOptionSchema>;

/** Everything the view needs to draw itself from nothing (after `ready`). */
/** The model a new user is offered when none is installed (the catalog's pick for this machine). */
export const FirstModelSchema = v.object({
  name: ShortString,
  /** Download size, formatted ("491 MB"). */
  download: ShortString,
  /** RAM it needs to run and the machine's RAM, formatted. */
  memory: ShortString,
  machineMemory: ShortString,
});
export type FirstModel = v.InferOutput<typeof FirstModelSchema>;

export const ChatStateSchema = v.object({
  /** Null: a new chat whose thread is created by its first message. */
  thread: v.nullable(ThreadViewSchema),
  messages: v.array(MessageViewSchema),
  generating: v.boolean(),
  models: v.array(ModelOptionSchema),
  assistants: v.array(AssistantOptionSchema),
  defaultModelId: v.optional(ShortString),
  /** The choices a new chat will be created with. */
  pendingModelId: v.optional(ShortString),
  pendingAssistantId: v.optional(ShortString),
  /** Set when no model is installed: the view offers this download (and an import) first. */
  firstModel: v.optional(FirstModelSchema),
  /** The reply length of a thread that sets none (the `jan.chat.maxTokens` setting). */
  defaultMaxTokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** Jan could not start; the view shows this instead of a chat. */
  startupError: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
});
export type ChatState = v.InferOutput<typeof ChatStateSchema>;
