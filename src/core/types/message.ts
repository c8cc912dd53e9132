/** Jan / OpenAI-compatible thread messages, as stored one per line in messages.jsonl. */

export type MessageRole = 'system' | 'user' | 'assistant';

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

export type MessageContent = TextContentPart;

export interface ThreadMessage {
  id: string;
  object: 'thread.message';
  thread_id: string;
  assistant_id?: string;
  role: MessageRole;
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
    .filter((part): part is TextContentPart => part.type === 'text')
    .map((part) => part.text.value)
    .join('');
}

export function textContent(value: string): TextContentPart[] {
  return [{ type: 'text', text: { value, annotations: [] } }];
}
