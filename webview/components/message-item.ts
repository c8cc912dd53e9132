import { html, nothing, type PropertyValues } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { DEFAULT_ASSISTANT_NAME, type MessageView } from '@jan/protocol';
import { IncrementalMarkdown, renderMarkdown } from '../markdown/render';
import { renderSteps } from './agent-steps';
import { renderContextChips } from './context-chips';
import { emit } from '../events';
import { LightElement } from './light-element';
import { renderError, type ErrorAction } from './error-actions';

export type MessageAction =
  | { kind: 'copy'; message: MessageView }
  | { kind: 'regenerate'; message: MessageView }
  | { kind: 'continue'; message: MessageView }
  | { kind: 'delete'; message: MessageView }
  | { kind: 'edit'; message: MessageView; text: string }
  | { kind: 'error'; message: MessageView; action: ErrorAction };

function formatMeta(message: MessageView): string {
  const parts: string[] = [];
  if (message.model) parts.push(message.model);
  if (message.tokensPerSecond !== undefined && message.status !== 'pending')
    parts.push(`${message.tokensPerSecond.toFixed(1)} tok/s`);
  return parts.join(' · ');
}

/**
 * One message. Its Markdown is rendered only when its text or status changes: a finished
 * message in one pass, straight into nodes; a reply being written block by block, so each
 * frame replaces only its last block.
 */
export class JanMessage extends LightElement {
  static override properties = {
    message: { attribute: false },
    busy: { type: Boolean },
    last: { type: Boolean },
    assistantName: { attribute: false },
    editing: { state: true },
  };

  declare message: MessageView;
  /** A reply is being written in the thread: actions that change it wait. */
  declare busy: boolean;
  /** The thread's last message: only it can be continued. */
  declare last: boolean;
  declare assistantName: string;
  declare editing: boolean;

  private renderedText: string | undefined;
  private rendersBlocks = false;
  private blocks: string[] = [];
  private incremental: IncrementalMarkdown | undefined;
  private content: DocumentFragment | undefined;

  constructor() {
    super();
    this.busy = false;
    this.last = false;
    this.editing = false;
    this.assistantName = DEFAULT_ASSISTANT_NAME;
  }

  startEditing(): void {
    if (this.message.role !== 'user' || this.busy) return;
    this.editing = true;
    void this.updateComplete.then(() => {
      const editor = this.querySelector<HTMLTextAreaElement>('.message-editor textarea');
      editor?.focus();
      editor?.setSelectionRange(editor.value.length, editor.value.length);
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A message that streamed here stays in blocks when it finishes: its blocks are cached,
    // so finishing costs one last block instead of rendering the whole reply again.
    const blocks = this.message.status === 'pending' || this.rendersBlocks;
    if (changed.has('message') && (this.message.text !== this.renderedText || blocks !== this.rendersBlocks)) {
      const flavor = this.message.role === 'user' ? 'typed' : 'reply';
      this.renderedText = this.message.text;
      this.rendersBlocks = blocks;
      if (blocks) this.incremental ??= new IncrementalMarkdown(flavor);
      this.blocks = blocks ? this.incremental!.render(this.message.text) : [];
      this.content = blocks ? undefined : renderMarkdown(this.message.text, flavor);
    }
  }

  private emit(action: MessageAction): void {
    emit(this, 'message-action', action);
  }

  private submitEdit(): void {
    const editor = this.querySelector<HTMLTextAreaElement>('.message-editor textarea');
    const text = editor?.value ?? '';
    if (!text.trim()) return;
    this.editing = false;
    this.emit({ kind: 'edit', message: this.message, text });
  }

  private onEditorKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submitEdit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.editing = false;
    }
  }

  private renderActions() {
    const message = this.message;
    const pending = message.status === 'pending';
    return html`<div class="message-actions" role="toolbar" aria-label="Message actions">
      ${
        message.text
          ? html`<button
              type="button"
              class="icon-button"
              title="Copy"
              aria-label="Copy message"
              @click=${() => this.emit({ kind: 'copy', message })}
            >
              <span class="codicon codicon-copy" aria-hidden="true"></span>
            </button>`
          : nothing
      }
      ${
        message.role === 'tool'
          ? nothing
          : message.role === 'user'
            ? html`<button
                type="button"
                class="icon-button"
                title="Edit and resend"
                aria-label="Edit and resend"
                ?disabled=${this.busy}
                @click=${() => this.startEditing()}
              >
                <span class="codicon codicon-edit" aria-hidden="true"></span>
              </button>`
            : html`<button
                type="button"
                class="icon-button"
                title="Regenerate"
                aria-label="Regenerate reply"
                ?disabled=${this.busy || pending}
                @click=${() => this.emit({ kind: 'regenerate', message })}
              >
                <span class="codicon codicon-refresh" aria-hidden="true"></span>
              </button>`
      }
      <button
        type="button"
        class="icon-button"
        title="Delete"
        aria-label="Delete message"
        ?disabled=${this.busy || pending}
        @click=${() => this.emit({ kind: 'delete', message })}
      >
        <span class="codicon codicon-trash" aria-hidden="true"></span>
      </button>
    </div>`;
  }

  private renderBody() {
    const message = this.message;
    if (this.editing) {
      return html`<div class="message-editor">
        <textarea aria-label="Edit message" rows="4" .value=${message.text} @keydown=${this.onEditorKey}></textarea>
        <div class="message-editor-buttons">
          <vscode-button @click=${() => this.submitEdit()}>Save &amp; Resend</vscode-button>
          <vscode-button secondary @click=${() => (this.editing = false)}>Cancel</vscode-button>
        </div>
      </div>`;
    }
    if (message.status === 'pending' && !message.text) {
      return html`<div class="message-thinking" role="status">
        <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true"></span> Thinking…
      </div>`;
    }
    return html`<div class="markdown">${this.content ?? this.blocks.map((block) => unsafeHTML(block))}</div>`;
  }

  /** A reply the token limit cut says so, and the last one offers to go on where it stopped. */
  private renderCut() {
    const message = this.message;
    if (!message.cutAtLimit || message.status !== 'ready') return nothing;
    const tokens = message.completionTokens ? ` (${message.completionTokens} tokens)` : '';
    return html`<div class="message-note message-cut">
      <span class="codicon codicon-fold-down" aria-hidden="true"></span>
      <span>The reply stopped at the token limit${tokens}.</span>
      ${
        this.last
          ? html`<vscode-button
              secondary
              ?disabled=${this.busy}
              @click=${() => this.emit({ kind: 'continue', message })}
              >Continue</vscode-button
            >`
          : nothing
      }
    </div>`;
  }

  /** Parts of the stored message this view does not draw: named, so nothing seems lost. */
  private renderHidden() {
    const hidden = this.message.hidden;
    if (!hidden?.length) return nothing;
    return html`<div class="message-note message-hidden">
      <span class="codicon codicon-eye-closed" aria-hidden="true"></span> (not shown: ${hidden.join(' / ')})
    </div>`;
  }

  protected override render() {
    const message = this.message;
    const user = message.role === 'user';
    const tool = message.role === 'tool';
    const meta = formatMeta(message);
    return html`<article
      class="message ${user ? 'message-user' : tool ? 'message-tool' : 'message-assistant'} status-${message.status}"
      aria-label=${user ? 'Your message' : tool ? 'Tool result' : `Reply from ${this.assistantName}`}
      aria-busy=${message.status === 'pending' ? 'true' : 'false'}
    >
      <div class="message-head">
        <span
          class="codicon ${user ? 'codicon-account' : tool ? 'codicon-tools' : 'codicon-hubot'}"
          aria-hidden="true"
        ></span>
        <span class="message-role">${user ? 'You' : tool ? 'Tool' : this.assistantName}</span>
        ${meta ? html`<span class="message-meta">${meta}</span>` : nothing}
        ${this.editing ? nothing : this.renderActions()}
      </div>
      ${message.context ? renderContextChips(message.context) : nothing} ${this.renderBody()}
      ${message.steps ? renderSteps(message.steps) : nothing} ${this.renderHidden()} ${this.renderCut()}
      ${message.status === 'stopped' ? html`<div class="message-note"><span class="codicon codicon-debug-stop" aria-hidden="true"></span> Stopped</div>` : nothing}
      ${message.droppedMessages ? html`<div class="message-note">${message.droppedMessages} older message(s) were left out to fit the context window.</div>` : nothing}
      ${message.status === 'error' && message.error ? renderError(message.error, (action) => this.emit({ kind: 'error', message, action })) : nothing}
    </article>`;
  }
}
