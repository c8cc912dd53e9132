import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  DEFAULT_ASSISTANT_NAME,
  type ChatError,
  type FirstModel,
  type MessageView,
  type RunsOnView,
} from '@jan/protocol';
import { emit } from '../events';
import { LightElement } from './light-element';
import { renderError, type ErrorAction } from './error-actions';
import type { JanMessage } from './message-item';

/** Messages rendered when a thread opens (more than a tall sidebar shows). */
export const FIRST_PAGE = 12;
/** Older messages are rendered this many at a time: while the browser is idle, up to */
/** PRERENDER_LIMIT of them, and the rest as the user scrolls up. */
export const MESSAGE_PAGE = 10;
const PRERENDER_LIMIT = 60;
const BOTTOM_SLACK_PX = 48;

export type CodeAction = { action: 'copy' | 'insert' | 'apply'; code: string; language: string };

/**
 * Keys for `repeat`: the id, and for a second line with the same id (files Jan or people wrote
 * can repeat one) the id with its occurrence, so each copy keeps its own element.
 */
function occurrenceKeys(messages: readonly MessageView[]): (message: MessageView, index: number) => string {
  const keys = new Map<MessageView, string>();
  const seen = new Map<string, number>();
  for (const message of messages) {
    const count = (seen.get(message.id) ?? 0) + 1;
    seen.set(message.id, count);
    keys.set(message, count === 1 ? message.id : `${message.id}#${count}`);
  }
  return (message) => keys.get(message) ?? message.id;
}

/**
 * The thread's messages, rendered from the newest backwards: opening a thread of thousands of
 * messages costs one page, and scrolling up renders the next page above.
 */
export class JanMessageList extends LightElement {
  static override properties = {
    messages: { attribute: false },
    threadId: { attribute: false },
    busy: { type: Boolean },
    notice: { attribute: false },
    assistantName: { attribute: false },
    firstModel: { attribute: false },
    runsOn: { attribute: false },
    start: { state: true },
  };

  declare messages: MessageView[];
  declare threadId: string | null;
  declare busy: boolean;
  declare notice: ChatError | null;
  declare assistantName: string;
  /** Set when no model is installed: the empty chat shows how to get one instead of a welcome. */
  declare firstModel: FirstModel | undefined;
  /** Where the chat's model runs; the welcome says so (undefined: no model known yet). */
  declare runsOn: RunsOnView | undefined;
  /** Index of the first rendered message. */
  declare start: number;

  private stickToBottom = true;
  private idleHandle: number | undefined;
  private observer: IntersectionObserver | undefined;
  private observedSentinel: Element | null = null;

  constructor() {
    super();
    this.messages = [];
    this.threadId = null;
    this.busy = false;
    this.notice = null;
    this.assistantName = DEFAULT_ASSISTANT_NAME;
    this.start = 0;
    this.addEventListener(
      'scroll',
      () => {
        this.stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < BOTTOM_SLACK_PX;
      },
      { passive: true },
    );
    this.addEventListener('click', (event) => this.onClick(event));
    this.addEventListener('auxclick', (event) => this.onClick(event));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'log');
    this.setAttribute('aria-label', 'Messages');
    this.tabIndex = 0;
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.showEarlier();
      },
      { root: this, rootMargin: '400px 0px 0px 0px' },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observedSentinel = null;
    if (this.idleHandle !== undefined) cancelIdleCallback(this.idleHandle);
  }

  /** Renders a few older messages whenever the browser is idle, so scrolling up finds them ready. */
  private prerenderWhenIdle(): void {
    if (this.idleHandle !== undefined || this.start === 0 || this.messages.length - this.start >= PRERENDER_LIMIT)
      return;
    this.idleHandle = requestIdleCallback(() => {
      this.idleHandle = undefined;
      this.showEarlier();
    });
  }

  private showEarlier(): void {
    if (this.start > 0) this.start = Math.max(0, this.start - MESSAGE_PAGE);
  }

  /** Edits the last message the user sent (ArrowUp in an empty input). */
  editLastUserMessage(): boolean {
    const last = [...this.messages].reverse().find((message) => message.role === 'user');
    if (!last) return false;
    const element = [...this.querySelectorAll<JanMessage>('jan-message')].find((item) => item.message.id === last.id);
    if (!element) return false;
    element.scrollIntoView({ block: 'nearest' });
    element.startEditing();
    return true;
  }

  scrollToBottom(): void {
    this.stickToBottom = true;
    this.scrollTop = this.scrollHeight;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('threadId')) {
      this.start = Math.max(0, this.messages.length - FIRST_PAGE);
      this.stickToBottom = true;
    } else if (this.start > this.messages.length) {
      this.start = Math.max(0, this.messages.length - FIRST_PAGE);
    }
  }

  protected override updated(): void {
    const sentinel = this.querySelector('.load-earlier');
    if (sentinel !== this.observedSentinel) {
      if (this.observedSentinel) this.observer?.unobserve(this.observedSentinel);
      if (sentinel) this.observer?.observe(sentinel);
      this.observedSentinel = sentinel;
    }
    if (this.stickToBottom) this.scrollTop = this.scrollHeight;
    this.prerenderWhenIdle();
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const link = target?.closest('.markdown a[href]');
    if (link) {
      // Links from model output never navigate the webview; the host checks and opens them.
      event.preventDefault();
      emit(this, 'open-link', link.getAttribute('href') ?? '');
      return;
    }
    if (event.type !== 'click') return;
    const button = target?.closest<HTMLButtonElement>('.code-block .code-action');
    if (!button) return;
    const block = button.closest('.code-block');
    const code = block?.querySelector('pre > code');
    if (!code) return;
    const action = button.dataset.action;
    if (action !== 'copy' && action !== 'insert' && action !== 'apply') return;
    const detail: CodeAction = { action, code: code.textContent ?? '', language: code.getAttribute('data-lang') ?? '' };
    emit(this, 'code-action', detail);
  }

  private renderFirstRun(first: FirstModel) {
    const action = (action: 'downloadModel' | 'importModel') => () =>
      emit(this, 'notice-action', { kind: 'host', action, label: '' });
    return html`<div class="welcome first-run">
      <span class="codicon codicon-rocket" aria-hidden="true"></span>
      <h2>Get a model to start</h2>
      <p>
        Jan answers with a model that runs on this machine, and none is installed yet. <strong>${first.name}</strong> is
        a good first one here: a ${first.download} download that needs about ${first.memory} of this machine's
        ${first.machineMemory} of RAM.
      </p>
      <div class="first-run-actions">
        <vscode-button icon="cloud-download" @click=${action('downloadModel')}>Download a Model…</vscode-button>
        <vscode-button secondary icon="folder-opened" @click=${action('importModel')}
          >Import a GGUF File…</vscode-button
        >
      </div>
      <p class="first-run-hint">
        Download lists ${first.name} and other models sized for a laptop; Import uses a .gguf file you already have.
      </p>
    </div>`;
  }

  /** Where what the user sends goes: this view must never say "this machine" for a remote model. */
  private renderWhere() {
    const runsOn = this.runsOn;
    if (!runsOn) return 'Pick a chat model above to start.';
    if (runsOn.kind === 'local') return 'Replies are written by a model on this machine.';
    return html`Replies are written by a model on <strong>${runsOn.host}</strong>: what you send goes there.`;
  }

  private renderEmpty() {
    if (this.firstModel) return this.renderFirstRun(this.firstModel);
    return html`<div class="welcome">
      <span class="codicon codicon-comment-discussion" aria-hidden="true"></span>
      <h2>Ask Jan anything</h2>
      <p>
        ${this.renderWhere()} Select code in an editor and use <strong>Add Selection to Jan Chat</strong> to ask about
        it.
      </p>
    </div>`;
  }

  protected override render() {
    const visible = this.start > 0 ? this.messages.slice(this.start) : this.messages;
    return html`
      ${
        this.start > 0
          ? html`<div class="load-earlier">
              <button type="button" class="link-button" @click=${() => this.showEarlier()}>
                Show ${this.start} earlier message${this.start === 1 ? '' : 's'}
              </button>
            </div>`
          : nothing
      }
      ${this.messages.length === 0 && !this.notice ? this.renderEmpty() : nothing}
      ${repeat(
        visible,
        occurrenceKeys(visible),
        (message) =>
          html`<jan-message
            .message=${message}
            ?busy=${this.busy}
            ?last=${message === visible.at(-1)}
            .assistantName=${this.assistantName}
          ></jan-message>`,
      )}
      ${this.notice ? renderError(this.notice, (action: ErrorAction) => emit(this, 'notice-action', action)) : nothing}
    `;
  }
}
