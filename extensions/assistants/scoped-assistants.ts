import type {
  Assistant,
  AssistantChanges,
  AssistantPage,
  AssistantScope,
  CoreContext,
  Disposable,
  ScopedAssistant,
  ScopedAssistantPage,
  SourcedAssistant,
} from '@jan/core';
import { AssistantExtension, DEFAULT_ASSISTANT_ID, EventBus, StoreError, errorMessage } from '@jan/core';
import { defaultAssistant } from './assistant-file';
import { JanAssistantsExtension } from './assistants-extension';

export interface ScopedAssistantsOptions {
  /** The folder whose `assistants/` holds the user's own assistants (VS Code: global storage); none: workspace only. */
  userFolder?: string;
  /** False in a restricted workspace: its assistants are listed but not used. */
  isTrusted?: () => boolean;
  /** The assistant this workspace starts new chats with. */
  defaultAssistantId?: () => string | undefined;
}

export const UNTRUSTED_ASSISTANT_REASON =
  'This workspace is restricted: its assistants come with the repository and their instructions could steer the model, so they are not used until you trust the workspace. Your own (user) assistants still work.';

function byDefaultFirst(defaultId: string | undefined): (a: Assistant, b: Assistant) => number {
  const rank = (assistant: Assistant) =>
    assistant.id === defaultId ? 2 : assistant.id === DEFAULT_ASSISTANT_ID ? 1 : 0;
  return (a, b) => rank(b) - rank(a);
}

/**
 * Assistants of two scopes: the workspace's `.jan/assistants` and the user's folder. A workspace
 * assistant with the same id wins, unless the workspace is restricted: then workspace assistants
 * are listed as blocked and only the user's (and the built-in "Jan") are used.
 */
export class ScopedAssistantsExtension extends AssistantExtension {
  private readonly stores: Record<AssistantScope, JanAssistantsExtension | undefined>;
  private readonly trusted: () => boolean;
  private readonly defaultId: () => string | undefined;
  private sourcesChanged: Disposable | undefined;

  constructor(core: CoreContext, options: ScopedAssistantsOptions = {}) {
    super('assistants', core);
    this.trusted = options.isTrusted ?? (() => true);
    this.defaultId = options.defaultAssistantId ?? (() => undefined);
    // Each folder store announces its own changes on a bus of its own; this class announces the merged list.
    const store = (folder: string, createDefault: () => boolean) => {
      const events = new EventBus(core.logger);
      events.on('OnAssistantsChanged', () => void this.announce());
      return new JanAssistantsExtension({ ...core, events }, { folder, createDefault });
    };
    this.stores = {
      workspace: store(core.janFolder, () => this.trusted()),
      user: options.userFolder === undefined ? undefined : store(options.userFolder, () => false),
    };
  }

  onLoad(): void {
    this.sourcesChanged = this.core.assistantSources.onDidChange(() => void this.announce());
  }

  override onUnload(): void {
    this.sourcesChanged?.dispose();
    this.sourcesChanged = undefined;
  }

  /** The scopes assistants can be saved in here. */
  scopes(): AssistantScope[] {
    return this.stores.user ? ['workspace', 'user'] : ['workspace'];
  }

  override async listScoped(): Promise<ScopedAssistantPage> {
    const trusted = this.trusted();
    const offered = this.offered();
    const [workspace, user] = await Promise.all([
      this.stores.workspace!.listAssistants(),
      this.stores.user?.listAssistants(),
    ]);
    const workspaceIds = new Set(workspace.assistants.map((assistant) => assistant.id));
    const entries: ScopedAssistant[] = workspace.assistants.map((assistant) =>
      trusted
        ? { assistant, scope: 'workspace' }
        : { assistant, scope: 'workspace', blocked: UNTRUSTED_ASSISTANT_REASON },
    );
    for (const assistant of user?.assistants ?? []) {
      entries.push(
        trusted && workspaceIds.has(assistant.id)
          ? { assistant, scope: 'user', shadowed: true }
          : { assistant, scope: 'user' },
      );
    }
    // Restricted and no "Jan" of the user's own: the built-in one (no instructions, nothing from the repository).
    if (!trusted && !user?.assistants.some((assistant) => assistant.id === DEFAULT_ASSISTANT_ID)) {
      entries.push({ assistant: defaultAssistant(0), scope: 'user' });
    }
    // Offered by installed extensions (the user's choice, not the repository's): usable when restricted too.
    const taken = new Set(entries.map((entry) => entry.assistant.id));
    for (const { assistant, source } of await offered)
      if (!taken.has(assistant.id)) entries.push({ assistant, scope: 'user', offeredBy: source.label });
    const order = byDefaultFirst(this.defaultId());
    entries.sort((a, b) => order(a.assistant, b.assistant));
    return { entries, warnings: [...workspace.warnings, ...(user?.warnings ?? [])] };
  }

  async listAssistants(): Promise<AssistantPage> {
    const { entries, warnings } = await this.listScoped();
    return {
      assistants: entries.filter((entry) => !entry.blocked && !entry.shadowed).map((entry) => entry.assistant),
      warnings,
    };
  }

  async getAssistant(id: string, scope?: AssistantScope): Promise<Assistant | undefined> {
    if (scope) return this.store(scope).getAssistant(id);
    const user = await this.stores.user?.getAssistant(id);
    const kept = this.trusted()
      ? ((await this.stores.workspace!.getAssistant(id)) ?? user)
      : (user ?? (id === DEFAULT_ASSISTANT_ID ? defaultAssistant(0) : undefined));
    return kept ?? (await this.offered()).find((entry) => entry.assistant.id === id)?.assistant;
  }

  /** What the registered assistant sources offer now; a failing source is left out, with a warning. */
  private offered(): Promise<SourcedAssistant[]> {
    return this.core.assistantSources.assistants((source, reason) =>
      this.core.logger.warn(`The assistant source "${source.label}" listed nothing: ${reason}`),
    );
  }

  override isRestricted(): boolean {
    return !this.trusted();
  }

  override async blockedReason(id: string): Promise<string | undefined> {
    if (this.trusted() || (await this.stores.user?.getAssistant(id)) || id === DEFAULT_ASSISTANT_ID) return undefined;
    return (await this.hasFile('workspace', id)) ? UNTRUSTED_ASSISTANT_REASON : undefined;
  }

  createAssistant(
    assistant: Partial<Assistant> & Pick<Assistant, 'name'>,
    scope: AssistantScope = 'workspace',
  ): Promise<Assistant> {
    return this.store(scope).createAssistant(assistant);
  }

  updateAssistant(
    id: string,
    changes: AssistantChanges | ((current: Assistant) => AssistantChanges),
    scope: AssistantScope = 'workspace',
  ): Promise<Assistant> {
    return this.store(scope).updateAssistant(id, changes);
  }

  deleteAssistant(id: string, scope: AssistantScope = 'workspace'): Promise<void> {
    return this.store(scope).deleteAssistant(id);
  }

  /** The assistant.json of `id` in `scope`, for opening it in the editor. */
  filePath(id: string, scope: AssistantScope): string {
    return this.store(scope).assistantFile(id);
  }

  /** Trust or the default assistant changed: the lists shown are stale. */
  refresh(): Promise<void> {
    return this.announce();
  }

  private store(scope: AssistantScope): JanAssistantsExtension {
    const store = this.stores[scope];
    if (!store) throw new StoreError('NOT_ALLOWED', 'User assistants are not available here (no user folder).');
    return store;
  }

  private async hasFile(scope: AssistantScope, id: string): Promise<boolean> {
    const { assistants } = await this.store(scope).listAssistants();
    return assistants.some((assistant) => assistant.id === id);
  }

  private async announce(): Promise<void> {
    try {
      this.core.events.emit('OnAssistantsChanged', (await this.listAssistants()).assistants);
    } catch (error) {
      this.core.logger.warn(`Could not list assistants after a change: ${errorMessage(error)}`);
    }
  }
}
