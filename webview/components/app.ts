import { html, nothing } from 'lit';
import { DEFAULT_ASSISTANT_NAME, type AttachedContext, type MessageView, type WebviewMessage } from '@jan/protocol';
import type { HostBridge } from '../bridge';
import { listen, type ChatEventHandlers } from '../events';
import type { ChatStore } from '../store';
import { LightElement } from './light-element';
import type { ErrorAction } from './error-actions';
import type { HeaderEvent } from './chat-header';
import type { MessageAction } from './message-item';
import type { CodeAction, JanMessageList } from './message-list';
import type { Draft, JanComposer } from './composer';
import { THREAD_PAGE, type ThreadListEvent } from './thread-list';

const UNDO_VISIBLE_MS = 7000;

/** The stored position of a message, sent with its id so the host changes that one line (ids can repeat). */
function positionOf(message: MessageView): { position?: number } {
  return message.position === undefined ? {} : { position: message.position };
}

/** The chat view: wires the store's state into the components and their events to the host. */
export class JanApp extends LightElement {
  static override properties = {
    threadsOpen: { state: true },
    settingsOpen: { state: true },
  };

  declare threadsOpen: boolean;
  declare settingsOpen: boolean;

  private store!: ChatStore;
  private bridge!: HostBridge;
  private lastIncomingSerial = 0;
  private lastFocusSerial = 0;
  private undoTimer: ReturnType<typeof setTimeout> | undefined;
  private shownRemovedId: string | undefined;

  constructor() {
    super();
    this.threadsOpen = false;
    this.settingsOpen = false;
  }

  connect(store: ChatStore, bridge: HostBridge): void {
    this.store = store;
    this.bridge = bridge;
    this.threadsOpen = bridge.state.panel === 'threads';
    this.settingsOpen = bridge.state.settingsOpen;
    store.subscribe(() => this.requestUpdate());
    listen(this, this.eventHandlers());
    store.attached = bridge.state.attached;
    bridge.listen((message) => {
      store.apply(message);
      if (message.type === 'contextAttached') bridge.saveState({ attached: store.attached });
    });
    document.addEventListener('keydown', (event) => {
      // Esc closes an open picker first; it stops the reply everywhere else.
      const inPicker = event
        .composedPath()
        .some((target) => target instanceof HTMLElement && target.tagName === 'VSCODE-SINGLE-SELECT');
      if (
        event.key === 'Escape' &&
        !event.defaultPrevented &&
        !inPicker &&
        this.store.generating &&
        this.store.threadId
      ) {
        event.preventDefault();
        this.post({ type: 'stop', threadId: this.store.threadId });
      }
    });
    if (this.threadsOpen) this.requestThreads(store.threadList.query);
    bridge.post({ type: 'ready' });
  }

  private post(message: WebviewMessage): void {
    this.bridge.post(message);
  }

  private get composer(): JanComposer | null {
    return this.querySelector('jan-composer');
  }

  private get messageList(): JanMessageList | null {
    return this.querySelector('jan-message-list');
  }

  private setThreadsOpen(open: boolean): void {
    this.threadsOpen = open;
    this.bridge.saveState({ panel: open ? 'threads' : 'chat' });
    if (open) this.requestThreads(this.store.threadList.query);
    else void this.updateComplete.then(() => this.composer?.focus());
  }

  private setSettingsOpen(open: boolean): void {
    this.settingsOpen = open;
    this.bridge.saveState({ settingsOpen: open });
  }

  private requestThreads(query: string): void {
    this.store.startThreadQuery(query);
    this.post({ type: 'listThreads', query, offset: 0, limit: THREAD_PAGE });
  }

  /** What each component event does: one handler per event (webview/events.ts). */
  private eventHandlers(): ChatEventHandlers {
    const threadId = () => this.store.threadId;
    return {
      header: (detail) => this.onHeader(detail),
      'thread-list': (detail) => this.onThreadList(detail),
      'message-action': (detail) => this.onMessageAction(detail),
      'code-action': (detail) => this.onCodeAction(detail),
      'open-link': (href) => this.post({ type: 'openLink', href }),
      'notice-action': (action) => this.runErrorAction(action),
      send: (text) => this.onSend(text),
      'context-search': (query) => this.post({ type: 'contextSearch', query }),
      'context-attach': (source) => this.post({ type: 'attachContext', source }),
      'context-detach': (id) => this.onDetach(id),
      stop: () => void (threadId() && this.post({ type: 'stop', threadId: threadId()! })),
      'edit-last': () => this.messageList?.editLastUserMessage(),
      'save-settings': (settings) =>
        void (threadId() && this.post({ type: 'updateSettings', threadId: threadId()!, settings })),
      'close-settings': () => this.setSettingsOpen(false),
    };
  }

  private onHeader(detail: HeaderEvent): void {
    const threadId = this.store.threadId;
    switch (detail.kind) {
      case 'toggle-threads':
        this.setThreadsOpen(!this.threadsOpen);
        break;
      case 'toggle-settings':
        this.setSettingsOpen(!this.settingsOpen);
        break;
      case 'new-thread':
        this.setThreadsOpen(false);
        this.post({ type: 'newThread' });
        break;
      case 'model':
        this.post({ type: 'selectModel', threadId, modelId: detail.modelId });
        break;
      case 'assistant':
        this.post({ type: 'selectAssistant', threadId, assistantId: detail.assistantId });
        break;
      case 'assistant-action':
        this.post({
          type: 'assistantAction',
          action: detail.action,
          ...(detail.assistant ? { assistant: detail.assistant } : {}),
        });
        break;
    }
  }

  private onThreadList(detail: ThreadListEvent): void {
    switch (detail.kind) {
      case 'search':
        this.requestThreads(detail.query);
        break;
      case 'page':
        this.store.markPageRequested(detail.offset);
        this.post({
          type: 'listThreads',
          query: this.store.threadList.query,
          offset: detail.offset,
          limit: detail.limit,
        });
        break;
      case 'select':
        if (detail.id !== this.store.threadId) this.post({ type: 'selectThread', threadId: detail.id });
        this.setThreadsOpen(false);
        break;
      case 'rename':
        this.post({ type: 'renameThread', threadId: detail.id, title: detail.title });
        break;
      case 'delete':
        this.post({ type: 'deleteThread', threadId: detail.id });
        break;
    }
  }

  private onMessageAction(detail: MessageAction): void {
    const threadId = this.store.threadId;
    if (!threadId) return;
    switch (detail.kind) {
      case 'copy':
        this.post({ type: 'copy', text: detail.message.text });
        break;
      case 'regenerate':
        this.store.truncateFrom(detail.message.id);
        this.post({ type: 'regenerate', threadId, messageId: detail.message.id, ...positionOf(detail.message) });
        break;
      case 'continue':
        this.post({ type: 'continue', threadId, messageId: detail.message.id, ...positionOf(detail.message) });
        break;
      case 'delete':
        this.store.removeMessage(detail.message.id);
        this.post({ type: 'deleteMessage', threadId, messageId: detail.message.id, ...positionOf(detail.message) });
        break;
      case 'edit':
        // The edited text comes back as a new message (OnMessageSent) right away.
        this.store.truncateFrom(detail.message.id);
        this.post({
          type: 'editAndResend',
          threadId,
          messageId: detail.message.id,
          ...positionOf(detail.message),
          text: detail.text,
        });
        break;
      case 'error':
        this.runErrorAction(detail.action, detail.message.id);
        break;
    }
  }

  private runErrorAction(action: ErrorAction, messageId?: string): void {
    if (action.kind === 'host') {
      this.post({ type: 'runAction', action: action.action });
      return;
    }
    const threadId = this.store.threadId;
    if (!threadId) return;
    if (messageId) this.store.truncateFrom(messageId);
    else this.store.clearNotice();
    this.post({ type: 'regenerate', threadId, ...(messageId ? { messageId } : {}) });
  }

  private onCodeAction({ action, code, language }: CodeAction): void {
    if (action === 'copy') this.post({ type: 'copy', text: code });
    else if (action === 'insert') this.post({ type: 'insertCode', code });
    else this.post({ type: 'applyCode', code, ...(language ? { language } : {}) });
  }

  private onSend(text: string): void {
    this.store.clearNotice();
    this.messageList?.scrollToBottom();
    const context = this.store.attached.map((item) => item.id);
    this.post({
      type: 'send',
      threadId: this.store.threadId,
      text,
      ...(context.length ? { context } : {}),
    });
    this.setAttached([]);
    this.saveDraft({ text: '', pasted: [] });
  }

  private setAttached(attached: AttachedContext[]): void {
    this.store.setAttached(attached);
    this.bridge.saveState({ attached });
  }

  private onDetach(id: string): void {
    this.setAttached(this.store.attached.filter((item) => item.id !== id));
    this.post({ type: 'detachContext', id });
  }

  private saveDraft(draft: Draft): void {
    this.bridge.saveState({ draft: draft.text, pasted: draft.pasted });
  }

  protected override firstUpdated(): void {
    const { draft, pasted } = this.bridge.state;
    const composer = this.composer;
    if (composer && (draft || pasted.length)) composer.draft = { text: draft, pasted };
  }

  protected override updated(): void {
    const store = this.store;
    const incoming = store.incomingText;
    const composer = this.composer;
    if (incoming && incoming.serial !== this.lastIncomingSerial && composer) {
      this.lastIncomingSerial = incoming.serial;
      const current = composer.draft;
      if (incoming.replace && !current.text && current.pasted.length === 0)
        composer.draft = { text: incoming.text, pasted: [] };
      else composer.appendText(incoming.text);
      this.saveDraft(composer.draft);
      if (this.threadsOpen) this.setThreadsOpen(false);
    }
    if (store.focusSerial !== this.lastFocusSerial && composer) {
      this.lastFocusSerial = store.focusSerial;
      // A command from the editor wants the chat: leave the thread list for it.
      if (this.threadsOpen) this.setThreadsOpen(false);
      void this.updateComplete.then(() => composer.focusEnd());
    }
    if (store.removed && store.removed.id !== this.shownRemovedId) {
      this.shownRemovedId = store.removed.id;
      clearTimeout(this.undoTimer);
      this.undoTimer = setTimeout(() => store.clearRemoved(), UNDO_VISIBLE_MS);
    }
  }

  private renderToasts() {
    const error = this.store.toastError;
    return html`${
      error
        ? html`<div class="toast toast-error" role="alert">
            <span class="codicon codicon-error" aria-hidden="true"></span>
            <span class="toast-text" title=${error}>${error}</span>
            <button type="button" class="icon-button" aria-label="Dismiss" @click=${() => this.store.clearToastError()}>
              <span class="codicon codicon-close" aria-hidden="true"></span>
            </button>
          </div>`
        : nothing
    }${this.renderUndo()}`;
  }

  private renderUndo() {
    const removed = this.store.removed;
    if (!removed) return nothing;
    return html`<div class="toast" role="status">
      <span class="toast-text">Deleted “${removed.title}”.</span>
      <vscode-button
        secondary
        @click=${() => {
          this.post({ type: 'undoDeleteThread', threadId: removed.id });
          this.store.clearRemoved();
        }}
        >Undo</vscode-button
      >
      <button type="button" class="icon-button" aria-label="Dismiss" @click=${() => this.store.clearRemoved()}>
        <span class="codicon codicon-close" aria-hidden="true"></span>
      </button>
    </div>`;
  }

  protected override render() {
    const store = this.store;
    if (!store) return nothing;
    if (store.startupError) {
      return html`<div class="startup-error">
        <div class="chat-error" role="alert">
          <span class="codicon codicon-error" aria-hidden="true"></span>
          <div class="chat-error-body">
            <div class="chat-error-title">Jan could not start</div>
            <div class="chat-error-message">${store.startupError}</div>
            <div class="chat-error-actions">
              <vscode-button @click=${() => this.post({ type: 'runAction', action: 'showLog' })}
                >Show Log</vscode-button
              >
            </div>
          </div>
        </div>
      </div>`;
    }
    const assistantName =
      store.assistants.find((assistant) => assistant.id === store.thread?.assistantId)?.name ?? DEFAULT_ASSISTANT_NAME;
    return html`<div class="app">
      <jan-chat-header
        .thread=${store.thread}
        .models=${store.models}
        .assistants=${store.assistants}
        .defaultModelId=${store.defaultModelId}
        .pendingModelId=${store.pendingModelId}
        .pendingAssistantId=${store.pendingAssistantId}
        .runsOn=${store.chatModel?.runsOn}
        ?threadsOpen=${this.threadsOpen}
        ?settingsOpen=${this.settingsOpen}
      ></jan-chat-header>
      ${this.threadsOpen ? nothing : html`<jan-context-meter .usage=${store.usage?.threadId === store.threadId ? store.usage : null} .attached=${store.attached}></jan-context-meter>`}
      ${this.threadsOpen ? html`<jan-thread-list class="panel" .list=${store.threadList} .activeThreadId=${store.threadId}></jan-thread-list>` : nothing}
      <div class="chat" ?hidden=${this.threadsOpen}>
        ${
          this.settingsOpen
            ? html`<jan-thread-settings
                .thread=${store.thread}
                .defaultMaxTokens=${store.defaultMaxTokens}
                .context=${store.usage?.threadId === store.thread?.id ? store.usage : null}
              ></jan-thread-settings>`
            : nothing
        }
        <jan-message-list
          .messages=${store.messages}
          .threadId=${store.threadId}
          ?busy=${store.generating}
          .notice=${store.notice}
          .assistantName=${assistantName}
          .runsOn=${store.chatModel?.runsOn}
          .firstModel=${store.models.length === 0 ? store.firstModel : undefined}
          aria-busy=${store.generating ? 'true' : 'false'}
        ></jan-message-list>
        <jan-composer
          ?busy=${store.generating}
          ?disabled=${!store.connected}
          ?canEditLast=${store.messages.some((message) => message.role === 'user')}
          .attached=${store.attached}
          .contextFiles=${store.contextFiles}
          .onDraft=${(draft: Draft) => this.saveDraft(draft)}
        ></jan-composer>
      </div>
      <div class="toasts">${this.renderToasts()}</div>
    </div>`;
  }
}
