/** Jan / OpenAI-compatible thread messages, as stored one per line in messages.jsonl. */

export type MessageRole = 'system' | 'user' | 'assistant';

/** A stored message may also be a tool's answer (Jan 0.6): kept and shown, never sent as a turn. */
export type StoredMessageRole = MessageRole | 'tool';

/** Jan's MessageStatus: `pending` while streaming, `ready` when complete. */
export type MessageStatus = 'ready' | 'pending' | 'error' | 'stopped';

export interface TextAnnotation {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface TextContentPart {
  type: 'text';
  text: { value: string; annotations: TextAnnotation[] };
}

/**
 * A part this extension does not render (Jan 0.6 `image_url`, `reasoning`, `tool_call`, …): kept
 * as read, shown as "not shown", never sent to a model, and never dropped by an edit.
 */
export interface OtherContentPart {
  type: string;
  [key: string]: unknown;
}

export type MessageContent = TextContentPart | OtherContentPart;

export const isTextPart = (part: MessageContent): part is TextContentPart => part.type === 'text';

export interface ThreadMessage {
  id: string;
  object: 'thread.message';
  thread_id: string;
  assistant_id?: string;
  role: StoredMessageRole;
  content: MessageContent[];
  status: MessageStatus;
  /** Unix milliseconds (Jan 0.4/0.5 wrote ms in `created`/`updated`). */
  created: number;
  updated: number;
  /** Jan 0.6 names, in unix seconds; written alongside the older ones. */
  created_at?: number;
  completed_at?: number;
  metadata?: MessageMetadata;
}

export interface MessageMetadata {
  model?: string;
  engine?: string;
  /** Generation speed of an assistant message. */
  tokens_per_second?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  /** Prompt tokens the engine found in its KV cache and did not evaluate again. */
  cached_prompt_tokens?: number;
  /** Milliseconds from send to first token. */
  time_to_first_token_ms?: number;
  error?: string;
  [key: string]: unknown;
}

/**
 * Context attached to a message (a file, a selection…) is stored as a text part of its own
 * with this annotation, after the typed text: Jan shows the text, and a reloaded thread shows the chips.
 */
export const CONTEXT_ANNOTATION = 'jan_context';

export interface ContextAnnotation extends TextAnnotation {
  type: typeof CONTEXT_ANNOTATION;
  kind: string;
  label: string;
  tokens: number;
  note?: string;
}

export function contextAnnotationOf(part: MessageContent): ContextAnnotation | undefined {
  if (!isTextPart(part)) return undefined;
  const found = part.text.annotations.find(
    (annotation) => typeof annotation === 'object' && annotation !== null && annotation.type === CONTEXT_ANNOTATION,
  );
  if (!found || typeof found.label !== 'string') return undefined;
  const tokens = typeof found.tokens === 'number' && Number.isFinite(found.tokens) ? found.tokens : 0;
  return {
    ...found,
    type: CONTEXT_ANNOTATION,
    kind: typeof found.kind === 'string' ? found.kind : 'file',
    label: found.label,
    tokens,
  };
}

/** What was typed (context parts and parts this extension does not render left out): shown, edited, used for titles. */
export function textOf(message: Pick<ThreadMessage, 'content'>): string {
  return message.content
    .filter((part): part is TextContentPart => isTextPart(part) && !contextAnnotationOf(part))
    .map((part) => part.text.value)
    .join('');
}

/** The context attached to a message, as its chips show it. */
export function contextOf(message: Pick<ThreadMessage, 'content'>): ContextAnnotation[] {
  return message.content
    .map(contextAnnotationOf)
    .filter((annotation): annotation is ContextAnnotation => annotation !== undefined);
}

/** What the model reads: the attached context first, then the typed text. */
export function promptTextOf(message: Pick<ThreadMessage, 'content'>): string {
  const context = message.content
    .filter((part): part is TextContentPart => isTextPart(part) && contextAnnotationOf(part) !== undefined)
    .map((part) => part.text.value);
  const text = textOf(message);
  return context.length ? [...context, text].join('\n\n') : text;
}

/** The parts of a message that carry attached context (kept when the message is edited). */
export function contextParts(message: Pick<ThreadMessage, 'content'>): TextContentPart[] {
  return message.content.filter(
    (part): part is TextContentPart => isTextPart(part) && contextAnnotationOf(part) !== undefined,
  );
}

export function textContent(value: string): TextContentPart[] {
  return [{ type: 'text', text: { value, annotations: [] } }];
}
