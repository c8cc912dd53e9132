import { html, nothing, type PropertyValues } from 'lit';
import { parseThreadSettings, type ThreadView } from '@jan/protocol';
import { emit } from '../events';
import { LightElement } from './light-element';

type Field = 'temperature' | 'maxTokens' | 'contextLength';

const FIELDS: Array<{ key: Field; label: string; step: string; hint: string }> = [
  { key: 'temperature', label: 'Temperature', step: '0.1', hint: '0 to 2' },
  { key: 'maxTokens', label: 'Max tokens', step: '1', hint: 'reply length' },
  { key: 'contextLength', label: 'Context length', step: '256', hint: 'tokens' },
];

/** The thread's instructions and sampling settings, saved into its thread.json by the host. */
export class JanThreadSettings extends LightElement {
  static override properties = {
    thread: { attribute: false },
    defaultMaxTokens: { attribute: false },
    context: { attribute: false },
    error: { state: true },
    saved: { state: true },
  };

  declare thread: ThreadView | null;
  /** What an empty Max tokens means (the `jan.chat.maxTokens` setting); undefined: no limit. */
  declare defaultMaxTokens: number | undefined;
  /** The thread's context now and the model's training context, when known: "default: 4,096 of 131,072 tokens". */
  declare context: { limit: number; trained?: number } | null;
  declare error: string;
  declare saved: boolean;

  constructor() {
    super();
    this.thread = null;
    this.context = null;
    this.error = '';
    this.saved = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('thread') as ThreadView | null | undefined;
    if (changed.has('thread') && previous?.id !== this.thread?.id) this.error = '';
  }

  private placeholder(key: Field): string {
    if (key === 'contextLength') {
      const context = this.context;
      if (!context) return 'default';
      const size = context.limit.toLocaleString('en-US');
      return context.trained
        ? `default: ${size} of ${context.trained.toLocaleString('en-US')} tokens`
        : `default: ${size} tokens`;
    }
    if (key !== 'maxTokens') return 'default';
    return this.defaultMaxTokens ? `default: ${this.defaultMaxTokens}` : 'default: no limit';
  }

  private field(name: string): string {
    const element = this.querySelector<HTMLElement & { value: string }>(`[name="${name}"]`);
    return element?.value ?? '';
  }

  private save(event: Event): void {
    event.preventDefault();
    if (!this.thread) return;
    const settings: Record<string, unknown> = { instructions: this.field('instructions') };
    for (const { key } of FIELDS) {
      const raw = this.field(key).trim();
      if (raw) settings[key] = Number(raw);
    }
    const parsed = parseThreadSettings(settings);
    if (!parsed.ok) {
      this.error = parsed.issues[0]!.message;
      return;
    }
    this.error = '';
    this.saved = true;
    setTimeout(() => (this.saved = false), 2000);
    emit(this, 'save-settings', parsed.value);
  }

  protected override render() {
    const thread = this.thread;
    if (!thread) {
      return html`<section class="settings" aria-label="Thread settings">
        <p class="settings-hint">
          Settings belong to a thread. Send a first message, then set its instructions and parameters here.
        </p>
      </section>`;
    }
    const settings = thread.settings;
    return html`<form class="settings" aria-label="Thread settings" @submit=${this.save}>
      <label class="settings-label" for="jan-instructions">Instructions</label>
      <vscode-textarea
        id="jan-instructions"
        name="instructions"
        rows="3"
        resize="vertical"
        placeholder="How the assistant should answer in this thread"
        .value=${settings.instructions}
      ></vscode-textarea>
      <div class="settings-grid">
        ${FIELDS.map(
          ({ key, label, step, hint }) =>
            html`<div class="settings-field">
              <label class="settings-label" for="jan-${key}">${label}</label>
              <vscode-textfield
                id="jan-${key}"
                name=${key}
                type="number"
                step=${step}
                placeholder=${this.placeholder(key)}
                aria-label="${label} (${hint}; empty for ${this.placeholder(key)})"
                .value=${settings[key] === undefined ? '' : String(settings[key])}
              ></vscode-textfield>
            </div>`,
        )}
      </div>
      ${this.error ? html`<div class="settings-error" role="alert">${this.error}</div>` : nothing}
      <div class="settings-buttons">
        <vscode-button @click=${this.save}>Save</vscode-button>
        <vscode-button secondary @click=${() => emit(this, 'close-settings')}>Close</vscode-button>
        ${this.saved ? html`<span class="settings-saved" role="status">Saved</span>` : nothing}
      </div>
    </form>`;
  }
}
