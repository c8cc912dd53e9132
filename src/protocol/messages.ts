/**
 * The two directions of the chat view's message channel. The webview says `ready` first; the
 * host answers with `state` (the handshake avoids losing messages posted before the page listens).
 */
import * as v from 'valibot';
import { validate, type Validated } from '@jan/validation';
import {
  AssistantOptionSchema,
  AttachedContextSchema,
  ChatErrorSchema,
  ChatStateSchema,
  IdSchema,
  MAX_PAGE_SIZE,
  MessageViewSchema,
  ModelOptionSchema,
  PositionSchema,
  TextSchema,
  ThreadSettingsSchema,
  ThreadSummarySchema,
  type ThreadSettings,
  ThreadViewSchema,
  TitleSchema,
} from './entities';
import { AgentTurnViewSchema, ApprovalDecisionSchema, CallIdSchema, ChatModeSchema } from './agent';

const QuerySchema = v.pipe(v.string(), v.maxLength(500));
const ContextOfferSchema = v.object({
  source: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  item: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  label: v.pipe(v.string(), v.maxLength(300)),
  detail: v.pipe(v.string(), v.maxLength(300)),
  icon: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,60}$/)),
});
export type ContextOffer = v.InferOutput<typeof ContextOfferSchema>;
const ModelIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(1000));
const LinkSchema = v.pipe(v.string(), v.maxLength(8192));

/** Commands the webview may ask the host to run; anything else is refused. */
export const HostActionSchema = v.picklist(['downloadModel', 'importModel', 'showLog']);
export type HostAction = v.InferOutput<typeof HostActionSchema>;

/** What the assistant picker can ask for; each runs the command of the same name (src/vscode/assistants/). */
export const AssistantActionSchema = v.picklist(['new', 'edit', 'duplicate', 'delete', 'openJson', 'setDefault']);
export type AssistantAction = v.InferOutput<typeof AssistantActionSchema>;
export const AssistantRefSchema = v.object({ id: ModelIdSchema, scope: v.picklist(['workspace', 'user']) });
export type AssistantRefView = v.InferOutput<typeof AssistantRefSchema>;

/** Where an `@` attachment comes from; the host reads it (files on disk, the editor's state, git). */
export const ContextSourceSchema = v.variant('kind', [
  v.object({ kind: v.literal('file'), path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)) }),
  /** A file dropped from the explorer: its URI, turned into a workspace path by the host. */
  v.object({ kind: v.literal('uri'), uri: v.pipe(v.string(), v.minLength(1), v.maxLength(8192)) }),
  /** Code of the workspace matching the message it is sent with (searched when it is sent). */
  v.object({ kind: v.literal('codebase') }),
  /**
   * A registered `@` source (registerContextSource: the editor's selection, open editors, problems
   * and git diff, and other extensions'), or one of its offers (`item`).
   */
  v.object({
    kind: v.literal('registered'),
    source: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    item: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  }),
]);
export type ContextSource = v.InferOutput<typeof ContextSourceSchema>;

export const WebviewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({
    type: v.literal('send'),
    threadId: v.nullable(IdSchema),
    text: v.pipe(
      TextSchema,
      v.check((text) => text.trim().length > 0, 'The message is empty.'),
    ),
    /** Ids of the attached chips (their content is on the host). */
    context: v.optional(v.pipe(v.array(IdSchema), v.maxLength(50, 'At most 50 attachments.'))),
    /** `agent`: the model may call tools (absent: a chat reply). */
    mode: v.optional(ChatModeSchema),
  }),
  /** The user's answer to the agent call waiting for approval (`reason`: a deny's words, sent to the model). */
  v.object({
    type: v.literal('approve'),
    threadId: IdSchema,
    callId: CallIdSchema,
    decision: ApprovalDecisionSchema,
    reason: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  }),
  /** Opens VS Code's diff editor on a file the call waiting for approval would change. */
  v.object({
    type: v.literal('openApprovalDiff'),
    threadId: IdSchema,
    callId: CallIdSchema,
    path: v.pipe(v.string(), v.maxLength(4096)),
  }),
  /** Puts back the files an agent turn changed (its checkpoint). */
  v.object({ type: v.literal('revertCheckpoint'), threadId: IdSchema, turnId: IdSchema }),
  v.object({ type: v.literal('contextSearch'), query: QuerySchema }),
  v.object({ type: v.literal('attachContext'), source: ContextSourceSchema }),
  v.object({ type: v.literal('detachContext'), id: IdSchema }),
  v.object({ type: v.literal('stop'), threadId: IdSchema }),
  v.object({
    type: v.literal('regenerate'),
    threadId: IdSchema,
    messageId: v.optional(IdSchema),
    position: v.optional(PositionSchema),
  }),
  /** Writes on a reply the token limit cut (`MessageView.cutAtLimit`), in the same message. */
  v.object({
    type: v.literal('continue'),
    threadId: IdSchema,
    messageId: IdSchema,
    position: v.optional(PositionSchema),
  }),
  v.object({
    type: v.literal('editAndResend'),
    threadId: IdSchema,
    messageId: IdSchema,
    position: v.optional(PositionSchema),
    text: v.pipe(
      TextSchema,
      v.check((text) => text.trim().length > 0, 'The message is empty.'),
    ),
  }),
  v.object({
    type: v.literal('deleteMessage'),
    threadId: IdSchema,
    messageId: IdSchema,
    position: v.optional(PositionSchema),
  }),
  v.object({ type: v.literal('newThread') }),
  v.object({ type: v.literal('selectThread'), threadId: IdSchema }),
  v.object({
    type: v.literal('listThreads'),
    query: QuerySchema,
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE_SIZE)),
  }),
  v.object({ type: v.literal('renameThread'), threadId: IdSchema, title: TitleSchema }),
  v.object({ type: v.literal('deleteThread'), threadId: IdSchema }),
  v.object({ type: v.literal('undoDeleteThread'), threadId: IdSchema }),
  v.object({ type: v.literal('selectModel'), threadId: v.nullable(IdSchema), modelId: v.nullable(ModelIdSchema) }),
  v.object({ type: v.literal('selectAssistant'), threadId: v.nullable(IdSchema), assistantId: ModelIdSchema }),
  v.object({ type: v.literal('updateSettings'), threadId: IdSchema, settings: ThreadSettingsSchema }),
  v.object({ type: v.literal('copy'), text: TextSchema }),
  v.object({ type: v.literal('insertCode'), code: TextSchema }),
  v.object({
    type: v.literal('applyCode'),
    code: TextSchema,
    language: v.optional(v.pipe(v.string(), v.maxLength(100))),
  }),
  v.object({ type: v.literal('openLink'), href: LinkSchema }),
  v.object({ type: v.literal('runAction'), action: HostActionSchema }),
  v.object({
    type: v.literal('assistantAction'),
    action: AssistantActionSchema,
    assistant: v.optional(AssistantRefSchema),
  }),
]);
export type WebviewMessage = v.InferOutput<typeof WebviewMessageSchema>;

export const HostMessageSchema = v.variant('type', [
  v.object({ type: v.literal('state'), state: ChatStateSchema }),
  v.object({
    type: v.literal('threads'),
    query: QuerySchema,
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    total: v.pipe(v.number(), v.integer(), v.minValue(0)),
    items: v.array(ThreadSummarySchema),
  }),
  v.object({ type: v.literal('threadChanged'), thread: ThreadSummarySchema }),
  v.object({ type: v.literal('threadRemoved'), id: IdSchema, title: v.string(), undoable: v.boolean() }),
  v.object({ type: v.literal('thread'), thread: ThreadViewSchema }),
  v.object({ type: v.literal('message'), threadId: IdSchema, message: MessageViewSchema }),
  v.object({ type: v.literal('messages'), threadId: IdSchema, messages: v.array(MessageViewSchema) }),
  v.object({ type: v.literal('generating'), threadId: IdSchema, generating: v.boolean() }),
  /** The open thread's agent turn as it runs (steps, approval, checkpoint); null: none to show. */
  v.object({ type: v.literal('agentTurn'), threadId: IdSchema, turn: v.nullable(AgentTurnViewSchema) }),
  v.object({
    type: v.literal('notice'),
    threadId: v.nullable(IdSchema),
    error: v.nullable(ChatErrorSchema),
    /** The text of a message that could not be sent, given back so nothing is lost. */
    draft: v.optional(TextSchema),
  }),
  v.object({ type: v.literal('models'), models: v.array(ModelOptionSchema), defaultModelId: v.optional(v.string()) }),
  v.object({ type: v.literal('assistants'), assistants: v.array(AssistantOptionSchema) }),
  /** A failure that belongs to no reply (a rename, a save, a link that was refused). */
  v.object({ type: v.literal('error'), message: v.pipe(v.string(), v.maxLength(10_000)) }),
  v.object({ type: v.literal('insertText'), text: TextSchema }),
  v.object({ type: v.literal('focusInput') }),
  /** Workspace files matching an `@` query, best first. */
  v.object({
    type: v.literal('contextResults'),
    query: QuerySchema,
    files: v.array(v.pipe(v.string(), v.maxLength(4096))),
    /** What the registered `@` sources offer for the query (src/core/context/sources.ts). */
    offers: v.array(ContextOfferSchema),
  }),
  v.object({ type: v.literal('contextAttached'), item: AttachedContextSchema }),
  /**
   * Tokens the next request takes before anything typed or attached (instructions, always-in-context
   * files, history) out of the model's context, with `reserve` kept for the reply.
   */
  v.object({
    type: v.literal('contextUsage'),
    threadId: v.nullable(IdSchema),
    used: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1)),
    reserve: v.pipe(v.number(), v.integer(), v.minValue(0)),
    /** The context the model was trained on, when known: the thread settings say "4,096 of 131,072 tokens". */
    trained: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
]);
export type HostMessage = v.InferOutput<typeof HostMessageSchema>;

function messageType(input: unknown): string {
  return typeof input === 'object' && input !== null && 'type' in input
    ? String((input as { type: unknown }).type).slice(0, 40)
    : '?';
}

/** Validates what the webview sent; the host acts only on a message that passes. */
export function parseWebviewMessage(input: unknown): Validated<WebviewMessage> {
  return validate(WebviewMessageSchema, input, { what: `Invalid "${messageType(input)}" message` });
}

/** Validates what the host sent; the webview drops a message that fails. */
export function parseHostMessage(input: unknown): Validated<HostMessage> {
  return validate(HostMessageSchema, input, { what: `Invalid "${messageType(input)}" message` });
}

/** Validates settings typed into the per-thread settings panel (each issue's message is written for the user). */
export function parseThreadSettings(input: unknown): Validated<ThreadSettings> {
  return validate(ThreadSettingsSchema, input);
}
