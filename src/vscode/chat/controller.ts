import { ChatSession, errorMessage } from '@jan/core';
import type { Disposable, Thread, ThreadMessage } from '@jan/core';
import { allowedLink, isProtocolId, parseWebviewMessage, type HostMessage, type WebviewMessage } from '@jan/protocol';
import type { ChatCore, ChatHostPort, ChatServices } from './chat-backend';
import { ChatStateReader } from './chat-state';
import { StreamCoalescer, type FlushScheduler } from './stream-coalescer';
import { ThreadIndex } from './thread-index';
import { settingsChanges } from './thread-edits';
import { toAssistantOption, toChatError, toMessageView, toThreadSummary } from './views';
import { WebviewChannel } from './webview-channel';

/** The thread list is read from disk again when the panel opens after this long. */
const INDEX_MAX_AGE_MS = 10_000;

interface Chat {
  services: ChatServices;
  session: ChatSession;
  reader: ChatStateReader;
}

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
  private readonly stream: StreamCoalescer<ThreadMessage>;
  private readonly index = new ThreadIndex();
  private readonly subscriptions: Disposable[];
  private session: ChatSession | undefined;
  private stateSerial = 0;

  constructor(services: Promise<ChatServices>, private readonly core: ChatCore, private readonly port: ChatHostPort, options: ChatControllerOptions = {}) {
    this.chat = services.then((ready) => {
      const activeThread = { load: () => port.loadActiveThreadId(), save: (id: string | undefined) => port.saveActiveThreadId(id) };
      const session = new ChatSession({ ...ready, logger: core.logger, activeThread, undoDeleteMs: options.undoDeleteMs });
      this.session = session;
      return { services: ready, session, reader: new ChatStateReader(ready, session, core) };
    });
    // A failed start is reported in the view; it must not surface as an unhandled rejection.
    this.chat.catch(() => undefined);
    this.stream = new StreamCoalescer((threadId, message) => this.toActive(threadId, { type: 'message', threadId, message: toMessageView(message) }), options.flushScheduler);
    const events = core.events;
    this.subscriptions = [
      events.on('OnMessageSent', (message) => this.toActive(message.thread_id, { type: 'message', threadId: message.thread_id, message: toMessageView(message) })),
      events.on('OnMessageUpdate', (message) => this.onMessageUpdate(message)),
      events.on('OnGenerationChanged', ({ threadId, generating }) => this.onGenerationChanged(threadId, generating)),
      events.on('OnThreadUpdated', (thread) => this.onThreadUpdated(thread)),
      events.on('OnThreadDeleted', ({ id }) => this.onThreadDeleted(id)),
      events.on('OnModelsChanged', () => this.sendModels()),
      events.on('OnAssistantsChanged', (assistants) => this.channel.send({ type: 'assistants', assistants: assistants.map(toAssistantOption) })),
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
        if (!conversation.dismissUnsaved(message.threadId, message.messageId)) {
          if (conversation.isGenerating(message.threadId)) throw new Error('Stop the reply being written before deleting messages.');
          await conversational.deleteMessage(message.threadId, message.messageId);
        }
        return this.resync(message.threadId);
      case 'newThread':
        return this.newThread();
      case 'selectThread':
        if (await session.open(message.threadId)) return this.sendState();
        this.index.remove(message.threadId);
        this.channel.send({ type: 'threadRemoved', id: message.threadId, title: '', undoable: false });
        this.channel.send({ type: 'error', message: 'That thread no longer exists.' });
        return;
      case 'listThreads':
        return this.listThreads(message.query, message.offset, message.limit);
      case 'renameThread':
        await conversational.updateThread(message.threadId, { title: message.title });
        return;
      case 'deleteThread':
        return this.deleteThread(message.threadId);
      case 'undoDeleteThread': {
        const thread = session.undoDelete(message.threadId);
        if (!thread) return this.channel.send({ type: 'error', message: 'Too late to undo: the thread was already deleted.' });
        this.index.unhide(thread.id);
        return this.channel.send({ type: 'threadChanged', thread: this.index.get(thread.id) ?? toThreadSummary(thread) });
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
        await conversational.updateThread(message.threadId, (current) => settingsChanges(current, message.settings));
        return;
      case 'copy':
        return this.port.copy(message.text);
      case 'insertCode':
        return this.port.insertAtCursor(message.code);
      case 'applyCode':
        return this.port.applyToEditor(message.code, message.language);
      case 'openLink': {
        const url = allowedLink(message.href);
        if (!url) return this.channel.send({ type: 'error', message: 'Jan opens only http(s) and mailto links from replies.' });
        return this.port.openExternal(url);
      }
      case 'runAction':
        return this.port.runAction(message.action);
    }
  }

  // ── Commands (from the editor) ───────────────────────────────────────────────────────────

  /** Shows an empty chat; its thread is created by the first message. */
  async newThread(): Promise<void> {
    await (await this.chat).session.startNew();
    await this.sendState();
  }

  async stopActive(): Promise<void> {
    const { services, session } = await this.chat;
    if (session.activeThreadId) services.conversation.stop(session.activeThreadId);
  }

  addToInput(text: string): void {
    this.channel.deliver({ type: 'insertText', text });
  }

  focusInput(): void {
    this.channel.deliver({ type: 'focusInput' });
  }

  /** Starts a new thread with this message (commands on a selection that answer in the chat). */
  async askInChat(text: string): Promise<void> {
    const { services, session } = await this.chat;
    const thread = await session.createThread();
    this.onThreadCreated(thread);
    await this.sendState();
    await this.generate(thread.id, () => services.conversation.send(thread.id, text), text);
  }

  /** The model list or the default chat model changed. */
  async sendModels(): Promise<void> {
    const { services, reader } = await this.chat;
    const defaultModelId = services.inference.chosenId('chat');
    this.channel.send({ type: 'models', models: await reader.models(), ...(defaultModelId ? { defaultModelId } : {}) });
  }

  /** Carries out the deletions still in their undo window and stops listening. */
  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.stream.dispose();
    await this.session?.dispose();
    this.channel.detachAll();
  }

  // ── Conversation ─────────────────────────────────────────────────────────────────────────

  private async sendState(): Promise<void> {
    const serial = ++this.stateSerial;
    let state;
    try {
      state = await (await this.chat).reader.state();
    } catch (error) {
      state = { thread: null, messages: [], generating: false, models: [], assistants: [], startupError: errorMessage(error) };
    }
    // A later request (a quick second click) already answered: this one is stale.
    if (serial === this.stateSerial) this.channel.send({ type: 'state', state });
  }

  private async sendMessage(threadId: string | null, text: string): Promise<void> {
    const { services, session } = await this.chat;
    let target = threadId;
    if (!target) {
      try {
        const thread = await session.createThread();
        this.onThreadCreated(thread);
        target = thread.id;
      } catch (error) {
        this.channel.send({ type: 'notice', threadId: null, error: toChatError(error), draft: text });
        return;
      }
      await this.sendState();
    }
    const id = target;
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
      this.stream.flush();
      await this.resync(threadId);
    }
  }

  private async resync(threadId: string): Promise<void> {
    if (threadId !== this.session?.activeThreadId) return;
    const messages = await (await this.chat).reader.messages(threadId);
    if (threadId === this.session?.activeThreadId) this.channel.send({ type: 'messages', threadId, messages });
  }

  // ── Threads ──────────────────────────────────────────────────────────────────────────────

  private async listThreads(query: string, offset: number, limit: number): Promise<void> {
    if (!this.index.loaded || (offset === 0 && Date.now() - this.index.loadedAt > INDEX_MAX_AGE_MS)) {
      const page = await (await this.chat).services.conversational.listThreads();
      for (const warning of page.warnings) this.core.logger.warn(`Thread list: ${warning.path}: ${warning.message}`);
      this.index.replace(page.threads.filter((thread) => isProtocolId(thread.id)));
    }
    const { total, items } = this.index.page(query, offset, limit);
    this.channel.send({ type: 'threads', query, offset, total, items });
  }

  /** Hides the thread at once; the session deletes its folder when the undo window closes. */
  private async deleteThread(threadId: string): Promise<void> {
    const { session } = await this.chat;
    const wasActive = session.activeThreadId === threadId;
    const thread = await session.delete(threadId, (failed, error) => {
      this.index.unhide(failed.id);
      this.channel.send({ type: 'error', message: `Could not delete “${failed.title}”: ${errorMessage(error)}` });
      this.channel.send({ type: 'threadChanged', thread: toThreadSummary(failed) });
    });
    if (thread) {
      this.index.upsert(thread);
      this.index.hide(threadId);
    } else this.index.remove(threadId);
    this.channel.send({ type: 'threadRemoved', id: threadId, title: thread?.title ?? '', undoable: thread !== undefined });
    if (wasActive) await this.sendState();
  }

  private onThreadCreated(thread: Thread): void {
    this.index.upsert(thread);
    this.channel.send({ type: 'threadChanged', thread: toThreadSummary(thread) });
  }

  // ── Core events ──────────────────────────────────────────────────────────────────────────

  private toActive(threadId: string, message: HostMessage & { type: 'message' }): void {
    if (threadId === this.session?.activeThreadId && isProtocolId(message.message.id)) this.channel.send(message);
  }

  private onMessageUpdate(message: ThreadMessage): void {
    this.stream.push(message.thread_id, message);
    if (message.status !== 'pending') this.stream.flush();
  }

  private onGenerationChanged(threadId: string, generating: boolean): void {
    if (!generating) this.stream.flush();
    if (threadId === this.session?.activeThreadId) this.channel.send({ type: 'generating', threadId, generating });
  }

  private async onThreadUpdated(thread: Thread): Promise<void> {
    if (!isProtocolId(thread.id)) return;
    const summary = this.index.upsert(thread);
    if (this.index.isHidden(thread.id)) return;
    this.channel.send({ type: 'threadChanged', thread: summary });
    if (thread.id === this.session?.activeThreadId) this.channel.send({ type: 'thread', thread: await (await this.chat).reader.threadView(thread) });
  }

  private onThreadDeleted(threadId: string): void {
    this.index.remove(threadId);
    if (!isProtocolId(threadId)) return;
    this.channel.send({ type: 'threadRemoved', id: threadId, title: '', undoable: false });
    if (threadId === this.session?.activeThreadId) void this.newThread();
  }
}
