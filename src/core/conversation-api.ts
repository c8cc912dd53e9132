import type { ContextItem } from './context';
import type { ThreadMessage } from './types';

/** The meter's numbers: tokens the next request takes before anything new, of `limit`; `reserve` is kept for the reply. */
export interface ContextUsage {
  used: number;
  limit: number;
  reserve: number;
  /** The context the model was trained on, when its model.json says (the thread settings show "4,096 of 131,072"). */
  trained?: number;
}

/** What a turn ends with, so a caller shows it without reading the thread again. */
export interface TurnResult {
  /** The assistant's reply as it ended: stored, or (a failure before any text) only shown. */
  reply: ThreadMessage;
  /** The thread's stored messages after the turn, the reply included when it was stored. */
  messages: ThreadMessage[];
  /** The meter's numbers for the next turn; undefined when they could not be measured. */
  usage?: ContextUsage;
}

/**
 * What the UI asks of a conversation. The implementation (conversation.ts) streams from the
 * engine and reports progress on the event bus: `OnMessageSent` for the user message,
 * `OnMessageUpdate` for every change of the in-flight assistant message (status `pending`,
 * text growing; then `ready`, `stopped` or `error`), `OnThreadUpdated` when the thread changes
 * (auto-title, `updated`). The final assistant message is written to the store once.
 */
export interface ConversationApi {
  /** Appends the user message and streams the reply; resolves with the reply, the thread's messages and its usage. */
  send(threadId: string, text: string, context?: ContextItem[]): Promise<TurnResult>;
  /** Aborts the reply in flight in this thread; its partial text is kept with status `stopped`. */
  stop(threadId: string): void;
  /** Drops the last assistant reply (or the one given and all after it) and asks again. */
  regenerate(threadId: string, assistantMessageId?: string): Promise<TurnResult>;
  /** Writes on the last reply where the token limit cut it (`metadata.finish_reason: 'length'`), in the same message. */
  continueReply(threadId: string, assistantMessageId: string): Promise<TurnResult>;
  /** Replaces a user message's text, drops everything after it, and asks again. */
  editAndResend(threadId: string, userMessageId: string, text: string): Promise<TurnResult>;
  isGenerating(threadId: string): boolean;
}

/** Emitted in a reply's metadata when old turns were left out to fit the context window. */
export interface ContextTrimNotice {
  dropped_messages: number;
}
