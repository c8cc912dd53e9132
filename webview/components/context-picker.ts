import { html, nothing } from 'lit';
import type { ContextOffer, ContextSource } from '@jan/protocol';

export interface PickerItem {
  key: string;
  label: string;
  detail: string;
  icon: string;
  source: ContextSource;
}

/** `@codebase`: searched on the host when the message is sent, so it is offered by name here. */
const CODEBASE: PickerItem = {
  key: 'codebase',
  label: 'Codebase',
  detail: 'code matching your message',
  icon: 'search',
  source: { kind: 'codebase' },
};

/** The host's answer to an `@` query: workspace files, and what registered sources offer. */
export interface ContextResults {
  query: string;
  files: string[];
  offers: ContextOffer[];
}

/**
 * What `@query` offers: what the registered sources offer (the host's answer: the editor's
 * selection, open editors, problems and git diff, and other extensions' sources), `@codebase` when
 * its name matches, then the workspace files the host found.
 */
export function pickerItems(query: string, files: readonly string[], offers: readonly ContextOffer[]): PickerItem[] {
  const needle = query.toLowerCase();
  return [
    ...offers.map((offer) => ({
      key: `registered:${offer.source}:${offer.item ?? ''}`,
      label: offer.label,
      detail: offer.detail,
      icon: offer.icon,
      source: {
        kind: 'registered' as const,
        source: offer.source,
        ...(offer.item === undefined ? {} : { item: offer.item }),
      },
    })),
    ...(CODEBASE.key.includes(needle) ? [CODEBASE] : []),
    ...files.map((file) => {
      const slash = file.lastIndexOf('/');
      return {
        key: `file:${file}`,
        label: file.slice(slash + 1),
        detail: slash > 0 ? file.slice(0, slash) : '',
        icon: 'file',
        source: { kind: 'file' as const, path: file },
      };
    }),
  ];
}

/** The `@` token being typed just before the caret, or undefined. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(^|\s)@([^\s@]*)$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2]!.length - 1, query: match[2]! } : undefined;
}

export const PICKER_ID = 'jan-context-picker';

export function optionId(index: number): string {
  return `${PICKER_ID}-${index}`;
}

/** The listbox under the input; the textarea keeps focus and points at the active option. */
export function renderPicker(items: readonly PickerItem[], active: number, pick: (item: PickerItem) => void) {
  return html`<div class="context-picker" id=${PICKER_ID} role="listbox" aria-label="Attach context">
    ${items.length === 0 ? html`<div class="context-picker-empty">No matching files</div>` : nothing}
    ${items.map(
      (item, index) =>
        html`<div
          class="context-option ${index === active ? 'active' : ''}"
          id=${optionId(index)}
          role="option"
          aria-selected=${index === active ? 'true' : 'false'}
          @mousedown=${(event: Event) => {
            event.preventDefault();
            pick(item);
          }}
        >
          <span class="codicon codicon-${item.icon}" aria-hidden="true"></span>
          <span class="context-option-label">${item.label}</span>
          <span class="context-option-detail">${item.detail}</span>
        </div>`,
    )}
  </div>`;
}
