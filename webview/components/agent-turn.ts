import { html, nothing } from 'lit';
import type { AgentTurnView, ApprovalView } from '@jan/protocol';
import { emit } from '../events';
import { renderDiff, renderSteps } from './agent-steps';
import { LightElement } from './light-element';

/** The command line a `run` call would run, when its arguments name one (`run_command`'s `command`). */
function commandOf(approval: ApprovalView): string | undefined {
  if (approval.effect !== 'run') return undefined;
  try {
    const args: unknown = JSON.parse(approval.arguments);
    const command = (args as { command?: unknown } | null)?.command;
    return typeof command === 'string' ? command : undefined;
  } catch {
    // Shortened or not JSON: the arguments are shown as they are.
    return undefined;
  }
}

export type AgentAction =
  | { kind: 'approve'; callId: string; decision: 'allow-once' | 'allow-always' }
  | { kind: 'deny'; callId: string; reason: string }
  | { kind: 'revert'; turnId: string }
  | { kind: 'open-diff'; callId: string; path: string };

/**
 * The open thread's agent turn: its steps as they happen, the call waiting for approval (with
 * the diff of the files it would change), and when it is over, the files it changed with Revert.
 */
export class JanAgentTurn extends LightElement {
  static override properties = { turn: { attribute: false } };

  declare turn: AgentTurnView | null;

  constructor() {
    super();
    this.turn = null;
  }

  private reason(): string {
    return this.querySelector<HTMLInputElement>('.approval-reason')?.value.trim() ?? '';
  }

  private renderApproval(approval: ApprovalView) {
    const command = commandOf(approval);
    const what = approval.effect === 'run' ? 'run a command' : 'change files';
    const from = approval.source === 'jan' ? '' : ` (from ${approval.source})`;
    const answer = (decision: 'allow-once' | 'allow-always') =>
      emit(this, 'agent-action', { kind: 'approve', callId: approval.callId, decision });
    return html`<section class="agent-approval" role="group" aria-labelledby="approval-title">
      <div class="approval-title" id="approval-title">
        <span class="codicon codicon-${approval.effect === 'run' ? 'terminal' : 'edit'}" aria-hidden="true"></span>
        Jan wants to ${what}: <span class="step-tool">${approval.tool}</span>${from}
      </div>
      ${command === undefined ? nothing : html`<pre class="approval-command" aria-label="Command">$ ${command}</pre>`}
      ${
        approval.diffs?.length
          ? approval.diffs.map((file) =>
              renderDiff(file, () =>
                emit(this, 'agent-action', { kind: 'open-diff', callId: approval.callId, path: file.path }),
              ),
            )
          : html`<pre class="step-arguments" aria-label="Arguments">${approval.arguments}</pre>`
      }
      ${approval.restricted ? html`<div class="message-note">This workspace is not trusted: each change asks.</div>` : nothing}
      <input
        class="approval-reason"
        type="text"
        maxlength="2000"
        aria-label="Reason for denying (sent to the model)"
        placeholder="Reason for denying (optional, sent to the model)"
        @keydown=${(event: KeyboardEvent) => {
          if (event.key !== 'Enter') return;
          event.preventDefault();
          emit(this, 'agent-action', { kind: 'deny', callId: approval.callId, reason: this.reason() });
        }}
      />
      <div class="approval-buttons">
        <vscode-button class="approve-once" @click=${() => answer('allow-once')}>Allow once</vscode-button>
        ${
          approval.restricted
            ? nothing
            : html`<vscode-button secondary class="approve-always" @click=${() => answer('allow-always')}
                >Always for ${approval.tool} here</vscode-button
              >`
        }
        <vscode-button
          secondary
          class="deny"
          @click=${() => emit(this, 'agent-action', { kind: 'deny', callId: approval.callId, reason: this.reason() })}
          >Deny</vscode-button
        >
      </div>
    </section>`;
  }

  private renderCheckpoint(turn: AgentTurnView) {
    const checkpoint = turn.checkpoint;
    if (!checkpoint || turn.running) return nothing;
    const count = checkpoint.files.length;
    const files = `${count} file${count === 1 ? '' : 's'}`;
    if (checkpoint.reverted) {
      const { conflicts } = checkpoint.reverted;
      return html`<div class="agent-checkpoint" role="status">
        <span class="codicon codicon-discard" aria-hidden="true"></span>
        ${
          conflicts.length
            ? `Reverted, except ${conflicts.join(', ')}: changed since, left as it is.`
            : `Reverted the changes to ${files}.`
        }
      </div>`;
    }
    return html`<div class="agent-checkpoint">
      <details class="checkpoint-changes">
        <summary>
          <span class="codicon codicon-git-commit" aria-hidden="true"></span>
          <span class="checkpoint-files" title=${checkpoint.files.join('\n')}
            >Changed ${files}: ${checkpoint.files.join(', ')}</span
          >
        </summary>
        ${checkpoint.diffs.map((file) => renderDiff(file))}
      </details>
      <vscode-button
        secondary
        class="revert-checkpoint"
        @click=${() => emit(this, 'agent-action', { kind: 'revert', turnId: turn.turnId })}
        >Revert</vscode-button
      >
    </div>`;
  }

  protected override render() {
    const turn = this.turn;
    const waiting = turn?.approval;
    // Said by screen readers when a call starts waiting, wherever focus is (the input, usually).
    const announcement = html`<div class="visually-hidden" aria-live="polite">
      ${waiting ? `Jan waits for your approval to run ${waiting.tool}.` : ''}
    </div>`;
    if (!turn || (!turn.running && !turn.checkpoint)) return announcement;
    return html`${announcement}
      <div class="agent-turn" aria-label="Agent turn" aria-busy=${turn.running ? 'true' : 'false'}>
        ${turn.running ? renderSteps(turn.steps) : nothing} ${waiting ? this.renderApproval(waiting) : nothing}
        ${this.renderCheckpoint(turn)}
      </div>`;
  }
}
