import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type {
  AssistantAction,
  AssistantOption,
  AssistantRefView,
  ModelOption,
  RunsOnView,
  ThreadView,
} from '@jan/protocol';
import { emit } from '../events';
import { LightElement } from './light-element';

/** The picker's value for "follow the user's default chat model". */
export const DEFAULT_MODEL_VALUE = '';

/** Where a model runs, in the user's words. */
/** A picker entry's description: where it runs, and whose engine it is when another extension's. */
export function modelDescription(model: ModelOption): string {
  const where = whereItRuns(model.runsOn);
  return model.registeredBy ? `${where} · from ${model.registeredBy}` : where;
}

export function whereItRuns(runsOn: RunsOnView): string {
  return runsOn.kind === 'local' ? 'runs on this machine' : `sends prompts and code to ${runsOn.host}`;
}

export type HeaderEvent =
  | { kind: 'toggle-threads' }
  | { kind: 'toggle-settings' }
  | { kind: 'new-thread' }
  | { kind: 'model'; modelId: string | null }
  | { kind: 'assistant'; assistantId: string }
  | { kind: 'assistant-action'; action: AssistantAction; assistant: AssistantRefView | undefined };

/** Picker values that run an action instead of choosing an assistant. */
const ACTION_PREFIX = 'action:';
const UNAVAILABLE_PREFIX = 'unavailable:';

function assistantLabel(assistant: AssistantOption): string {
  return assistant.avatar ? `${assistant.avatar} ${assistant.name}` : assistant.name;
}

function scopeNote(assistant: AssistantOption): string {
  if (assistant.offeredBy) return `From ${assistant.offeredBy}`;
  const scope = assistant.scope === 'user' ? 'User' : 'Workspace';
  if (assistant.blocked) return `${scope} · not used in a restricted workspace`;
  if (assistant.shadowed) return `${scope} · hidden by the workspace assistant with this id`;
  return scope;
}

/** Title, thread list and settings toggles, new chat, and the model and assistant pickers. */
export class JanChatHeader extends LightElement {
  static override properties = {
    thread: { attribute: false },
    models: { attribute: false },
    assistants: { attribute: false },
    defaultModelId: { attribute: false },
    pendingModelId: { attribute: false },
    pendingAssistantId: { attribute: false },
    runsOn: { attribute: false },
    threadsOpen: { type: Boolean },
    settingsOpen: { type: Boolean },
  };

  declare thread: ThreadView | null;
  declare models: ModelOption[];
  declare assistants: AssistantOption[];
  declare defaultModelId: string | undefined;
  declare pendingModelId: string | undefined;
  declare pendingAssistantId: string | undefined;
  /** Where the chat's model runs (ChatStore.chatModel), undefined when that is not known. */
  declare runsOn: RunsOnView | undefined;
  declare threadsOpen: boolean;
  declare settingsOpen: boolean;

  constructor() {
    super();
    this.thread = null;
    this.models = [];
    this.assistants = [];
    this.threadsOpen = false;
    this.settingsOpen = false;
  }

  private emit(detail: HeaderEvent): void {
    emit(this, 'header', detail);
  }

  private renderModelPicker() {
    const selected = (this.thread ? this.thread.modelId : this.pendingModelId) ?? DEFAULT_MODEL_VALUE;
    const defaultName = this.models.find((model) => model.id === this.defaultModelId)?.name;
    const known = selected === DEFAULT_MODEL_VALUE || this.models.some((model) => model.id === selected);
    return html`<vscode-single-select
      class="model-picker"
      aria-label="Chat model"
      label="Chat model"
      title="Chat model"
      .value=${selected}
      @change=${(event: Event) => {
        const value = (event.target as HTMLInputElement).value;
        this.emit({ kind: 'model', modelId: value === DEFAULT_MODEL_VALUE ? null : value });
      }}
    >
      <vscode-option value=${DEFAULT_MODEL_VALUE} description="Follows the model chosen with Jan: Select Chat Model">
        ${defaultName ? `Default (${defaultName})` : this.models.length ? 'Default model' : 'No model yet'}
      </vscode-option>
      ${this.models.map((model) => html`<vscode-option value=${model.id} description=${modelDescription(model)}>${model.name}</vscode-option>`)}
      ${known ? nothing : html`<vscode-option value=${selected} description="No longer installed: pick another model">${selected} (missing)</vscode-option>`}
    </vscode-single-select>`;
  }

  /** The assistant the chat uses (or will use): a usable one with the id, else the listed one that cannot be used. */
  private selectedAssistant(): AssistantOption | undefined {
    const usable = this.assistants.filter((assistant) => !assistant.blocked && !assistant.shadowed);
    const id = (this.thread ? this.thread.assistantId : this.pendingAssistantId) ?? usable[0]?.id;
    return (
      usable.find((assistant) => assistant.id === id) ??
      this.assistants.find((assistant) => assistant.id === id && assistant.blocked)
    );
  }

  private optionValue(assistant: AssistantOption): string {
    return assistant.blocked || assistant.shadowed
      ? `${UNAVAILABLE_PREFIX}${assistant.scope}:${assistant.id}`
      : assistant.id;
  }

  private onAssistantChange(event: Event, selected: AssistantOption | undefined): void {
    const select = event.target as HTMLInputElement;
    const value = select.value;
    if (!value.startsWith(ACTION_PREFIX)) {
      if (!value.startsWith(UNAVAILABLE_PREFIX)) this.emit({ kind: 'assistant', assistantId: value });
      return;
    }
    // An action is not a choice: the picker goes back to the assistant in use.
    select.value = selected ? this.optionValue(selected) : '';
    const assistant = selected ? { id: selected.id, scope: selected.scope ?? 'workspace' } : undefined;
    this.emit({ kind: 'assistant-action', action: value.slice(ACTION_PREFIX.length) as AssistantAction, assistant });
  }

  private renderAssistantPicker() {
    const selected = this.selectedAssistant();
    const actions: Array<[AssistantAction, string]> = selected
      ? [
          ['new', 'New assistant…'],
          ['edit', 'Edit assistant…'],
          ['duplicate', 'Duplicate assistant…'],
          ['openJson', 'Open assistant JSON'],
          ['setDefault', 'Use for new chats here'],
          ['delete', 'Delete assistant…'],
        ]
      : [['new', 'New assistant…']];
    // A new element per list: the select reads its options' labels when they are slotted, not when their text changes.
    const listKey = JSON.stringify([selected?.id, this.assistants]);
    return keyed(
      listKey,
      html`<vscode-single-select
        class="assistant-picker"
        aria-label="Assistant"
        label="Assistant"
        title=${selected ? `Assistant: ${selected.name} (${scopeNote(selected)})` : 'Assistant'}
        .value=${selected ? this.optionValue(selected) : ''}
        @change=${(event: Event) => this.onAssistantChange(event, selected)}
      >
        ${this.assistants.map(
          (assistant) =>
            html`<vscode-option
              value=${this.optionValue(assistant)}
              description=${scopeNote(assistant)}
              ?disabled=${Boolean(assistant.shadowed || assistant.blocked)}
              >${assistantLabel(assistant)}</vscode-option
            >`,
        )}
        ${actions.map(([action, label]) => html`<vscode-option value=${ACTION_PREFIX + action}>${label}</vscode-option>`)}
      </vscode-single-select>`,
    );
  }

  private renderBlockedNotice() {
    const selected = this.selectedAssistant();
    if (!selected?.blocked) return nothing;
    return html`<div class="assistant-blocked" role="status">
      <span class="codicon codicon-shield" aria-hidden="true"></span>
      <span>“${selected.name}” is not used: ${selected.blocked}</span>
    </div>`;
  }

  /** Where the chat's model sends prompts and code: "local" or a host. */
  private renderDestination() {
    const runsOn = this.runsOn;
    if (!runsOn) return nothing;
    const local = runsOn.kind === 'local';
    return html`<span
      class=${local ? 'model-destination' : 'model-destination remote'}
      title=${local ? 'This model runs on this machine' : `Prompts and code go to ${runsOn.host}`}
      >${local ? 'local' : runsOn.host}</span
    >`;
  }

  protected override render() {
    const title = this.thread?.title ?? 'New Chat';
    return html`<header class="header">
      <div class="header-row">
        <vscode-toolbar-button
          icon="history"
          label=${this.threadsOpen ? 'Back to the chat' : 'Show threads'}
          toggleable
          .checked=${this.threadsOpen}
          aria-expanded=${this.threadsOpen ? 'true' : 'false'}
          @click=${() => this.emit({ kind: 'toggle-threads' })}
        ></vscode-toolbar-button>
        <h1 class="header-title" title=${title}>${this.threadsOpen ? 'Threads' : title}</h1>
        <vscode-toolbar-button
          icon="settings-gear"
          label="Thread settings"
          toggleable
          .checked=${this.settingsOpen}
          aria-expanded=${this.settingsOpen ? 'true' : 'false'}
          @click=${() => this.emit({ kind: 'toggle-settings' })}
        ></vscode-toolbar-button>
        <vscode-toolbar-button
          icon="add"
          label="New chat"
          @click=${() => this.emit({ kind: 'new-thread' })}
        ></vscode-toolbar-button>
      </div>
      ${
        this.threadsOpen
          ? nothing
          : html`<div class="header-row header-pickers">
                ${this.renderModelPicker()} ${this.renderDestination()} ${this.renderAssistantPicker()}
              </div>
              ${this.renderBlockedNotice()}`
      }
    </header>`;
  }
}
