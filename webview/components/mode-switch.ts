import { html } from 'lit';
import type { ChatMode } from '@jan/protocol';

const MODES: ReadonlyArray<{ mode: ChatMode; label: string; icon: string; title: string }> = [
  { mode: 'chat', label: 'Chat', icon: 'comment-discussion', title: 'Chat: Jan answers' },
  {
    mode: 'agent',
    label: 'Agent',
    icon: 'tools',
    title: 'Agent: Jan may read, search and (after you allow it) edit files and run commands',
  },
];

/**
 * The composer's Chat / Agent switch: a radio group with one tab stop, arrow keys move the
 * choice (the WAI-ARIA radio group pattern), each option a button a pointer can click.
 */
export function renderModeSwitch(mode: ChatMode, choose: (mode: ChatMode) => void) {
  const onKey = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const at = MODES.findIndex((item) => item.mode === mode);
    const next = MODES[(at + step + MODES.length) % MODES.length]!.mode;
    choose(next);
    const group = event.currentTarget as HTMLElement;
    void Promise.resolve().then(() => group.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus());
  };
  return html`<div class="mode-switch" role="radiogroup" aria-label="Answer mode" @keydown=${onKey}>
    ${MODES.map(
      (item) =>
        html`<button
          type="button"
          role="radio"
          class="mode-option"
          data-mode=${item.mode}
          aria-checked=${item.mode === mode ? 'true' : 'false'}
          tabindex=${item.mode === mode ? '0' : '-1'}
          title=${item.title}
          @click=${() => choose(item.mode)}
        >
          <span class="codicon codicon-${item.icon}" aria-hidden="true"></span>${item.label}
        </button>`,
    )}
  </div>`;
}
