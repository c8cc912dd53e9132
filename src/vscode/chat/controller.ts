import { ChatSession, errorMessage } from '@jan/core';
import type { Disposable, Thread, ThreadMessage } from '@jan/core';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '@jan/protocol';
import type { ChatCore, ChatHostPort, ChatServices } from './chat-backend';
import { ChatStateReader } from './chat-state';
import { isEditorAction, runEditorAction } from './editor-actions';
import { ReplyRelay } from './reply-relay';
import type { FlushScheduler } from './stream-coalescer';
import { settingsChanges } from './thread-edits';
import { ThreadList } from './thread-list';
import { toChatError } from './views';
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
  private stateSerial = 0;

  constructor(
    services: Promise<ChatServices>,
    private readonly core: ChatCore,
    private readonly port: ChatHostPort,
    options: ChatControllerOptions = {},
  ) {
    this.chat = services.then((ready) => {
      const session = new ChatSession({ ...ready, logger: core.logger, activeThread: port.activeThread, undoDeleteMs: options.undoDeleteMs });
      this.session = session;
      return { services: ready, session, reader: new ChatStateReader(ready, session, core) };
    });
    // A failed start is reported in the view; it must not surface as an unhandled rejection.
    this.chat.catch(() => undefined);
    this.threads = new ThreadList(this.channel, core.logger);
    this.replies = new ReplyRelay(core.events, this.channel, () => this.session?.activeThreadId, options.flushScheduler);
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
        return this.sendMessage(message.threadId, message.text);
      case 'stop':
        return conversation.stop(message.threadId);
      case 'regenerate':
        return this.generate(message.threadId, () => conversation.regenerate(message.threadId, message.messageId));
      case 'editAndResend':
        return this.generate(message.threadId, () => conversation.editAndResend(message.threadId, message.messageId, message.text));
      case 'deleteMessage':
        await conversation.deleteMessage(message.threadId, message.messageId);
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
        if (!thread) return this.channel.send({ type: 'error', message: 'Too late to undo: the thread was already deleted.' });
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
        return void (await conversational.updateThread(message.threadId, (current) => settingsChanges(current, message.settings)));
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

  focusInput(): void {
    this.channel.deliver({ type: 'focusInput' });
  }

  /** Starts a new thread with this message (commands on a selection that answer in the chat). */
  async askInChat(text: string): Promise<void> {
    await this.sendMessage(null, text);
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
    if (serial === this.stateSerial) this.channel.send({ type: 'state', state });
  }

  /** Sends `text` in the thread, or in a new one made for it (a failure gives the text back). */
  private async sendMessage(threadId: string | null, text: string): Promise<void> {
    const { services, session } = await this.chat;
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
    await this.generate(id, () => services.conversation.send(id, text), text);
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
      this.channel.send({ type: 'notice', threadId, error: toChatError(error), ...(draft !== undefined ? { draft } : {}) });
    } finally {
      this.replies.flush();
      await this.resync(threadId);
    }
  }

  private async resync(threadId: string): Promise<void> {
    if (threadId !== this.session?.activeThreadId) return;
    const messages = await (await this.chat).reader.messages(threadId);
    if (threadId === this.session?.activeThreadId) this.channel.send({ type: 'messages', threadId, messages });
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
