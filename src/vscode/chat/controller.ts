import { DEFAULT_THREAD_TITLE, errorMessage, textOf } from '@jan/core';
import type { Disposable, Thread, ThreadMessage } from '@jan/core';
import {
  allowedLink,
  isProtocolId,
  parseWebviewMessage,
  type ChatState,
  type HostMessage,
  type MessageView,
  type ModelOption,
  type ThreadSettings,
  type WebviewMessage,
} from '@jan/protocol';
import type { ChatBackend, ChatCore, ChatHostPort } from './chat-backend';
import { ThreadIndex } from './thread-index';
import { assistantChanges, modelChanges, newThreadAssistant, settingsChanges } from './thread-edits';
import { toAssistantOption, toChatError, toMessageView, toModelOption, toThreadSummary, toThreadView } from './views';

/** How long a deleted thread can be brought back before its folder is removed. */
export const UNDO_DELETE_MS = 8000;
/** Streaming updates to the view are sent at most this often (the view renders once per frame). */
const STREAM_FLUSH_MS = 16;
const ENGINE_LIST_TIMEOUT_MS = 3000;
const SETTLE_WAIT_MS = 3000;
/** The thread list is read from disk again when the panel opens after this long. */
const INDEX_MAX_AGE_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The chat view's host side, free of `vscode`: answers the webview's messages with the store,
 * the conversation service and the editor port, and relays the core's events to the view.
 * One controller outlives the webviews it serves: hiding the view drops the webview, and the
 * next one says `ready` and gets the whole state again.
 */
export class ChatController {
  private post: ((message: HostMessage) => void) | undefined;
  private ready = false;
  /** Sent once the next webview is ready (text added to the input while the view was closed). */
  private queued: HostMessage[] = [];
  private activeThreadId: string | undefined;
  private pendingModelId: string | undefined;
  private pendingAssistantId: string | undefined;
  /** The latest state of each reply being written, for a view that opens mid-stream. */
  private readonly inFlight = new Map<string, ThreadMessage>();
  /** Failed replies without text are not stored; the view still shows them, with their action. */
  private readonly unsaved = new Map<string, ThreadMessage>();
  private readonly streamQueue = new Map<string, ThreadMessage>();
  /** Threads the view was told are generating. */
  private readonly generatingShown = new Set<string>();
  private streamTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly index = new ThreadIndex();
  private readonly deletions = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => Promise<void> }>();
  private readonly subscriptions: Disposable[] = [];
  private stateSerial = 0;

  private readonly undoDeleteMs: number;

  constructor(
    private readonly backend: Promise<ChatBackend>,
    private readonly core: ChatCore,
    private readonly port: ChatHostPort,
    options: { undoDeleteMs?: number } = {},
  ) {
    this.undoDeleteMs = options.undoDeleteMs ?? UNDO_DELETE_MS;
    // A failed start is reported in the view; it must not surface as an unhandled rejection.
    backend.catch(() => undefined);
    this.activeThreadId = port.loadActiveThreadId();
    const events = core.events;
    this.subscriptions.push(
      events.on('OnMessageSent', (message) => this.onMessage(message)),
      events.on('OnMessageUpdate', (message) => this.onMessageUpdate(message)),
      events.on('OnThreadUpdated', (thread) => this.onThreadUpdated(thread)),
      events.on('OnThreadDeleted', ({ id }) => this.onThreadDeleted(id)),
      events.on('OnModelsChanged', () => this.sendModels()),
      events.on('OnAssistantsChanged', (assistants) => this.send({ type: 'assistants', assistants: assistants.map(toAssistantOption) })),
    );
  }

  // ── The webview ──────────────────────────────────────────────────────────────────────────

  /** Connects a webview; returns the function that disconnects it. */
  attach(post: (message: HostMessage) => void): () => void {
    this.post = post;
    this.ready = false;
    return () => {
      if (this.post !== post) return;
      this.post = undefined;
      this.ready = false;
    };
  }

  /** A message from the webview: validated, then acted on; a failure is shown, never thrown. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.core.logger.warn(`Chat view: ${parsed.error}`);
      this.send({ type: 'error', message: parsed.error });
      return;
    }
    try {
      await this.dispatch(parsed.message);
    } catch (error) {
      this.core.logger.warn(`Chat view: "${parsed.message.type}" failed: ${errorMessage(error)}`);
      this.send({ type: 'error', message: errorMessage(error) });
    }
  }

  private send(message: HostMessage): void {
    if (this.post && this.ready) this.post(message);
  }

  /** Like send, but kept for the next webview when none is ready. */
  private deliver(message: HostMessage): void {
    if (this.post && this.ready) this.post(message);
    else this.queued.push(message);
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.sendState();
        for (const queued of this.queued.splice(0)) this.send(queued);
        return;
      case 'send':
        return this.sendMessage(message.threadId, message.text);
      case 'stop':
        (await this.backend).conversation.stop(message.threadId);
        return;
      case 'regenerate':
        return this.regenerate(message.threadId, message.messageId);
      case 'editAndResend': {
        const { conversation } = await this.backend;
        return this.generate(message.threadId, () => conversation.editAndResend(message.threadId, message.messageId, message.text));
      }
      case 'deleteMessage':
        return this.deleteMessage(message.threadId, message.messageId);
      case 'newThread':
        return this.newThread();
      case 'selectThread':
        return this.selectThread(message.threadId);
      case 'listThreads':
        return this.listThreads(message.query, message.offset, message.limit);
      case 'renameThread':
        return this.updateThread(message.threadId, { title: message.title });
      case 'deleteThread':
        return this.deleteThread(message.threadId);
      case 'undoDeleteThread':
        return this.undoDeleteThread(message.threadId);
      case 'selectModel':
        return this.selectModel(message.threadId, message.modelId);
      case 'selectAssistant':
        return this.selectAssistant(message.threadId, message.assistantId);
      case 'updateSettings':
        return this.updateSettings(message.threadId, message.settings);
      case 'copy':
        return this.port.copy(message.text);
      case 'insertCode':
        return this.port.insertAtCursor(message.code);
      case 'applyCode':
        return this.port.applyToEditor(message.code, message.language);
      case 'openLink': {
        const url = allowedLink(message.href);
        if (!url) {
          this.send({ type: 'error', message: 'Jan opens only http(s) and mailto links from replies.' });
          return;
        }
        return this.port.openExternal(url);
      }
      case 'runAction':
        return this.port.runAction(message.action);
    }
  }

  // ── Commands (from the editor) ───────────────────────────────────────────────────────────

  /** Shows an empty chat; its thread is created by the first message. */
  async newThread(): Promise<void> {
    await this.setActive(undefined);
    this.pendingModelId = undefined;
    this.pendingAssistantId = undefined;
    await this.sendState();
  }

  async stopActive(): Promise<void> {
    if (this.activeThreadId) (await this.backend).conversation.stop(this.activeThreadId);
  }

  addToInput(text: string): void {
    this.deliver({ type: 'insertText', text });
  }

  focusInput(): void {
    this.deliver({ type: 'focusInput' });
  }

  /** Starts a new thread with this message (commands on a selection that answer in the chat). */
  async askInChat(text: string): Promise<void> {
    const thread = await this.createThread();
    await this.sendState();
    await this.generate(thread.id, async () => (await this.backend).conversation.send(thread.id, text), text);
  }

  /** Deletes the threads still in their undo window and stops listening. */
  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    clearTimeout(this.streamTimer);
    const pending = [...this.deletions.values()];
    this.deletions.clear();
    for (const deletion of pending) clearTimeout(deletion.timer);
    await Promise.allSettled(pending.map((deletion) => deletion.run()));
    this.post = undefined;
  }

  // ── State ────────────────────────────────────────────────────────────────────────────────

  private async setActive(threadId: string | undefined): Promise<void> {
    this.activeThreadId = threadId;
    await this.port.saveActiveThreadId(threadId);
  }

  private async sendState(): Promise<void> {
    const serial = ++this.stateSerial;
    const state = await this.buildState();
    // A later request (a quick second click) already answered: this one is stale.
    if (serial === this.stateSerial) this.send({ type: 'state', state });
  }

  private async buildState(): Promise<ChatState> {
    let backend: ChatBackend;
    try {
      backend = await this.backend;
    } catch (error) {
      return { thread: null, messages: [], generating: false, models: [], assistants: [], startupError: errorMessage(error) };
    }
    let thread = this.activeThreadId ? await backend.conversational.getThread(this.activeThreadId) : undefined;
    if (this.activeThreadId && (!thread || this.deletions.has(this.activeThreadId))) {
      thread = undefined;
      await this.setActive(undefined);
    }
    const [messages, models, assistants, threadView] = await Promise.all([
      thread ? this.threadMessages(thread.id) : Promise.resolve([]),
      this.modelOptions(),
      backend.assistants.listAssistants(),
      thread ? this.threadView(thread) : Promise.resolve(null),
    ]);
    const state: ChatState = {
      thread: threadView,
      messages,
      generating: thread ? this.isGenerating(backend, thread.id) : false,
      models,
      assistants: assistants.assistants.map(toAssistantOption),
    };
    const defaultModelId = this.port.defaultModelId();
    if (defaultModelId) state.defaultModelId = defaultModelId;
    if (!thread && this.pendingModelId) state.pendingModelId = this.pendingModelId;
    if (!thread && this.pendingAssistantId) state.pendingAssistantId = this.pendingAssistantId;
    return state;
  }

  private isGenerating(backend: ChatBackend, threadId: string): boolean {
    return backend.conversation.isGenerating(threadId) || this.inFlight.has(threadId);
  }

  private async threadView(thread: Thread) {
    const info = thread.assistants[0];
    let fallback = '';
    if (info && info.instructions === undefined) {
      fallback = (await (await this.backend).assistants.getAssistant(info.assistant_id))?.instructions ?? '';
    }
    return toThreadView(thread, fallback);
  }

  /** The stored messages, plus a reply being written and a failed reply that was not stored. */
  private async threadMessages(threadId: string): Promise<MessageView[]> {
    const { conversational } = await this.backend;
    const page = await conversational.listMessages(threadId);
    for (const warning of page.warnings) this.core.logger.warn(`Thread ${threadId}: ${warning.path}: ${warning.message}`);
    const messages = page.messages.filter((message) => {
      if (isProtocolId(message.id)) return true;
      this.core.logger.warn(`Thread ${threadId}: message id ${JSON.stringify(message.id)} cannot be shown.`);
      return false;
    });
    const ids = new Set(messages.map((message) => message.id));
    for (const extra of [this.inFlight.get(threadId), this.unsaved.get(threadId)]) {
      if (extra && !ids.has(extra.id)) messages.push(extra);
    }
    return messages.map(toMessageView);
  }

  private async resync(threadId: string): Promise<void> {
    if (threadId !== this.activeThreadId) return;
    const messages = await this.threadMessages(threadId);
    if (threadId === this.activeThreadId) this.send({ type: 'messages', threadId, messages });
  }

  private async modelOptions(): Promise<ModelOption[]> {
    const { models } = await this.backend;
    const options = new Map<string, ModelOption>();
    for (const model of (await models.listModels()).models) options.set(model.id, toModelOption(model));
    // Remote engines list their own models; a slow or offline one must not hold up the view.
    const lists = await Promise.allSettled(
      this.core.engines.all().map((engine) => withTimeout(engine.list(), ENGINE_LIST_TIMEOUT_MS)),
    );
    for (const list of lists) {
      if (list.status === 'rejected') {
        this.core.logger.warn(`Chat view: an engine could not list its models: ${errorMessage(list.reason)}`);
        continue;
      }
      for (const model of list.value ?? []) if (!options.has(model.id)) options.set(model.id, toModelOption(model));
    }
    return [...options.values()];
  }

  /** The model list or the default chat model changed. */
  async sendModels(): Promise<void> {
    const models = await this.modelOptions();
    const defaultModelId = this.port.defaultModelId();
    this.send({ type: 'models', models, ...(defaultModelId ? { defaultModelId } : {}) });
  }

  // ── Conversation ─────────────────────────────────────────────────────────────────────────

  private async createThread(): Promise<Thread> {
    const { conversational, assistants } = await this.backend;
    const list = (await assistants.listAssistants()).assistants;
    const assistant = list.find((candidate) => candidate.id === this.pendingAssistantId) ?? list[0];
    if (!assistant) throw new Error('No assistant is available to start a thread.');
    const modelId = this.pendingModelId ?? (assistant.model && assistant.model !== '*' ? assistant.model : this.port.defaultModelId());
    const model = modelId ? { id: modelId, engine: (await this.engineOf(modelId)) ?? '' } : undefined;
    const thread = await conversational.createThread({ title: DEFAULT_THREAD_TITLE, assistants: [newThreadAssistant(assistant, model)] });
    this.pendingModelId = undefined;
    this.pendingAssistantId = undefined;
    this.index.upsert(thread);
    await this.setActive(thread.id);
    this.send({ type: 'threadChanged', thread: toThreadSummary(thread) });
    return thread;
  }

  private async engineOf(modelId: string): Promise<string | undefined> {
    const { models } = await this.backend;
    const model = await models.getModel(modelId);
    if (model) return model.engine;
    return (await this.modelOptions()).find((option) => option.id === modelId)?.engine;
  }

  private async sendMessage(threadId: string | null, text: string): Promise<void> {
    let id = threadId;
    if (!id) {
      try {
        id = (await this.createThread()).id;
      } catch (error) {
        this.send({ type: 'notice', threadId: null, error: toChatError(error), draft: text });
        return;
      }
      await this.sendState();
    }
    const target = id;
    const { conversation } = await this.backend;
    await this.generate(target, () => conversation.send(target, text), text);
  }

  private async regenerate(threadId: string, messageId: string | undefined): Promise<void> {
    const { conversation, conversational } = await this.backend;
    if (messageId !== undefined && this.unsaved.get(threadId)?.id !== messageId) {
      await this.generate(threadId, () => conversation.regenerate(threadId, messageId));
      return;
    }
    // Retrying a reply that failed before it was stored: answer the last message again. When it
    // is the user's, resend it as it is (regenerate would replace an older, stored reply).
    const { messages } = await conversational.listMessages(threadId);
    const last = messages[messages.length - 1];
    if (last?.role === 'user') {
      const text = textOf(last);
      await this.generate(threadId, () => conversation.editAndResend(threadId, last.id, text));
    } else {
      await this.generate(threadId, () => conversation.regenerate(threadId));
    }
  }

  /**
   * Runs one generation and keeps the view honest around it: `generating` on and off, a failure
   * shown in place (with the unsent text given back), and the thread re-read from the store.
   */
  private async generate(threadId: string, run: () => Promise<ThreadMessage>, draft?: string): Promise<void> {
    // The view is told a reply is done as soon as its text is; the conversation may still be
    // saving it and the title for a few milliseconds. An action in that gap waits, not fails.
    const { conversation } = await this.backend;
    for (let waited = 0; conversation.isGenerating(threadId) && !this.generatingShown.has(threadId) && waited < SETTLE_WAIT_MS; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    this.unsaved.delete(threadId);
    this.send({ type: 'notice', threadId, error: null });
    this.showGenerating(threadId, true);
    try {
      await run();
    } catch (error) {
      this.send({ type: 'notice', threadId, error: toChatError(error), ...(draft !== undefined ? { draft } : {}) });
    } finally {
      this.inFlight.delete(threadId);
      this.flushStream();
      this.showGenerating(threadId, false);
      await this.resync(threadId);
    }
  }

  private async deleteMessage(threadId: string, messageId: string): Promise<void> {
    if (this.unsaved.get(threadId)?.id === messageId) {
      this.unsaved.delete(threadId);
    } else {
      const { conversational, conversation } = await this.backend;
      if (conversation.isGenerating(threadId)) throw new Error('Stop the reply being written before deleting messages.');
      await conversational.deleteMessage(threadId, messageId);
    }
    await this.resync(threadId);
  }

  // ── Threads ──────────────────────────────────────────────────────────────────────────────

  private async selectThread(threadId: string): Promise<void> {
    const { conversational } = await this.backend;
    if (this.deletions.has(threadId) || !(await conversational.getThread(threadId))) {
      this.index.remove(threadId);
      this.send({ type: 'threadRemoved', id: threadId, title: '', undoable: false });
      this.send({ type: 'error', message: 'That thread no longer exists.' });
      return;
    }
    await this.setActive(threadId);
    await this.sendState();
  }

  private async listThreads(query: string, offset: number, limit: number): Promise<void> {
    if (!this.index.loaded || (offset === 0 && Date.now() - this.index.loadedAt > INDEX_MAX_AGE_MS)) {
      const { conversational } = await this.backend;
      const page = await conversational.listThreads();
      for (const warning of page.warnings) this.core.logger.warn(`Thread list: ${warning.path}: ${warning.message}`);
      this.index.replace(page.threads.filter((thread) => isProtocolId(thread.id)));
    }
    const { total, items } = this.index.page(query, offset, limit);
    this.send({ type: 'threads', query, offset, total, items });
  }

  /** The store announces the change (OnThreadUpdated), which updates the list and the header. */
  private async updateThread(threadId: string, changes: Partial<Thread> | ((current: Thread) => Partial<Thread>)): Promise<void> {
    const { conversational } = await this.backend;
    await conversational.updateThread(threadId, changes);
  }

  private async updateSettings(threadId: string, settings: ThreadSettings): Promise<void> {
    await this.updateThread(threadId, (current) => settingsChanges(current, settings));
  }

  private async selectModel(threadId: string | null, modelId: string | null): Promise<void> {
    if (!threadId) {
      this.pendingModelId = modelId ?? undefined;
      await this.sendState();
      return;
    }
    const model = modelId ? { id: modelId, engine: (await this.engineOf(modelId)) ?? '' } : null;
    await this.updateThread(threadId, (current) => modelChanges(current, model));
  }

  private async selectAssistant(threadId: string | null, assistantId: string): Promise<void> {
    const { assistants } = await this.backend;
    const assistant = await assistants.getAssistant(assistantId);
    if (!assistant) throw new Error(`Assistant "${assistantId}" was not found.`);
    if (!threadId) {
      this.pendingAssistantId = assistant.id;
      await this.sendState();
      return;
    }
    const engine = assistant.model && assistant.model !== '*' ? await this.engineOf(assistant.model) : undefined;
    await this.updateThread(threadId, (current) => assistantChanges(current, assistant, () => engine));
  }

  /** Hides the thread at once and deletes its folder when the undo window closes. */
  private async deleteThread(threadId: string): Promise<void> {
    const { conversational, conversation } = await this.backend;
    const thread = await conversational.getThread(threadId);
    if (!thread) {
      this.onThreadDeleted(threadId);
      return;
    }
    conversation.stop(threadId);
    this.index.upsert(thread);
    this.index.hide(threadId);
    const run = async (): Promise<void> => {
      this.deletions.delete(threadId);
      try {
        await conversational.deleteThread(threadId);
      } catch (error) {
        this.index.unhide(threadId);
        this.core.logger.error(`Could not delete thread ${threadId}: ${errorMessage(error)}`);
        this.send({ type: 'error', message: `Could not delete “${thread.title}”: ${errorMessage(error)}` });
        this.send({ type: 'threadChanged', thread: toThreadSummary(thread) });
      }
    };
    this.deletions.set(threadId, { timer: setTimeout(() => void run(), this.undoDeleteMs), run });
    this.send({ type: 'threadRemoved', id: threadId, title: thread.title, undoable: true });
    if (threadId === this.activeThreadId) await this.newThread();
  }

  private async undoDeleteThread(threadId: string): Promise<void> {
    const deletion = this.deletions.get(threadId);
    if (!deletion) {
      this.send({ type: 'error', message: 'Too late to undo: the thread was already deleted.' });
      return;
    }
    clearTimeout(deletion.timer);
    this.deletions.delete(threadId);
    this.index.unhide(threadId);
    const summary = this.index.get(threadId);
    if (summary) this.send({ type: 'threadChanged', thread: summary });
  }

  // ── Core events ──────────────────────────────────────────────────────────────────────────

  private onMessage(message: ThreadMessage): void {
    if (message.thread_id === this.activeThreadId && isProtocolId(message.id)) {
      this.send({ type: 'message', threadId: message.thread_id, message: toMessageView(message) });
    }
  }

  private onMessageUpdate(message: ThreadMessage): void {
    const threadId = message.thread_id;
    if (message.status === 'pending') {
      this.inFlight.set(threadId, message);
      // A reply started elsewhere (a command on a selection) shows its Stop button too.
      if (threadId === this.activeThreadId) this.showGenerating(threadId, true);
    } else {
      this.inFlight.delete(threadId);
      if (message.status === 'error') this.unsaved.set(threadId, message);
    }
    if (threadId !== this.activeThreadId || !isProtocolId(message.id)) return;
    this.streamQueue.set(threadId, message);
    if (message.status === 'pending') {
      this.streamTimer ??= setTimeout(() => this.flushStream(), STREAM_FLUSH_MS);
      return;
    }
    this.flushStream();
    // The reply is complete: the view's actions come back now, not after the title is saved.
    this.showGenerating(threadId, false);
  }

  private showGenerating(threadId: string, generating: boolean): void {
    if (this.generatingShown.has(threadId) === generating) return;
    if (generating) this.generatingShown.add(threadId);
    else this.generatingShown.delete(threadId);
    this.send({ type: 'generating', threadId, generating });
  }

  private flushStream(): void {
    clearTimeout(this.streamTimer);
    this.streamTimer = undefined;
    for (const [threadId, message] of this.streamQueue) {
      if (threadId === this.activeThreadId) this.send({ type: 'message', threadId, message: toMessageView(message) });
    }
    this.streamQueue.clear();
  }

  private async onThreadUpdated(thread: Thread): Promise<void> {
    if (!isProtocolId(thread.id)) return;
    const summary = this.index.upsert(thread);
    if (this.index.isHidden(thread.id)) return;
    this.send({ type: 'threadChanged', thread: summary });
    if (thread.id === this.activeThreadId) this.send({ type: 'thread', thread: await this.threadView(thread) });
  }

  private onThreadDeleted(threadId: string): void {
    this.index.remove(threadId);
    if (!isProtocolId(threadId)) return;
    this.send({ type: 'threadRemoved', id: threadId, title: '', undoable: false });
    if (threadId === this.activeThreadId) void this.newThread();
  }
}
