import { ChatSession, errorMessage, newId } from '@jan/core';
import type { ContextItem, Disposable, Thread, ThreadMessage } from '@jan/core';
import { parseWebviewMessage, type ContextSource, type HostMessage, type WebviewMessage } from '@jan/protocol';
import type { ChatCore, ChatHostPort, ChatServices } from './chat-backend';
import { ChatStateReader } from './chat-state';
import { isEditorAction, runEditorAction } from './editor-actions';
import { ReplyRelay } from './reply-relay';
import type { FlushScheduler } from './stream-coalescer';
import { settingsChanges } from './thread-edits';
import { ThreadList } from './thread-list';
import { toAttachedContext, toChatError } from './views';
import { WebviewChannel } from './webview-channel';

type Chat = { services: ChatServices; session: ChatSession; reader: ChatStateReader };

export interface ChatControllerOptions {
  undoDeleteMs?: number;
  /** When streamed updates are sent on (tests flush by hand). */
  flushScheduler?: FlushScheduler;
}

/**
 * The chat view's host side, free of `vscode`: maps each message of the webview to the services
 * (conversation, chat session, store, editor port) and relays the core's events to the view.
 * One controller outlives the pages it serves (see WebviewChannel).
 */
export class ChatController {
  private readonly channel = new WebviewChannel<HostMessage>();
  private readonly chat: Promise<Chat>;
  private readonly replies: ReplyRelay;
  private readonly threads: ThreadList;
  private readonly subscriptions: Disposable[];
  private session: ChatSession | undefined;
  private reader: ChatStateReader | undefined;
  private stateSerial = 0;
  /** `@` attachments read on the host, waiting for the message they are sent with (by chip id). */
  private readonly attached = new Map<string, ContextItem>();

  constructor(
    services: Promise<ChatServices>,
    private readonly core: ChatCore,
    private readonly port: ChatHostPort,
    options: ChatControllerOptions = {},
  ) {
    this.chat = services.then((ready) => {
      const session = new ChatSession({
        ...ready,
        logger: core.logger,
        activeThread: port.activeThread,
        undoDeleteMs: options.undoDeleteMs,
      });
      this.session = session;
      this.reader = new ChatStateReader(ready, session, core);
      return { services: ready, session, reader: this.reader };
    });
    // A failed start is reported in the view; it must not surface as an unhandled rejection.
    this.chat.catch(() => undefined);
    this.threads = new ThreadList(this.channel, core.logger);
    this.replies = new ReplyRelay(
      core.events,
      this.channel,
      () => this.session?.activeThreadId,
      (modelId) => this.reader?.nameOf(modelId) ?? modelId,
      options.flushScheduler,
    );
    this.subscriptions = [
      core.events.on('OnThreadUpdated', (thread) => this.onThreadUpdated(thread)),
      core.events.on('OnThreadDeleted', ({ id }) => this.onThreadDeleted(id)),
      core.events.on('OnModelsChanged', () => this.sendModels()),
      core.events.on('OnAssistantsChanged', () => void this.sendAssistants()),
    ];
  }

  /** Connects a page; returns the function that disconnects it. */
  attach(post: (message: HostMessage) => void): () => void {
    return this.channel.attach(post);
  }

  /** A message from the page: validated, then acted on; a failure is shown, never thrown. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.core.logger.warn(`Chat view: ${parsed.error}`);
      this.channel.send({ type: 'error', message: parsed.error });
      return;
    }
    try {
      await this.dispatch(parsed.message);
    } catch (error) {
      this.core.logger.warn(`Chat view: "${parsed.message.type}" failed: ${errorMessage(error)}`);
      this.channel.send({ type: 'error', message: errorMessage(error) });
    }
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') {
      this.channel.markReady();
      (await this.chat.catch(() => undefined))?.services.inference.refreshModels();
      await this.sendState();
      this.channel.flush();
      return;
    }
    if (isEditorAction(message)) return runEditorAction(this.port, message);
    const { services, session } = await this.chat;
    const { conversation, conversational } = services;
    switch (message.type) {
      case 'send':
        return this.sendMessage(message.threadId, message.text, message.context ?? []);
      case 'contextSearch':
        return this.channel.send({
          type: 'contextResults',
          query: message.query,
          files: await this.port.context.searchFiles(message.query),
        });
      case 'attachContext':
        return this.attachContext(message.source);
      case 'detachContext':
        return void this.attached.delete(message.id);
      case 'stop':
        return conversation.stop(message.threadId);
      case 'regenerate':
        return this.generate(message.threadId, () =>
          conversation.regenerate(message.threadId, message.messageId, message.position),
        );
      case 'continue':
        return this.generate(message.threadId, () =>
          conversation.continueReply(message.threadId, message.messageId, message.position),
        );
      case 'editAndResend':
        return this.generate(message.threadId, () =>
          conversation.editAndResend(message.threadId, message.messageId, message.text, message.position),
        );
      case 'deleteMessage':
        await conversation.deleteMessage(message.threadId, message.messageId, message.position);
        return this.resync(message.threadId);
      case 'newThread':
        return this.newThread();
      case 'selectThread':
        if (await session.open(message.threadId)) return this.sendState();
        this.threads.removed(message.threadId);
        return this.channel.send({ type: 'error', message: 'That thread no longer exists.' });
      case 'listThreads':
        return this.threads.page(conversational, message.query, message.offset, message.limit);
      case 'renameThread':
        return void (await conversational.updateThread(message.threadId, { title: message.title }));
      case 'deleteThread':
        return this.deleteThread(message.threadId);
      case 'undoDeleteThread': {
        const thread = session.undoDelete(message.threadId);
        if (!thread)
          return this.channel.send({ type: 'error', message: 'Too late to undo: the thread was already deleted.' });
        return this.threads.restored(thread);
      }
      case 'selectModel':
        await session.chooseModel(message.threadId, message.modelId);
        if (!message.threadId) await this.sendState();
        return;
      case 'selectAssistant':
        await session.chooseAssistant(message.threadId, message.assistantId);
        if (!message.threadId) await this.sendState();
        return;
      case 'updateSettings':
        return void (await conversational.updateThread(message.threadId, (current) =>
          settingsChanges(current, message.settings),
        ));
    }
  }

  // ── Commands (from the editor) ──

  /** Shows an empty chat; its thread is created by the first message. */
  async newThread(): Promise<void> {
    await (await this.chat).session.startNew();
    await this.sendState();
  }

  async stopActive(): Promise<void> {
    (await this.chat).session.stopActive();
  }

  addToInput(text: string): void {
    this.channel.deliver({ type: 'insertText', text });
  }

  /** Shows the chat with its input focused (the page leaves the thread list). */
  focusInput(): void {
    this.channel.deliver({ type: 'focusInput' });
  }

  /** True once a page is showing the chat's state; false when none came within `timeoutMs`. */
  whenViewReady(timeoutMs: number): Promise<boolean> {
    return this.channel.whenReady(timeoutMs);
  }

  /** Starts a new thread with this message (commands on a selection that answer in the chat). */
  async askInChat(text: string): Promise<void> {
    this.focusInput();
    await this.sendMessage(null, text);
  }

  /** A setting the view shows changed (the default reply length): the page gets the state again. */
  async refresh(): Promise<void> {
    await this.sendState();
  }

  /** The model list or the default chat model changed. */
  async sendModels(): Promise<void> {
    const { services, reader } = await this.chat;
    const defaultModelId = services.inference.chosenId('chat');
    this.channel.send({ type: 'models', models: await reader.models(), ...(defaultModelId ? { defaultModelId } : {}) });
  }

  /** Every scope's assistants, marked; the payload of OnAssistantsChanged has only the usable ones. */
  private async sendAssistants(): Promise<void> {
    try {
      this.channel.send({ type: 'assistants', assistants: await (await this.chat).reader.assistants() });
    } catch (error) {
      this.core.logger.warn(`Chat view: the assistants could not be listed: ${errorMessage(error)}`);
    }
  }

  /** Carries out the deletions still in their undo window and stops listening. */
  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.replies.dispose();
    await this.session?.dispose();
    this.channel.detachAll();
  }

  // ── Conversation ─────────────────────────────────────────────────────────────────────────

  private async sendState(): Promise<void> {
    const serial = ++this.stateSerial;
    const state = await this.chat.then(({ reader }) => reader.state(), ChatStateReader.failedStart);
    // A later request (a quick second click) already answered: this one is stale.
    if (serial !== this.stateSerial) return;
    this.channel.send({ type: 'state', state });
    if (!state.startupError) await this.sendUsage(state.thread?.id ?? null);
  }

  /** The context meter's numbers for the thread (or the new chat). */
  private async sendUsage(threadId: string | null): Promise<void> {
    try {
      const { services, session } = await this.chat;
      const usage = await services.conversation.contextUsage(threadId, session.pending.assistantId);
      const limit = Math.max(1, Math.round(usage.limit));
      this.channel.send({
        type: 'contextUsage',
        threadId,
        used: Math.round(usage.used),
        limit,
        reserve: Math.round(usage.reserve),
      });
    } catch (error) {
      this.core.logger.warn(`Chat view: the context use could not be measured: ${errorMessage(error)}`);
    }
  }

  /** Reads an `@` attachment on the host and gives the view its chip. */
  private async attachContext(source: ContextSource): Promise<void> {
    const item = await this.port.context.read(source);
    if (!item.text) throw new Error(`${item.label}: ${item.note ?? 'nothing to attach'}.`);
    const id = newId(Date.now());
    // Chips removed in a view that then went away are never detached: the oldest go first.
    if (this.attached.size >= 200) this.attached.delete(this.attached.keys().next().value!);
    this.attached.set(id, item);
    this.channel.send({ type: 'contextAttached', item: toAttachedContext(id, item) });
  }

  /** Sends `text` with its attachments in the thread, or in a new one made for it (a failure gives the text back). */
  private async sendMessage(threadId: string | null, text: string, contextIds: string[] = []): Promise<void> {
    const { services, session } = await this.chat;
    const context = contextIds.map((id) => this.attached.get(id));
    if (context.some((item) => item === undefined)) {
      const error = {
        code: 'NOT_FOUND' as const,
        message: 'An attachment is no longer available (the editor was restarted). Remove it and attach it again.',
      };
      return this.channel.send({ type: 'notice', threadId, error, draft: text });
    }
    let thread: Thread | undefined;
    try {
      thread = threadId ? undefined : await session.createThread();
    } catch (error) {
      return this.channel.send({ type: 'notice', threadId: null, error: toChatError(error), draft: text });
    }
    if (thread) {
      this.threads.changed(thread);
      await this.sendState();
    }
    const id = thread?.id ?? threadId!;
    await this.generate(id, () => services.conversation.send(id, text, context as ContextItem[]), text);
    for (const contextId of contextIds) this.attached.delete(contextId);
  }

  /**
   * Runs one generation: a failure is shown in place (with the unsent text given back), and the
   * thread's messages are read again at the end. `generating` reaches the view from the service.
   */
  private async generate(threadId: string, run: () => Promise<ThreadMessage>, draft?: string): Promise<void> {
    this.channel.send({ type: 'notice', threadId, error: null });
    try {
      await run();
    } catch (error) {
      this.channel.send({
        type: 'notice',
        threadId,
        error: toChatError(error),
        ...(draft !== undefined ? { draft } : {}),
      });
    } finally {
      this.replies.flush();
      await this.resync(threadId);
    }
  }

  private async resync(threadId: string): Promise<void> {
    if (threadId !== this.session?.activeThreadId) return;
    const messages = await (await this.chat).reader.messages(threadId);
    if (threadId !== this.session?.activeThreadId) return;
    this.channel.send({ type: 'messages', threadId, messages });
    await this.sendUsage(threadId);
  }

  /** Hides the thread at once; the session deletes its folder when the undo window closes. */
  private async deleteThread(threadId: string): Promise<void> {
    const { session } = await this.chat;
    const wasActive = session.activeThreadId === threadId;
    const thread = await session.delete(threadId, (failed, error) => {
      this.channel.send({ type: 'error', message: `Could not delete “${failed.title}”: ${errorMessage(error)}` });
      this.threads.restored(failed);
    });
    this.threads.removed(threadId, thread);
    if (wasActive) await this.sendState();
  }

  // ── Core events ──────────────────────────────────────────────────────────────────────────

  private async onThreadUpdated(thread: Thread): Promise<void> {
    if (this.threads.changed(thread) && thread.id === this.session?.activeThreadId) {
      this.channel.send({ type: 'thread', thread: await (await this.chat).reader.threadView(thread) });
    }
  }

  private onThreadDeleted(threadId: string): void {
    this.threads.removed(threadId);
    if (threadId === this.session?.activeThreadId) void this.newThread();
  }
}
