import { errorMessage } from '@jan/core';
import type { ChatSession, Disposable, Thread } from '@jan/core';
import {
  dispatch,
  parseWebviewMessage,
  type HostMessage,
  type MessageHandlers,
  type WebviewMessage,
} from '@jan/protocol';
import { AgentRelay, agentHandlers, type AgentMessage } from './agent/agent-relay';
import { ContextAttachments, contextHandlers, type ContextMessage } from './attachments';
import type { ChatCore, ChatHostPort, ChatServices } from './chat-backend';
import { ChatStateReader } from './chat-state';
import { editorActions, type EditorAction } from './editor-actions';
import { ReplyRelay } from './reply-relay';
import type { FlushScheduler } from './stream-coalescer';
import { settingsChanges } from './thread-edits';
import { ThreadList, threadListHandlers, type ThreadListMessage } from './thread-list';
import { ChatTurns } from './turns';
import { WebviewChannel } from './webview-channel';

type Chat = ChatServices & { reader: ChatStateReader };
type Handlers = MessageHandlers<WebviewMessage, Promise<void> | void>;
/** What the helpers answer (editor actions, `@` context, agent approvals, the thread list). */
type HelperMessage = EditorAction | ContextMessage | AgentMessage | ThreadListMessage;

export interface ChatControllerOptions {
  /** When streamed updates are sent on (tests flush by hand). */
  flushScheduler?: FlushScheduler;
}

/**
 * The chat view's host side, free of `vscode`: each message of the webview goes to its handler
 * (one per message type), which calls the services (the chat session, the conversation, the
 * editor port); the core's events are relayed to the view. One controller outlives the pages it
 * serves (see WebviewChannel).
 */
export class ChatController {
  private readonly channel = new WebviewChannel<HostMessage>();
  private readonly chat: Promise<Chat>;
  private readonly replies: ReplyRelay;
  private readonly agent: AgentRelay;
  private readonly threads: ThreadList;
  private readonly turns: ChatTurns;
  private readonly subscriptions: Disposable[];
  private readonly handlers: Handlers;
  private session: ChatSession | undefined;
  private reader: ChatStateReader | undefined;
  private stateSerial = 0;

  constructor(
    services: Promise<ChatServices>,
    private readonly core: ChatCore,
    port: ChatHostPort,
    options: ChatControllerOptions = {},
  ) {
    this.chat = services.then((ready) => {
      this.session = ready.session;
      this.reader = new ChatStateReader(ready, core);
      return { ...ready, reader: this.reader };
    });
    // A failed start is reported in the view; it must not surface as an unhandled rejection.
    this.chat.catch(() => undefined);
    this.threads = new ThreadList(this.channel, core.logger);
    const attachments = new ContextAttachments(port.context, core.contextSources);
    this.replies = new ReplyRelay(
      core.events,
      this.channel,
      () => this.session?.activeThreadId,
      (modelId) => this.reader?.nameOf(modelId) ?? modelId,
      options.flushScheduler,
    );
    this.agent = new AgentRelay(core.events, this.channel, () => this.session?.activeThreadId, port.agent);
    this.subscriptions = [
      core.events.on('OnThreadUpdated', (thread) => this.onThreadUpdated(thread)),
      core.events.on('OnThreadDeleted', ({ id }) => this.onThreadDeleted(id)),
      core.events.on('OnModelsChanged', () => this.sendModels()),
      // Where the chat's model runs may have changed (a remote engine's server): the header follows.
      core.events.on('OnEnginesChanged', () => (this.channel.isReady ? this.sendState() : undefined)),
      // Every scope's assistants, marked (the payload has only the usable ones); the bus logs a failure.
      core.events.on('OnAssistantsChanged', async () =>
        this.channel.send(await (await this.chat).reader.assistantsMessage()),
      ),
    ];
    this.turns = new ChatTurns({
      chat: this.chat,
      channel: this.channel,
      replies: this.replies,
      attachments,
      threads: this.threads,
      agent: this.agent,
      sendState: (created) => this.sendState(created),
      logger: core.logger,
    });
    this.handlers = {
      ...editorActions(port),
      ...contextHandlers(attachments, port.context, core.contextSources, this.channel, core.logger),
      ...agentHandlers(this.agent),
      ...threadListHandlers(this.threads, this.chat, () => this.sendState()),
      ...this.chatHandlers(),
    };
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
      await dispatch(this.handlers, parsed.value);
    } catch (error) {
      this.core.logger.warn(`Chat view: "${parsed.value.type}" failed: ${errorMessage(error)}`);
      this.channel.send({ type: 'error', message: errorMessage(error) });
    }
  }

  /** The chat's messages, each to the service that owns what it asks. */
  private chatHandlers(): Omit<Handlers, HelperMessage['type']> {
    const chat = () => this.chat;
    const conversation = async () => (await this.chat).conversation;
    return {
      ready: async () => {
        this.channel.markReady();
        (await this.chat.catch(() => undefined))?.inference.refreshModels();
        await this.sendState();
        this.channel.flush();
      },
      send: (message) => this.turns.send(message.threadId, message.text, message.context ?? [], message.mode),
      stop: async ({ threadId }) => (await conversation()).stop(threadId),
      regenerate: ({ threadId, messageId, position }) =>
        this.turns.run(threadId, async () => (await conversation()).regenerate(threadId, messageId, position)),
      continue: ({ threadId, messageId, position }) =>
        this.turns.run(threadId, async () => (await conversation()).continueReply(threadId, messageId, position)),
      editAndResend: ({ threadId, messageId, text, position }) =>
        this.turns.run(threadId, async () => (await conversation()).editAndResend(threadId, messageId, text, position)),
      deleteMessage: async ({ threadId, messageId, position }) => {
        await (await conversation()).deleteMessage(threadId, messageId, position);
        return this.turns.resync(threadId);
      },
      newThread: () => this.newThread(),
      selectThread: async ({ threadId }) => {
        if (await (await chat()).session.open(threadId)) return this.sendState();
        this.threads.removed(threadId);
        this.channel.send({ type: 'error', message: 'That thread no longer exists.' });
      },
      selectModel: async ({ threadId, modelId }) => {
        await (await chat()).session.chooseModel(threadId, modelId);
        if (!threadId) await this.sendState();
      },
      selectAssistant: async ({ threadId, assistantId }) => {
        await (await chat()).session.chooseAssistant(threadId, assistantId);
        if (!threadId) await this.sendState();
      },
      updateSettings: async ({ threadId, settings }) =>
        void (await (await chat()).session.updateThread(threadId, (current) => settingsChanges(current, settings))),
    };
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
    await this.turns.send(null, text);
  }

  /** A setting the view shows changed (the default reply length): the page gets the state again. */
  async refresh(): Promise<void> {
    await this.sendState();
  }

  /** The model list or the default chat model changed. */
  async sendModels(): Promise<void> {
    this.channel.send(await (await this.chat).reader.modelsMessage());
  }

  /** Carries out the deletions still in their undo window and stops listening. */
  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.replies.dispose();
    this.agent.dispose();
    await this.session?.dispose();
    this.channel.detachAll();
  }

  // ── State ──

  /**
   * The whole state, then the meter. `created`: the open thread was just made for a message: it
   * has nothing to read, and the turn about to run brings the meter.
   */
  private async sendState(created = false): Promise<void> {
    const serial = ++this.stateSerial;
    const state = await this.chat.then(
      ({ reader }) => reader.state(created ? [] : undefined),
      ChatStateReader.failedStart,
    );
    // A later request (a quick second click) already answered: this one is stale.
    if (serial !== this.stateSerial) return;
    this.channel.send({ type: 'state', state });
    if (state.thread) this.agent.show(state.thread.id);
    if (!state.startupError && !created) await this.turns.sendUsage(state.thread?.id ?? null);
  }

  // ── Core events ──

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
