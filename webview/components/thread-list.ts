import { html, nothing, type PropertyValues } from 'lit';
import { MAX_PAGE_SIZE, type ThreadSummary } from '@jan/protocol';
import type { ThreadListState } from '../store';
import { emit } from '../events';
import { LightElement } from './light-element';

export const THREAD_ROW_HEIGHT = 28;
export const THREAD_PAGE = 100;
const OVERSCAN_ROWS = 6;
const SEARCH_DELAY_MS = 150;

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function when(updated: number): string {
  const date = new Date(updated);
  return date.toDateString() === new Date().toDateString() ? timeFormat.format(date) : dateFormat.format(date);
}

export type ThreadListEvent =
  | { kind: 'search'; query: string }
  | { kind: 'page'; offset: number; limit: number }
  | { kind: 'select'; id: string }
  | { kind: 'rename'; id: string; title: string }
  | { kind: 'delete'; id: string };

/**
 * All threads, newest first. Only the rows in view exist in the DOM, and pages of summaries are
 * asked from the host as the user scrolls, so ten thousand threads open as fast as ten.
 */
export class JanThreadList extends LightElement {
  static override properties = {
    list: { attribute: false },
    activeThreadId: { attribute: false },
    focusIndex: { state: true },
    renamingId: { state: true },
    scrollTop: { state: true },
    viewportHeight: { state: true },
  };

  declare list: ThreadListState;
  declare activeThreadId: string | null;
  declare focusIndex: number;
  declare renamingId: string | null;
  declare scrollTop: number;
  declare viewportHeight: number;

  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.list = { query: '', items: [], total: 0, loadingOffset: undefined };
    this.activeThreadId = null;
    this.focusIndex = 0;
    this.renamingId = null;
    this.scrollTop = 0;
    this.viewportHeight = 400;
  }

  private emit(detail: ThreadListEvent): void {
    emit(this, 'thread-list', detail);
  }

  private get scroller(): HTMLElement | null {
    return this.querySelector('.thread-scroll');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
  }

  protected override firstUpdated(): void {
    const scroller = this.scroller!;
    this.resizeObserver = new ResizeObserver(() => (this.viewportHeight = scroller.clientHeight));
    this.resizeObserver.observe(scroller);
    this.querySelector<HTMLElement>('vscode-textfield')?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const { items, total, loadingOffset } = this.list;
    const lastVisible = Math.ceil((this.scrollTop + this.viewportHeight) / THREAD_ROW_HEIGHT);
    if (loadingOffset === undefined && items.length < total && lastVisible + THREAD_PAGE / 2 > items.length) {
      // A jump far down (dragging the scrollbar) asks for everything up to there at once.
      const limit = Math.min(MAX_PAGE_SIZE, Math.max(THREAD_PAGE, lastVisible + THREAD_PAGE - items.length));
      this.emit({ kind: 'page', offset: items.length, limit });
    }
    if (changed.has('renamingId') && this.renamingId) {
      const input = this.querySelector<HTMLInputElement>('.thread-rename');
      input?.focus();
      input?.select();
    }
  }

  private onSearch(event: Event): void {
    const query = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.focusIndex = 0;
      const scroller = this.scroller;
      if (scroller) scroller.scrollTop = 0;
      this.emit({ kind: 'search', query });
    }, SEARCH_DELAY_MS);
  }

  private moveFocus(index: number): void {
    const count = this.list.items.length;
    if (count === 0) return;
    this.focusIndex = Math.max(0, Math.min(count - 1, index));
    const scroller = this.scroller!;
    const top = this.focusIndex * THREAD_ROW_HEIGHT;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + THREAD_ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight)
      scroller.scrollTop = top + THREAD_ROW_HEIGHT - scroller.clientHeight;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.renamingId) return;
    const item = this.list.items[this.focusIndex];
    const page = Math.max(1, Math.floor(this.viewportHeight / THREAD_ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.focusIndex + 1,
      ArrowUp: this.focusIndex - 1,
      PageDown: this.focusIndex + page,
      PageUp: this.focusIndex - page,
      Home: 0,
      End: this.list.items.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      this.moveFocus(moves[event.key]!);
    } else if (event.key === 'Enter' && item) {
      event.preventDefault();
      this.emit({ kind: 'select', id: item.id });
    } else if (event.key === 'F2' && item) {
      event.preventDefault();
      this.renamingId = item.id;
    } else if (event.key === 'Delete' && item) {
      event.preventDefault();
      this.emit({ kind: 'delete', id: item.id });
    }
  }

  private finishRename(item: ThreadSummary, input: HTMLInputElement, commit: boolean): void {
    if (this.renamingId !== item.id) return;
    this.renamingId = null;
    const title = input.value.trim();
    if (commit && title && title !== item.title) this.emit({ kind: 'rename', id: item.id, title });
    this.scroller?.focus();
  }

  private renderRow(item: ThreadSummary, index: number) {
    const active = item.id === this.activeThreadId;
    const focused = index === this.focusIndex;
    const renaming = this.renamingId === item.id;
    return html`<div
      id="jan-thread-${index}"
      class="thread-row ${active ? 'active' : ''} ${focused ? 'focused' : ''}"
      role="option"
      aria-selected=${active ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${this.list.total}
      .style=${`transform: translateY(${index * THREAD_ROW_HEIGHT}px)`}
      @click=${() => {
        this.focusIndex = index;
        if (!renaming) this.emit({ kind: 'select', id: item.id });
      }}
    >
      ${
        renaming
          ? html`<input
              class="thread-rename"
              aria-label="New title"
              .value=${item.title}
              @click=${(event: Event) => event.stopPropagation()}
              @keydown=${(event: KeyboardEvent) => {
                event.stopPropagation();
                if (event.key === 'Enter') this.finishRename(item, event.target as HTMLInputElement, true);
                if (event.key === 'Escape') this.finishRename(item, event.target as HTMLInputElement, false);
              }}
              @blur=${(event: Event) => this.finishRename(item, event.target as HTMLInputElement, true)}
            />`
          : html`<span class="thread-title" title=${item.title}>${item.title}</span>
              <span class="thread-date">${when(item.updated)}</span>
              <span class="thread-actions">
                <button
                  type="button"
                  class="icon-button"
                  tabindex="-1"
                  title="Rename (F2)"
                  aria-label="Rename thread"
                  @click=${(event: Event) => {
                    event.stopPropagation();
                    this.renamingId = item.id;
                  }}
                >
                  <span class="codicon codicon-edit" aria-hidden="true"></span>
                </button>
                <button
                  type="button"
                  class="icon-button"
                  tabindex="-1"
                  title="Delete (Del)"
                  aria-label="Delete thread"
                  @click=${(event: Event) => {
                    event.stopPropagation();
                    this.emit({ kind: 'delete', id: item.id });
                  }}
                >
                  <span class="codicon codicon-trash" aria-hidden="true"></span>
                </button>
              </span>`
      }
    </div>`;
  }

  protected override render() {
    const { items, total, query } = this.list;
    const first = Math.max(0, Math.floor(this.scrollTop / THREAD_ROW_HEIGHT) - OVERSCAN_ROWS);
    const last = Math.min(
      items.length,
      Math.ceil((this.scrollTop + this.viewportHeight) / THREAD_ROW_HEIGHT) + OVERSCAN_ROWS,
    );
    const rows = [];
    for (let index = first; index < last; index++) rows.push(this.renderRow(items[index]!, index));
    const status =
      total === 0 && this.list.loadingOffset === undefined
        ? query
          ? `No thread title contains “${query}”.`
          : 'No threads yet. Your conversations will appear here.'
        : `${total} thread${total === 1 ? '' : 's'}`;
    return html`<div class="thread-search">
        <vscode-textfield
          type="search"
          placeholder="Search by title"
          aria-label="Search threads by title"
          .value=${query}
          @input=${this.onSearch}
        >
          <vscode-icon slot="content-before" name="search" aria-hidden="true"></vscode-icon>
        </vscode-textfield>
      </div>
      <div class="thread-status" role="status">${status}</div>
      <div
        class="thread-scroll"
        role="listbox"
        tabindex="0"
        aria-label="Threads, newest first. Enter opens, F2 renames, Delete deletes."
        aria-activedescendant=${items.length ? `jan-thread-${this.focusIndex}` : nothing}
        @scroll=${(event: Event) => (this.scrollTop = (event.target as HTMLElement).scrollTop)}
        @keydown=${this.onKeyDown}
      >
        <div class="thread-spacer" .style=${`height: ${total * THREAD_ROW_HEIGHT}px`}>${rows}</div>
      </div>`;
  }
}
