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

export function textOf(message: Pick<ThreadMessage, 'content'>): string {
  return message.content
    .filter(isTextPart)
    .map((part) => part.text.value)
    .join('');
}

export function textContent(value: string): TextContentPart[] {
  return [{ type: 'text', text: { value, annotations: [] } }];
}
