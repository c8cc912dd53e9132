import { errorMessage } from '@jan/core';
import type { Assistant, AssistantChanges, AssistantScope } from '@jan/core';
import {
  parseFormViewMessage,
  draftErrors,
  validateDraft,
  type AssistantDraft,
  type FormHostMessage,
  type ModelOption,
} from '@jan/protocol';
import { changesFromDraft, draftFromAssistant, emptyDraft } from './draft';

/** What the form needs of the assistants extension (extensions/assistants/scoped-assistants.ts). */
export interface AssistantFormStore {
  scopes(): AssistantScope[];
  getAssistant(id: string, scope?: AssistantScope): Promise<Assistant | undefined>;
  createAssistant(assistant: Partial<Assistant> & Pick<Assistant, 'name'>, scope?: AssistantScope): Promise<Assistant>;
  updateAssistant(
    id: string,
    changes: (current: Assistant) => AssistantChanges,
    scope?: AssistantScope,
  ): Promise<Assistant>;
  blockedReason(id: string): Promise<string | undefined>;
  filePath(id: string, scope: AssistantScope): string;
}

export interface AssistantFormPort {
  post(message: FormHostMessage): void;
  models(): Promise<ModelOption[]>;
  openFile(path: string): Promise<void>;
  /** The form now edits this assistant (a new one was saved, or a name changed): the tab's title. */
  editing(assistant: Assistant, scope: AssistantScope): void;
}

export interface FormTarget {
  scope: AssistantScope;
  /** Undefined: a new assistant. */
  id?: string;
  /** The fields a new assistant starts from (a duplicate). */
  template?: AssistantDraft;
}

/** The assistant form's host side, free of `vscode`: loads the draft, validates and saves it, opens the file. */
export class AssistantFormController {
  constructor(
    private readonly store: AssistantFormStore,
    private target: FormTarget,
    private readonly port: AssistantFormPort,
  ) {}

  get current(): Readonly<FormTarget> {
    return this.target;
  }

  async handle(raw: unknown): Promise<void> {
    const parsed = parseFormViewMessage(raw);
    if (!parsed.ok)
      return this.port.post({
        type: 'errors',
        errors: { form: `The form sent a message that was not understood: ${parsed.error}` },
      });
    try {
      const message = parsed.value;
      if (message.type === 'ready') return await this.load();
      if (message.type === 'openJson') return await this.openJson();
      return await this.save(message.draft);
    } catch (error) {
      this.port.post({ type: 'errors', errors: { form: errorMessage(error) } });
    }
  }

  private async load(): Promise<void> {
    const { id, scope } = this.target;
    const assistant = id === undefined ? undefined : await this.store.getAssistant(id, scope);
    if (id !== undefined && !assistant) throw new Error(`Assistant "${id}" no longer exists in the ${scope} scope.`);
    const blocked = id === undefined || scope !== 'workspace' ? undefined : await this.store.blockedReason(id);
    this.port.post({
      type: 'load',
      draft: assistant ? draftFromAssistant(assistant, scope) : (this.target.template ?? emptyDraft(scope)),
      ...(id !== undefined ? { id } : {}),
      scopes: id === undefined ? this.store.scopes() : [scope],
      models: await this.port.models(),
      ...(blocked ? { blocked } : {}),
    });
  }

  private async save(input: unknown): Promise<void> {
    const checked = validateDraft(input);
    if (!checked.ok) return this.port.post({ type: 'errors', errors: draftErrors(checked.issues) });
    const draft = checked.value;
    let saved: Assistant;
    if (this.target.id === undefined) {
      const changes = changesFromDraft({}, draft);
      saved = await this.store.createAssistant({ ...changes, name: draft.name }, draft.scope);
      this.target = { scope: draft.scope, id: saved.id };
    } else {
      saved = await this.store.updateAssistant(
        this.target.id,
        (current) => changesFromDraft(current, draft),
        this.target.scope,
      );
    }
    this.port.editing(saved, this.target.scope);
    this.port.post({
      type: 'saved',
      id: saved.id,
      message: `Saved to ${this.store.filePath(saved.id, this.target.scope)}`,
    });
  }

  private async openJson(): Promise<void> {
    if (this.target.id === undefined)
      throw new Error('Save the assistant first: its file is created on the first save.');
    await this.port.openFile(this.store.filePath(this.target.id, this.target.scope));
  }
}
