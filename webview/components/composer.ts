import { html, nothing, type PropertyValues } from 'lit';
import type { AttachedContext, ChatMode } from '@jan/protocol';
import { renderContextChips } from './context-chips';
import {
  mentionAt,
  optionId,
  PICKER_ID,
  pickerItems,
  renderPicker,
  type ContextResults,
  type PickerItem,
} from './context-picker';
import { emit } from '../events';
import { LightElement } from './light-element';
import { renderModeSwitch } from './mode-switch';

const DRAFT_SAVE_DELAY_MS = 400;
const MAX_ROWS = 12;
/**
 * Text over this size is kept beside the input as an attachment, not in it: a textarea holding
 * a megabyte re-lays out all of it on every keystroke (measured: ~0.4 s per key in Chromium).
 */
export const LARGE_TEXT_CHARS = 32 * 1024;

export interface Draft {
  text: string;
  pasted: string[];
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(chars / 1024)} KB`;
}

/** Lines in `text`, counted only up to `limit`: a 1 MB paste costs no more than a short one. */
function lineCount(text: string, limit: number): number {
  let lines = 1;
  let at = text.indexOf('\n');
  while (at >= 0 && lines < limit) {
    lines++;
    at = text.indexOf('\n', at + 1);
  }
  return lines;
}

/**
 * The message input: a plain textarea on purpose, where nothing is parsed or highlighted while
 * typing. A large paste becomes an attachment shown as a chip and sent with the message, so
 * the input stays fast. The draft is saved after typing pauses.
 */
export class JanComposer extends LightElement {
  static override properties = {
    busy: { type: Boolean },
    disabled: { type: Boolean },
    canEditLast: { type: Boolean },
    mode: { attribute: false },
    attached: { attribute: false },
    contextFiles: { attribute: false },
    hasText: { state: true },
    pasted: { state: true },
    mention: { state: true },
    activeOption: { state: true },
  };

  declare busy: boolean;
  declare disabled: boolean;
  /** The thread has a message of the user's that ArrowUp would edit. */
  declare canEditLast: boolean;
  /** Chat or Agent: how the next message is answered. */
  declare mode: ChatMode;
  /** `@` attachments sent with the next message (their content is on the host). */
  declare attached: AttachedContext[];
  /** The host's file matches for an `@` query. */
  declare contextFiles: ContextResults;
  declare hasText: boolean;
  declare pasted: Array<{ text: string; lines: number }>;
  /** The `@` being typed, while the picker is open. */
  declare mention: { start: number; query: string } | undefined;
  declare activeOption: number;

  /** Called with the draft after typing pauses. */
  onDraft: (draft: Draft) => void = () => {};
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private initialDraft = '';

  constructor() {
    super();
    this.busy = false;
    this.disabled = false;
    this.canEditLast = false;
    this.mode = 'chat';
    this.hasText = false;
    this.pasted = [];
    this.attached = [];
    this.contextFiles = { query: '', files: [], offers: [] };
    this.activeOption = 0;
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.querySelector('textarea');
  }

  get draft(): Draft {
    return { text: this.textarea?.value ?? this.initialDraft, pasted: this.pasted.map((item) => item.text) };
  }

  /** Replaces the whole draft (a draft restored after hide/show, a message that failed to send). */
  set draft(draft: Draft) {
    this.pasted = [];
    for (const text of draft.pasted) this.attach(text);
    const textarea = this.textarea;
    if (draft.text.length > LARGE_TEXT_CHARS) {
      this.attach(draft.text);
      this.setText('');
    } else if (!textarea) {
      this.initialDraft = draft.text;
    } else {
      this.setText(draft.text);
    }
    this.refresh();
  }

  /** Adds text at the end (a selection sent from the editor), separated by a blank line. */
  appendText(text: string): void {
    if (text.length > LARGE_TEXT_CHARS) {
      this.attach(text);
    } else {
      const current = this.textarea?.value ?? '';
      const separator = current && !current.endsWith('\n\n') ? (current.endsWith('\n') ? '\n' : '\n\n') : '';
      this.setText(current + separator + text);
    }
    this.afterChange();
    this.focusEnd();
  }

  private setText(text: string): void {
    const textarea = this.textarea;
    if (textarea) textarea.value = text;
    else this.initialDraft = text;
  }

  private attach(text: string): void {
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    this.pasted = [...this.pasted, { text, lines }];
  }

  private onPaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (text.length <= LARGE_TEXT_CHARS) return;
    event.preventDefault();
    this.attach(text);
    this.afterChange();
  }

  private removePasted(index: number): void {
    this.pasted = this.pasted.filter((_, at) => at !== index);
    this.afterChange();
    this.focus();
  }

  focusEnd(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    textarea.scrollTop = textarea.scrollHeight;
  }

  override focus(): void {
    this.textarea?.focus();
  }

  protected override firstUpdated(_changed: PropertyValues<this>): void {
    if (this.initialDraft) this.setText(this.initialDraft);
    this.refresh();
  }

  private refresh(): void {
    const textarea = this.textarea;
    const text = textarea?.value ?? this.initialDraft;
    this.hasText = text.length > 0 || this.pasted.length > 0;
    if (textarea) textarea.rows = Math.min(lineCount(text, MAX_ROWS), MAX_ROWS);
  }

  private afterChange(): void {
    this.refresh();
    this.updateMention();
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.onDraft(this.draft), DRAFT_SAVE_DELAY_MS);
  }

  private submit(): void {
    const textarea = this.textarea;
    if (!textarea || this.busy || this.disabled) return;
    const parts = [textarea.value, ...this.pasted.map((item) => item.text)].filter((part) => part.trim());
    if (parts.length === 0) return;
    emit(this, 'send', parts.join('\n\n'));
    textarea.value = '';
    this.pasted = [];
    this.afterChange();
  }

  // ── `@` context ──

  private updateMention(): void {
    const textarea = this.textarea;
    const found =
      textarea && textarea.selectionStart === textarea.selectionEnd
        ? mentionAt(textarea.value, textarea.selectionStart)
        : undefined;
    if (found?.query !== this.mention?.query || (found && !this.mention)) {
      this.activeOption = 0;
      if (found) emit(this, 'context-search', found.query);
    }
    this.mention = found;
  }

  private get pickerOptions(): PickerItem[] {
    const mention = this.mention;
    if (!mention) return [];
    const found = this.contextFiles.query === mention.query ? this.contextFiles : undefined;
    return pickerItems(mention.query, found?.files ?? [], found?.offers ?? []);
  }

  private pick(item: PickerItem): void {
    const textarea = this.textarea;
    const mention = this.mention;
    if (textarea && mention) {
      const end = mention.start + 1 + mention.query.length;
      textarea.value = textarea.value.slice(0, mention.start) + textarea.value.slice(end);
      textarea.setSelectionRange(mention.start, mention.start);
    }
    this.mention = undefined;
    emit(this, 'context-attach', item.source);
    this.afterChange();
    this.focus();
  }

  private removeAttached(index: number): void {
    const chip = this.attached[index];
    if (chip) emit(this, 'context-detach', chip.id);
    this.focus();
  }

  /** Arrow keys, Enter/Tab and Escape drive an open picker; true when the key was its. */
  private pickerKey(event: KeyboardEvent): boolean {
    if (!this.mention) return false;
    const options = this.pickerOptions;
    if (event.key === 'Escape') {
      this.mention = undefined;
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (options.length)
        this.activeOption = (this.activeOption + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
    } else if ((event.key === 'Enter' || event.key === 'Tab') && options.length) {
      this.pick(options[Math.min(this.activeOption, options.length - 1)]!);
    } else {
      return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  /** A file dragged from the explorer (VS Code asks for Shift to drop into a view) or from the OS. */
  private onDrop(event: DragEvent): void {
    const data = event.dataTransfer;
    const list = data?.getData('application/vnd.code.uri-list') || data?.getData('text/uri-list') || '';
    const uris = list
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (uris.length === 0) return;
    event.preventDefault();
    for (const uri of uris.slice(0, 20)) emit(this, 'context-attach', { kind: 'uri', uri });
  }

  private onDragOver(event: DragEvent): void {
    const types = event.dataTransfer?.types ?? [];
    if (types.includes('text/uri-list') || types.includes('application/vnd.code.uri-list')) event.preventDefault();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing || this.pickerKey(event)) return;
    if (
      event.key === 'Backspace' &&
      this.textarea?.value.length === 0 &&
      this.pasted.length === 0 &&
      this.attached.length > 0
    ) {
      event.preventDefault();
      this.removeAttached(this.attached.length - 1);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'ArrowUp' && this.textarea?.value.length === 0 && this.pasted.length === 0) {
      event.preventDefault();
      emit(this, 'edit-last');
    }
  }

  protected override render() {
    const options = this.pickerOptions;
    const open = this.mention !== undefined;
    return html`<div class="composer" @dragover=${this.onDragOver} @drop=${this.onDrop}>
      ${renderContextChips(this.attached, (index) => this.removeAttached(index))}
      ${open ? renderPicker(options, this.activeOption, (item) => this.pick(item)) : nothing}
      ${this.pasted.map(
        (item, index) =>
          html`<div class="paste-chip" role="group" aria-label="Pasted text, sent with the message">
            <span class="codicon codicon-clippy" aria-hidden="true"></span>
            <span class="paste-chip-label"
              >Pasted text · ${formatSize(item.text.length)} · ${item.lines.toLocaleString()} lines</span
            >
            <button
              type="button"
              class="icon-button"
              aria-label="Remove pasted text"
              title="Remove"
              @click=${() => this.removePasted(index)}
            >
              <span class="codicon codicon-close" aria-hidden="true"></span>
            </button>
          </div>`,
      )}
      <textarea
        rows="1"
        aria-label="Message to Jan"
        placeholder=${this.mode === 'agent' ? 'Tell Jan what to do in this workspace…' : 'Ask Jan…'}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${PICKER_ID}
        aria-activedescendant=${open && options.length ? optionId(Math.min(this.activeOption, options.length - 1)) : ''}
        ?disabled=${this.disabled}
        @input=${this.afterChange}
        @blur=${() => (this.mention = undefined)}
        @paste=${this.onPaste}
        @keydown=${this.onKeyDown}
      ></textarea>
      <div class="composer-bar">
        ${renderModeSwitch(this.mode, (mode) => emit(this, 'mode', mode))}
        <span class="composer-hint"
          >${this.busy ? 'Esc stops the reply' : this.canEditLast ? 'Enter sends · ↑ edits your last message' : 'Enter sends · Shift+Enter adds a line'}</span
        >
        ${
          this.busy
            ? html`<vscode-button
                secondary
                icon="debug-stop"
                class="stop-button"
                aria-label="Stop generating"
                @click=${() => emit(this, 'stop')}
                >Stop</vscode-button
              >`
            : html`<vscode-button
                icon="send"
                class="send-button"
                aria-label="Send message"
                ?disabled=${!this.hasText || this.disabled}
                @click=${() => this.submit()}
                >Send</vscode-button
              >`
        }
      </div>
    </div>`;
  }
}
