import { html, nothing } from 'lit';
import type { ContextSource } from '@jan/protocol';

export interface PickerItem {
  key: string;
  label: string;
  detail: string;
  icon: string;
  source: ContextSource;
}

const SOURCES: PickerItem[] = [
  {
    key: 'selection',
    label: 'Current selection',
    detail: 'the code selected in the editor',
    icon: 'list-selection',
    source: { kind: 'selection' },
  },
  {
    key: 'editors',
    label: 'Open editors',
    detail: 'every file open in the editor',
    icon: 'files',
    source: { kind: 'editors' },
  },
  {
    key: 'problems',
    label: 'Problems',
    detail: 'errors and warnings in the current file',
    icon: 'warning',
    source: { kind: 'problems' },
  },
  { key: 'diff', label: 'Git diff', detail: 'the working changes', icon: 'git-compare', source: { kind: 'diff' } },
  {
    key: 'codebase',
    label: 'Codebase',
    detail: 'code matching your message',
    icon: 'search',
    source: { kind: 'codebase' },
  },
];

/** What `@query` offers: the editor's sources whose name matches, then the workspace files the host found. */
export function pickerItems(query: string, files: readonly string[]): PickerItem[] {
  const needle = query.toLowerCase();
  const sources = SOURCES.filter((item) => item.label.toLowerCase().includes(needle) || item.key.includes(needle));
  return [
    ...sources,
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
