import { html, nothing } from 'lit';
import {
  SELECTION_PROMPT_ACTIONS,
  draftErrors,
  validateDraft,
  type AssistantDraft,
  type AssistantScopeName,
  type DraftErrors,
  type FormHostMessage,
  type FormViewMessage,
  type ModelOption,
} from '@jan/protocol';
import { LightElement } from '../components/light-element';

type Field = HTMLElement & { value: string };

const PROMPT_LABELS: Record<(typeof SELECTION_PROMPT_ACTIONS)[number], string> = {
  explain: 'Explain',
  fix: 'Fix',
  document: 'Document',
  tests: 'Write Tests',
  refactor: 'Refactor',
};

const SCOPE_LABELS: Record<AssistantScopeName, string> = {
  workspace: 'Workspace (.jan/assistants, shared when committed)',
  user: 'User (yours, in every workspace)',
};

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** '' is "not set"; anything else must parse as a number (NaN is reported by the schema). */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}

/**
 * The assistant form: every field of the assistant, validated with the protocol's schema as the
 * user saves (the message sits next to its field), and sent to the host, which validates again.
 */
export class JanAssistantForm extends LightElement {
  static override properties = {
    draft: { state: true },
    errors: { state: true },
    status: { state: true },
    models: { state: true },
    scopes: { state: true },
    assistantId: { state: true },
    blocked: { state: true },
  };

  declare draft: AssistantDraft | undefined;
  declare errors: DraftErrors & { form?: string };
  declare status: string;
  declare models: ModelOption[];
  declare scopes: AssistantScopeName[];
  declare assistantId: string | undefined;
  declare blocked: string | undefined;

  post: (message: FormViewMessage) => void = () => {};

  constructor() {
    super();
    this.errors = {};
    this.status = '';
    this.models = [];
    this.scopes = ['workspace'];
  }

  apply(message: FormHostMessage): void {
    switch (message.type) {
      case 'load':
        this.draft = message.draft;
        this.assistantId = message.id;
        this.scopes = message.scopes;
        this.models = message.models;
        this.blocked = message.blocked;
        this.errors = {};
        this.status = '';
        break;
      case 'saved':
        this.assistantId = message.id;
        this.scopes = this.scopes.filter((scope) => scope === this.read().scope);
        this.errors = {};
        this.status = message.message;
        break;
      case 'errors':
        this.errors = message.errors;
        this.status = '';
        this.focusFirstError();
        break;
    }
  }

  private value(name: string): string {
    return this.querySelector<Field>(`[name="${name}"]`)?.value ?? '';
  }

  /** The draft as typed (numbers may be NaN: the schema says so next to the field). */
  read(): AssistantDraft {
    const selectionPrompts: AssistantDraft['selectionPrompts'] = {};
    for (const action of SELECTION_PROMPT_ACTIONS) {
      const prompt = this.value(`prompt-${action}`);
      if (prompt.trim()) selectionPrompts[action] = prompt;
    }
    return {
      scope: (this.value('scope') || this.scopes[0] || 'workspace') as AssistantScopeName,
      name: this.value('name'),
      avatar: this.value('avatar'),
      description: this.value('description'),
      instructions: this.value('instructions'),
      model: this.value('model'),
      temperature: optionalNumber(this.value('temperature')),
      topP: optionalNumber(this.value('topP')),
      maxTokens: optionalNumber(this.value('maxTokens')),
      stop: this.value('stop')
        .split('\n')
        .filter((line) => line.length > 0),
      contextFiles: lines(this.value('contextFiles')),
      contextTokenCap: Number(this.value('contextTokenCap').trim() || NaN),
      selectionPrompts,
    };
  }

  private save(): void {
    const checked = validateDraft(this.read());
    if (!checked.ok) {
      this.errors = draftErrors(checked.issues);
      this.status = '';
      this.focusFirstError();
      return;
    }
    this.errors = {};
    this.status = 'Saving…';
    this.post({ type: 'save', draft: checked.value });
  }

  private focusFirstError(): void {
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  private onKeyDown(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      this.save();
    }
  }

  private error(field: keyof DraftErrors) {
    const message = this.errors[field];
    return message ? html`<div class="field-error" id=${`error-${field}`} role="alert">${message}</div>` : nothing;
  }

  private invalid(field: keyof DraftErrors): string {
    return this.errors[field] ? 'true' : 'false';
  }

  private text(field: keyof DraftErrors, label: string, value: string, hint = '', placeholder = '') {
    return html`<div class="form-field">
      <label for=${`field-${field}`}>${label}</label>
      <vscode-textfield
        id=${`field-${field}`}
        name=${field}
        .value=${value}
        placeholder=${placeholder}
        aria-invalid=${this.invalid(field)}
        aria-describedby=${`error-${field}`}
        ?invalid=${Boolean(this.errors[field])}
      ></vscode-textfield>
      ${hint ? html`<div class="field-hint">${hint}</div>` : nothing} ${this.error(field)}
    </div>`;
  }

  private area(field: string, errorField: keyof DraftErrors, label: string, value: string, rows: number, hint = '') {
    return html`<div class="form-field">
      <label for=${`field-${field}`}>${label}</label>
      <vscode-textarea
        id=${`field-${field}`}
        name=${field}
        rows=${rows}
        resize="vertical"
        .value=${value}
        aria-invalid=${this.invalid(errorField)}
        ?invalid=${Boolean(this.errors[errorField])}
      ></vscode-textarea>
      ${hint ? html`<div class="field-hint">${hint}</div>` : nothing} ${this.error(errorField)}
    </div>`;
  }

  private renderModel(draft: AssistantDraft) {
    const known = draft.model === '' || this.models.some((model) => model.id === draft.model);
    return html`<div class="form-field">
      <label for="field-model">Model</label>
      <vscode-single-select id="field-model" name="model" .value=${draft.model} aria-invalid=${this.invalid('model')}>
        <vscode-option value="" description="Whatever chat model the user picked">The chat model (any)</vscode-option>
        ${this.models.map((model) => html`<vscode-option value=${model.id} description=${model.id}>${model.name}</vscode-option>`)}
        ${known ? nothing : html`<vscode-option value=${draft.model}>${draft.model} (not installed)</vscode-option>`}
      </vscode-single-select>
      ${this.error('model')}
    </div>`;
  }

  private renderScope(draft: AssistantDraft) {
    return html`<div class="form-field">
      <label for="field-scope">Saved in</label>
      <vscode-single-select id="field-scope" name="scope" .value=${draft.scope} ?disabled=${this.scopes.length < 2}>
        ${this.scopes.map((scope) => html`<vscode-option value=${scope}>${SCOPE_LABELS[scope]}</vscode-option>`)}
      </vscode-single-select>
    </div>`;
  }

  protected override render() {
    const draft = this.draft;
    if (!draft) return html`<div class="form-loading">Loading…</div>`;
    const number = (value: number | undefined) => (value === undefined ? '' : String(value));
    return html`<form
      class="assistant-form"
      novalidate
      @submit=${(event: Event) => event.preventDefault()}
      @keydown=${this.onKeyDown}
    >
      <header class="form-header">
        <h1>${this.assistantId === undefined ? 'New assistant' : 'Edit assistant'}</h1>
        <div class="form-actions">
          <vscode-button
            class="open-json"
            secondary
            icon="json"
            ?disabled=${this.assistantId === undefined}
            @click=${() => this.post({ type: 'openJson' })}
            >Open JSON</vscode-button
          >
          <vscode-button class="save" icon="save" @click=${() => this.save()}>Save</vscode-button>
        </div>
      </header>
      ${this.blocked ? html`<div class="form-banner" role="status"><span class="codicon codicon-shield" aria-hidden="true"></span> ${this.blocked}</div>` : nothing}
      ${this.errors.form ? html`<div class="field-error form-error" role="alert">${this.errors.form}</div>` : nothing}
      ${this.status ? html`<div class="form-status" role="status">${this.status}</div>` : nothing}
      <div class="form-row">
        ${this.text('avatar', 'Icon', draft.avatar, 'One emoji', '🤖')}
        ${this.text('name', 'Name', draft.name, '', 'Code Reviewer')}
      </div>
      ${this.text('description', 'Description', draft.description, 'Shown in the picker')}
      ${this.area('instructions', 'instructions', 'Instructions', draft.instructions, 14, 'The system prompt of every chat with this assistant.')}
      <div class="form-row">${this.renderModel(draft)} ${this.renderScope(draft)}</div>
      <fieldset class="form-group">
        <legend>Sampling</legend>
        <div class="form-row">
          ${this.text('temperature', 'Temperature', number(draft.temperature), '0 to 2; empty: the model’s default')}
          ${this.text('topP', 'Top-p', number(draft.topP), '0 to 1')}
          ${this.text('maxTokens', 'Max tokens', number(draft.maxTokens), 'Longest reply')}
        </div>
        ${this.area('stop', 'stop', 'Stop sequences', draft.stop.join('\n'), 2, 'One per line')}
      </fieldset>
      <fieldset class="form-group">
        <legend>Context</legend>
        ${this.area('contextFiles', 'contextFiles', 'Files always in context', draft.contextFiles.join('\n'), 3, 'Workspace paths or globs, one per line (CONTRIBUTING.md, docs/*.md)')}
        ${this.text('contextTokenCap', 'Token cap', String(draft.contextTokenCap), 'Most tokens these files may take; longer files are cut')}
      </fieldset>
      <fieldset class="form-group">
        <legend>Selection command prompts</legend>
        <div class="field-hint">
          Replace what Explain, Fix, Document, Write Tests and Refactor ask when this is the workspace's default
          assistant. Empty: Jan's own.
        </div>
        ${SELECTION_PROMPT_ACTIONS.map((action) => this.area(`prompt-${action}`, 'selectionPrompts', PROMPT_LABELS[action], draft.selectionPrompts[action] ?? '', 2))}
      </fieldset>
    </form>`;
  }
}
