import type { ContextItem } from './context';
import type { ThreadMessage } from './types';

/**
 * What the UI asks of a conversation. The implementation (conversation.ts) streams from the
 * engine and reports progress on the event bus: `OnMessageSent` for the user message,
 * `OnMessageUpdate` for every change of the in-flight assistant message (status `pending`,
 * text growing; then `ready`, `stopped` or `error`), `OnThreadUpdated` when the thread changes
 * (auto-title, `updated`). The final assistant message is written to the store once.
 */
export interface ConversationApi {
  /** Appends the user message and streams the reply. Resolves with the final assistant message. */
  send(threadId: string, text: string, context?: ContextItem[]): Promise<ThreadMessage>;
  /** Aborts the reply in flight in this thread; its partial text is kept with status `stopped`. */
  stop(threadId: string): void;
  /** Drops the last assistant reply (or the one given and all after it) and asks again. */
  regenerate(threadId: string, assistantMessageId?: string): Promise<ThreadMessage>;
  /** Writes on the last reply where the token limit cut it (`metadata.finish_reason: 'length'`), in the same message. */
  continueReply(threadId: string, assistantMessageId: string): Promise<ThreadMessage>;
  /** Replaces a user message's text, drops everything after it, and asks again. */
  editAndResend(threadId: string, userMessageId: string, text: string): Promise<ThreadMessage>;
  isGenerating(threadId: string): boolean;
}

/** Emitted in a reply's metadata when old turns were left out to fit the context window. */
export interface ContextTrimNotice {
  dropped_messages: number;
}
