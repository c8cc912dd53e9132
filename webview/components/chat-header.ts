import { html, nothing } from 'lit';
import type { AssistantOption, ModelOption, ThreadView } from '@jan/protocol';
import { LightElement } from './light-element';

/** The picker's value for "follow the user's default chat model". */
export const DEFAULT_MODEL_VALUE = '';

/** Where a model runs, in the user's words (engine ids such as `llamacpp` mean nothing to them). */
export function whereItRuns(engine: string): string {
  return engine === 'llamacpp' ? 'runs on this machine' : `served by ${engine}`;
}

export type HeaderEvent =
  | { kind: 'toggle-threads' }
  | { kind: 'toggle-settings' }
  | { kind: 'new-thread' }
  | { kind: 'model'; modelId: string | null }
  | { kind: 'assistant'; assistantId: string };

/** Title, thread list and settings toggles, new chat, and the model and assistant pickers. */
export class JanChatHeader extends LightElement {
  static override properties = {
    thread: { attribute: false },
    models: { attribute: false },
    assistants: { attribute: false },
    defaultModelId: { attribute: false },
    pendingModelId: { attribute: false },
    pendingAssistantId: { attribute: false },
    threadsOpen: { type: Boolean },
    settingsOpen: { type: Boolean },
  };

  declare thread: ThreadView | null;
  declare models: ModelOption[];
  declare assistants: AssistantOption[];
  declare defaultModelId: string | undefined;
  declare pendingModelId: string | undefined;
  declare pendingAssistantId: string | undefined;
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
    this.dispatchEvent(new CustomEvent('header', { detail, bubbles: true }));
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
      ${this.models.map((model) => html`<vscode-option value=${model.id} description=${whereItRuns(model.engine)}>${model.name}</vscode-option>`)}
      ${known ? nothing : html`<vscode-option value=${selected} description="No longer installed: pick another model">${selected} (missing)</vscode-option>`}
    </vscode-single-select>`;
  }

  private renderAssistantPicker() {
    if (this.assistants.length === 0) return nothing;
    const selected = (this.thread ? this.thread.assistantId : this.pendingAssistantId) ?? this.assistants[0]!.id;
    return html`<vscode-single-select
      class="assistant-picker"
      aria-label="Assistant"
      label="Assistant"
      title="Assistant"
      .value=${selected}
      @change=${(event: Event) => this.emit({ kind: 'assistant', assistantId: (event.target as HTMLInputElement).value })}
    >
      ${this.assistants.map((assistant) => html`<vscode-option value=${assistant.id}>${assistant.name}</vscode-option>`)}
    </vscode-single-select>`;
  }

  /** Where the chosen model (or the default) sends prompts and code: "local" or a host. */
  private renderDestination() {
    const selected = (this.thread ? this.thread.modelId : this.pendingModelId) ?? this.defaultModelId;
    const model = this.models.find((candidate) => candidate.id === selected);
    if (!model) return nothing;
    const destination = model.destination ?? 'local';
    const local = destination === 'local';
    return html`<span
      class=${local ? 'model-destination' : 'model-destination remote'}
      title=${local ? 'This model runs on this machine' : `Prompts and code go to ${destination}`}
      >${destination}</span
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
        <vscode-toolbar-button icon="add" label="New chat" @click=${() => this.emit({ kind: 'new-thread' })}></vscode-toolbar-button>
      </div>
      ${this.threadsOpen ? nothing : html`<div class="header-row header-pickers">${this.renderModelPicker()} ${this.renderDestination()} ${this.renderAssistantPicker()}</div>`}
    </header>`;
  }
}
