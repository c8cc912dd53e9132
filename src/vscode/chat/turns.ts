import { errorMessage, type ContextItem, type Logger, type Thread, type TurnResult } from '@jan/core';
import type { ChatMode, HostMessage } from '@jan/protocol';
import type { AgentRelay } from './agent/agent-relay';
import type { ContextAttachments } from './attachments';
import type { ChatServices } from './chat-backend';
import type { ChatStateReader } from './chat-state';
import type { ReplyRelay } from './reply-relay';
import type { ThreadList } from './thread-list';
import { toChatError } from './views';
import type { WebviewChannel } from './webview-channel';

export interface ChatTurnsDeps {
  chat: Promise<ChatServices & { reader: ChatStateReader }>;
  channel: WebviewChannel<HostMessage>;
  replies: ReplyRelay;
  attachments: ContextAttachments;
  threads: ThreadList;
  agent: AgentRelay;
  /** Sends the whole state; `created`: the open thread was just made for the message being sent. */
  sendState: (created: boolean) => Promise<void>;
  logger: Logger;
}

/**
 * The chat's turns as the view sees them: a message sent (in a new thread when the chat is
 * empty), a reply regenerated or an edit resent, each ending with the turn's messages and meter
 * (`TurnResult`, so the thread is not read again) or, when it did not run, its text given back.
 */
export class ChatTurns {
  constructor(private readonly deps: ChatTurnsDeps) {}

  /** Sends `text` with its attachments in the thread, or in a new one made for it (a failure gives the text back). */
  async send(threadId: string | null, text: string, contextIds: string[] = [], mode: ChatMode = 'chat'): Promise<void> {
    const { channel, attachments } = this.deps;
    const { session, conversation } = await this.deps.chat;
    const refused = mode === 'agent' ? this.deps.agent.unavailable : undefined;
    if (refused)
      return channel.send({ type: 'notice', threadId, error: { code: 'NOT_ALLOWED', message: refused }, draft: text });
    let context: ContextItem[] | undefined;
    try {
      context = await attachments.items(contextIds, text);
    } catch (error) {
      return channel.send({ type: 'notice', threadId, error: toChatError(error), draft: text });
    }
    if (!context) {
      const message = 'An attachment is no longer available (the editor was restarted). Remove it and attach it again.';
      return channel.send({ type: 'notice', threadId, error: { code: 'NOT_FOUND', message }, draft: text });
    }
    let thread: Thread | undefined;
    try {
      thread = threadId ? undefined : await session.createThread();
    } catch (error) {
      return channel.send({ type: 'notice', threadId: null, error: toChatError(error), draft: text });
    }
    if (thread) {
      this.deps.threads.changed(thread);
      await this.deps.sendState(true);
    }
    const id = thread?.id ?? threadId!;
    const options = mode === 'agent' ? { agent: this.deps.agent.options(id) } : {};
    await this.run(id, () => conversation.send(id, text, context, options), text);
    attachments.sent(contextIds);
  }

  /**
   * Runs one turn: a failure is shown in place (with the unsent text given back). The view then
   * gets the turn's messages and meter, or (a turn that did not run) reads them again.
   * `generating` reaches the view from the service.
   */
  async run(threadId: string, turn: () => Promise<TurnResult>, draft?: string): Promise<void> {
    const { channel } = this.deps;
    channel.send({ type: 'notice', threadId, error: null });
    let result: TurnResult | undefined;
    try {
      result = await turn();
    } catch (error) {
      const notice = { type: 'notice', threadId, error: toChatError(error) } as const;
      channel.send(draft === undefined ? notice : { ...notice, draft });
    } finally {
      this.deps.agent.settle(threadId);
      this.deps.replies.flush();
      await this.resync(threadId, result);
    }
  }

  /** The open thread's messages and meter to the view: from a turn, else read now. */
  async resync(threadId: string, turn?: TurnResult): Promise<void> {
    const { session, reader } = await this.deps.chat;
    if (threadId !== session.activeThreadId) return;
    const messages = turn ? await reader.views(threadId, turn.messages) : await reader.messages(threadId);
    if (threadId !== session.activeThreadId) return;
    this.deps.channel.send({ type: 'messages', threadId, messages });
    await this.sendUsage(threadId, turn);
  }

  /** The context meter's numbers for the thread (or the new chat). */
  async sendUsage(threadId: string | null, turn?: TurnResult): Promise<void> {
    try {
      this.deps.channel.send(await (await this.deps.chat).reader.usage(threadId, turn?.usage));
    } catch (error) {
      this.deps.logger.warn(`Chat view: the context use could not be measured: ${errorMessage(error)}`);
    }
  }
}
