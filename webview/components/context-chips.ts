import { html, nothing } from 'lit';
import type { ContextChip } from '@jan/protocol';

const ICONS: Record<ContextChip['kind'], string> = {
  file: 'file',
  selection: 'list-selection',
  editors: 'files',
  problems: 'warning',
  diff: 'git-compare',
  codebase: 'search',
};

export function formatTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(tokens >= 10_000 ? 0 : 1)}k` : String(tokens);
}

/** Attached context as chips: what, about how many tokens, and why it was cut; removable when `remove` is given. */
export function renderContextChips(chips: readonly ContextChip[], remove?: (index: number) => void) {
  if (chips.length === 0) return nothing;
  return html`<ul class="context-chips" aria-label="Attached context">
    ${chips.map(
      (chip, index) =>
        html`<li class="context-chip" title=${chip.note ? `${chip.label}: ${chip.note}` : chip.label}>
          <span class="codicon codicon-${ICONS[chip.kind]}" aria-hidden="true"></span>
          <span class="context-chip-label">${chip.label}</span>
          <span class="context-chip-tokens">≈${formatTokens(chip.tokens)} tokens</span>
          ${chip.note ? html`<span class="codicon codicon-info context-chip-note" role="img" aria-label=${chip.note}></span>` : nothing}
          ${
            remove
              ? html`<button
                  type="button"
                  class="icon-button"
                  aria-label=${`Remove ${chip.label}`}
                  title="Remove"
                  @click=${() => remove(index)}
                >
                  <span class="codicon codicon-close" aria-hidden="true"></span>
                </button>`
              : nothing
          }
        </li>`,
    )}
  </ul>`;
}
