import { html, nothing } from 'lit';
import type { FileDiffView, ToolStepView } from '@jan/protocol';

const OUTCOME_ICONS: Record<NonNullable<ToolStepView['outcome']>, string> = {
  ok: 'pass',
  error: 'error',
  denied: 'circle-slash',
  invalid: 'warning',
  timeout: 'watch',
  repeated: 'history',
  stopped: 'debug-stop',
};

/**
 * An agent's tool calls, one line each (tool and its one-line result), each expandable to its
 * arguments: a native `<details>`, so Enter/Space open it and screen readers say its state.
 */
export function renderSteps(steps: readonly ToolStepView[]) {
  if (steps.length === 0) return nothing;
  return html`<ol class="agent-steps" aria-label="Tool calls">
    ${steps.map((step) => {
      const running = step.outcome === undefined;
      const icon = running ? 'loading codicon-modifier-spin' : OUTCOME_ICONS[step.outcome!];
      return html`<li class="agent-step outcome-${step.outcome ?? 'running'}">
        <details>
          <summary>
            <span class="codicon codicon-${icon}" aria-hidden="true"></span>
            <span class="step-tool">${step.tool}</span>
            <span class="step-summary">${running ? 'running…' : (step.summary ?? step.outcome)}</span>
          </summary>
          <pre class="step-arguments" aria-label="Arguments">${step.arguments}</pre>
        </details>
      </li>`;
    })}
  </ol>`;
}

function lineKind(line: string): string {
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return line.startsWith('@@') ? 'hunk' : 'same';
}

/** A unified diff, each line marked added, removed or context (colours from the theme's diff colours). */
export function renderDiff(file: FileDiffView, open?: () => void) {
  const label = file.kind === 'create' ? 'new file' : file.kind === 'delete' ? 'deleted' : 'edited';
  const lines = file.diff
    .split('\n')
    .map((line) => html`<span class="diff-line diff-${lineKind(line)}">${line}</span>`);
  return html`<figure class="agent-diff">
    <figcaption>
      <span class="diff-path">${file.path}</span> <span class="diff-kind">${label}</span>
      ${
        open
          ? html`<button type="button" class="link-button open-diff" @click=${open}>Open in diff editor</button>`
          : nothing
      }
    </figcaption>
    <pre class="diff-lines">${lines}</pre>
  </figure>`;
}
