import { dispatch, type MessageHandlers } from '@jan/protocol';
import type { ContextResults } from './components/context-picker';
import type {
  AgentTurnView,
  AssistantOption,
  AttachedContext,
  ChatError,
  ChatState,
  FirstModel,
  HostMessage,
  MessageView,
  ModelOption,
  RunsOnView,
  ThreadSummary,
  ThreadView,
} from '@jan/protocol';

export interface ThreadListState {
  query: string;
  items: ThreadSummary[];
  total: number;
  /** Offset of a page asked for and not yet answered. */
  loadingOffset: number | undefined;
}

export interface RemovedThread {
  id: string;
  title: string;
}

function sameMessage(a: MessageView, b: MessageView): boolean {
  return (
    a.id === b.id &&
    a.text === b.text &&
    a.status === b.status &&
    a.role === b.role &&
    a.model === b.model &&
    a.tokensPerSecond === b.tokensPerSecond &&
    a.completionTokens === b.completionTokens &&
    a.droppedMessages === b.droppedMessages &&
    JSON.stringify(a.context) === JSON.stringify(b.context) &&
    a.error?.code === b.error?.code &&
    a.error?.message === b.error?.message
  );
}

/**
 * The view's state and how host messages change it. Streaming updates are applied once per
 * animation frame (the last update of each message wins), so a fast model costs one render
 * per frame, not one per token.
 */
export class ChatStore {
  connected = false;
  thread: ThreadView | null = null;
  messages: MessageView[] = [];
  generating = false;
  models: ModelOption[] = [];
  assistants: AssistantOption[] = [];
  defaultModelId: string | undefined;
  defaultMaxTokens: number | undefined;
  /** No model installed: what to offer instead of the chat's welcome. */
  firstModel: FirstModel | undefined;
  pendingModelId: string | undefined;
  pendingAssistantId: string | undefined;
  startupError: string | undefined;
  notice: ChatError | null = null;
  threadList: ThreadListState = { query: '', items: [], total: 0, loadingOffset: undefined };
  removed: RemovedThread | null = null;
  /** A failure to show until dismissed (not tied to a reply). */
  toastError: string | null = null;
  /** Text the host asked to put in the input (added selection, a failed send's draft). */
  incomingText: { text: string; replace: boolean; serial: number } | null = null;
  focusSerial = 0;
  /** `@` attachments waiting for the next message. */
  attached: AttachedContext[] = [];
  /** The host's file matches for the last `@` query. */
  contextFiles: ContextResults = { query: '', files: [], offers: [] };
  /** The context meter's numbers from the host (before anything typed or attached). */
  usage: { threadId: string | null; used: number; limit: number; reserve: number; trained?: number } | null = null;
  /** The open thread's agent turn: steps, the call waiting for approval, the checkpoint. */
  agentTurn: AgentTurnView | null = null;

  private readonly listeners = new Set<() => void>();
  private readonly streamed = new Map<string, MessageView>();
  private frame: number | undefined;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  get threadId(): string | null {
    return this.thread?.id ?? null;
  }

  /**
   * The model this chat uses (the thread's, the one picked for a new chat, else the default) and
   * where it runs: from the model list, else (a model no longer listed) from the thread itself.
   */
  get chatModel(): { id: string; runsOn: RunsOnView | undefined } | undefined {
    const id = (this.thread ? this.thread.modelId : this.pendingModelId) ?? this.defaultModelId;
    if (!id) return undefined;
    const listed = this.models.find((model) => model.id === id)?.runsOn;
    return { id, runsOn: listed ?? (id === this.thread?.modelId ? this.thread.runsOn : undefined) };
  }

  /** A message from the host: its handler changes the state; the view re-renders unless it returned false. */
  apply(message: HostMessage): void {
    if (dispatch(this.handlers, message) !== false) this.changed();
  }

  /** One handler per host message type (a new type does not compile without one); `false`: nothing to re-render. */
  private readonly handlers: MessageHandlers<HostMessage, boolean | void> = {
    state: (message) => this.applyState(message.state),
    threads: ({ query, offset, total, items }) => this.applyThreadPage(query, offset, total, items),
    threadChanged: (message) => this.upsertThreadSummary(message.thread),
    threadRemoved: (message) => {
      const list = this.threadList;
      const before = list.items.length;
      list.items = list.items.filter((item) => item.id !== message.id);
      list.total = Math.max(0, list.total - (before - list.items.length));
      this.threadList = { ...list };
      if (message.undoable) this.removed = { id: message.id, title: message.title };
    },
    thread: (message) => {
      if (this.thread?.id !== message.thread.id) return false;
      this.thread = message.thread;
    },
    message: (message) => {
      if (message.threadId !== this.threadId) return false;
      this.streamed.set(message.message.id, message.message);
      this.scheduleFlush();
      return false;
    },
    messages: (message) => {
      if (message.threadId !== this.threadId) return false;
      this.flushStreamed(false);
      this.messages = this.reconcile(message.messages);
    },
    generating: (message) => {
      if (message.threadId !== this.threadId) return false;
      this.generating = message.generating;
    },
    notice: (message) => {
      if (message.threadId !== this.threadId && message.threadId !== null) return false;
      this.notice = message.error;
      if (message.draft !== undefined)
        this.incomingText = { text: message.draft, replace: true, serial: (this.incomingText?.serial ?? 0) + 1 };
    },
    models: (message) => {
      this.models = message.models;
      this.defaultModelId = message.defaultModelId;
    },
    assistants: (message) => void (this.assistants = message.assistants),
    error: (message) => void (this.toastError = message.message),
    insertText: (message) => {
      this.incomingText = { text: message.text, replace: false, serial: (this.incomingText?.serial ?? 0) + 1 };
      this.focusSerial++;
    },
    focusInput: () => void this.focusSerial++,
    contextResults: ({ query, files, offers }) => void (this.contextFiles = { query, files, offers }),
    contextAttached: (message) => void (this.attached = [...this.attached, message.item]),
    contextUsage: ({ threadId, used, limit, reserve, trained }) =>
      void (this.usage = { threadId, used, limit, reserve, trained }),
    agentTurn: ({ threadId, turn }) => {
      if (threadId !== this.threadId) return false;
      this.agentTurn = turn;
    },
  };

  private applyState(state: ChatState): void {
    this.streamed.clear();
    this.connected = true;
    const sameThread = state.thread?.id === this.thread?.id;
    this.thread = state.thread;
    this.messages = sameThread ? this.reconcile(state.messages) : state.messages;
    this.generating = state.generating;
    this.models = state.models;
    this.assistants = state.assistants;
    this.defaultModelId = state.defaultModelId;
    this.defaultMaxTokens = state.defaultMaxTokens;
    this.firstModel = state.firstModel;
    this.pendingModelId = state.pendingModelId;
    this.pendingAssistantId = state.pendingAssistantId;
    this.startupError = state.startupError;
    if (!sameThread) {
      this.notice = null;
      this.agentTurn = null;
    }
  }

  /** Keeps the objects of unchanged messages, so their elements skip re-rendering. */
  private reconcile(incoming: MessageView[]): MessageView[] {
    const previous = new Map(this.messages.map((message) => [message.id, message]));
    return incoming.map((message) => {
      const old = previous.get(message.id);
      return old && sameMessage(old, message) ? old : message;
    });
  }

  private scheduleFlush(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.flushStreamed(true);
    });
  }

  private flushStreamed(notify: boolean): void {
    if (this.frame !== undefined) {
      cancelAnimationFrame(this.frame);
      this.frame = undefined;
    }
    if (this.streamed.size === 0) return;
    const messages = [...this.messages];
    for (const update of this.streamed.values()) {
      let index = -1;
      // The streamed message is almost always the last one.
      for (let i = messages.length - 1; i >= 0; i--) {
        if (messages[i]!.id === update.id) {
          index = i;
          break;
        }
      }
      if (index >= 0) messages[index] = update;
      else messages.push(update);
    }
    this.streamed.clear();
    this.messages = messages;
    if (notify) this.changed();
  }

  private applyThreadPage(query: string, offset: number, total: number, items: ThreadSummary[]): void {
    if (query !== this.threadList.query) return;
    const kept = offset === 0 ? [] : this.threadList.items.slice(0, offset);
    this.threadList = { query, items: [...kept, ...items], total, loadingOffset: undefined };
  }

  /** A changed thread moves to its place by `updated` (the list is newest first). */
  private upsertThreadSummary(summary: ThreadSummary): void {
    const list = this.threadList;
    const matches = summary.title.toLowerCase().includes(list.query.trim().toLowerCase());
    let items = list.items.filter((item) => item.id !== summary.id);
    let total = list.total - (list.items.length - items.length);
    if (matches) {
      const at = items.findIndex((item) => item.updated <= summary.updated);
      // Past the loaded pages it will come with a later page.
      if (at >= 0 || items.length === total) {
        items = [...items];
        items.splice(at < 0 ? items.length : at, 0, summary);
      }
      total++;
    }
    this.threadList = { ...list, items, total };
    if (this.thread?.id === summary.id) this.thread = { ...this.thread, title: summary.title };
  }

  // Local changes made ahead of the host's answer, so the view responds at once.

  startThreadQuery(query: string): void {
    this.threadList = { query, items: [], total: 0, loadingOffset: 0 };
    this.changed();
  }

  markPageRequested(offset: number): void {
    this.threadList = { ...this.threadList, loadingOffset: offset };
  }

  truncateFrom(messageId: string): void {
    const index = this.messages.findIndex((message) => message.id === messageId);
    if (index < 0) return;
    this.messages = this.messages.slice(0, index);
    this.notice = null;
    this.changed();
  }

  removeMessage(messageId: string): void {
    this.messages = this.messages.filter((message) => message.id !== messageId);
    this.changed();
  }

  clearRemoved(): void {
    this.removed = null;
    this.changed();
  }

  clearToastError(): void {
    this.toastError = null;
    this.changed();
  }

  /** Sets the chips (restored after hide/show, removed, or sent with a message). */
  setAttached(attached: AttachedContext[]): void {
    this.attached = attached;
    this.changed();
  }

  clearNotice(): void {
    this.notice = null;
    this.changed();
  }
}
