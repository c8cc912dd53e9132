import { html, type TemplateResult } from 'lit';
import type { ChatError, HostAction } from '@jan/protocol';

export type ErrorAction = { kind: 'host'; action: HostAction; label: string } | { kind: 'retry'; label: string };

/** What the user can do about an error, by its code: no model → get one; a crash → try again. */
export function actionsFor(error: ChatError): ErrorAction[] {
  const getModel: ErrorAction[] = [
    { kind: 'host', action: 'downloadModel', label: 'Download Model…' },
    { kind: 'host', action: 'importModel', label: 'Import Model File…' },
  ];
  switch (error.code) {
    case 'NO_MODEL':
    case 'MODEL_NOT_FOUND':
    case 'INVALID_MODEL_FILE':
      return getModel;
    case 'WORKER_CRASHED':
      return [
        { kind: 'retry', label: 'Retry' },
        { kind: 'host', action: 'showLog', label: 'Show Log' },
      ];
    case 'ABORTED':
      return [];
    case 'READ_ONLY':
    case 'NOT_A_FOLDER':
    case 'NO_SPACE':
      return [{ kind: 'host', action: 'showLog', label: 'Show Log' }];
    default:
      return [{ kind: 'retry', label: 'Retry' }];
  }
}

const TITLES: Partial<Record<ChatError['code'], string>> = {
  NO_MODEL: 'No model to chat with',
  MODEL_NOT_FOUND: 'Model not found',
  INVALID_MODEL_FILE: 'The model file cannot be used',
  INSUFFICIENT_MEMORY: 'Not enough memory for this model',
  WORKER_CRASHED: 'The engine stopped unexpectedly',
  REMOTE_ERROR: 'The remote engine answered with an error',
  CONTEXT_TOO_LONG: 'The message does not fit in the context window',
  READ_ONLY: 'The chat cannot be saved: the folder is read-only',
  NOT_A_FOLDER: 'The chat cannot be saved: .jan is not a folder',
  NO_SPACE: 'The chat cannot be saved: the disk is full',
  LOCK_TIMEOUT: 'Another window is writing this thread',
  INVALID_FILE: 'A file of this thread cannot be read',
  NOT_FOUND: 'Not found',
};

export function renderError(error: ChatError, onAction: (action: ErrorAction) => void): TemplateResult {
  return html`<div class="chat-error" role="alert">
    <span class="codicon codicon-error" aria-hidden="true"></span>
    <div class="chat-error-body">
      <div class="chat-error-title">${TITLES[error.code] ?? 'Something went wrong'}</div>
      <div class="chat-error-message">${error.message}</div>
      <div class="chat-error-actions">
        ${actionsFor(error).map(
          (action, index) =>
            html`<vscode-button ?secondary=${index > 0} @click=${() => onAction(action)}
              >${action.label}</vscode-button
            >`,
        )}
      </div>
    </div>
  </div>`;
}
