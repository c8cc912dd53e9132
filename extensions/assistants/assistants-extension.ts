import type {
  Assistant,
  AssistantChanges,
  AssistantPage,
  CoreContext,
  DataFolderOptions,
  JsonSource,
  StoreWarning,
} from '@jan/core';
import {
  AssistantExtension,
  DEFAULT_ASSISTANT_ID,
  DataFolder,
  ShapeError,
  StoreError,
  applyChanges,
  assertSafeId,
  compact,
  errorMessage,
  windowsNameProblem,
} from '@jan/core';
import { assistantIdFrom, defaultAssistant, parseAssistant } from './assistant-file';

export interface AssistantsStoreOptions extends Omit<DataFolderOptions, 'logger'> {
  /** The folder holding `assistants/` (default: the core's `.jan`). */
  folder?: string;
  /** Whether listing an empty folder writes the default "Jan" (not into a restricted workspace, not into the user's folder). */
  createDefault?: () => boolean;
}

type ReadResult =
  | { status: 'ok'; assistant: Assistant; raw: Record<string, unknown>; source?: JsonSource }
  | { status: 'missing' }
  | { status: 'invalid'; message: string };

/**
 * Assistants in `.jan/assistants/<id>/assistant.json` (Jan's layout). The default "Jan" exists
 * logically from the start and is written on the first list, never at activation. A file that
 * cannot be read is reported and left alone: nothing is created or saved over it.
 */
export class JanAssistantsExtension extends AssistantExtension {
  private readonly folder: DataFolder;
  private readonly mayCreateDefault: () => boolean;

  constructor(core: CoreContext, { folder, createDefault, ...options }: AssistantsStoreOptions = {}) {
    super('assistants', core);
    this.folder = new DataFolder(folder ?? core.janFolder, { ...options, logger: core.logger });
    this.mayCreateDefault = createDefault ?? (() => true);
  }

  onLoad(): void {}

  async listAssistants(): Promise<AssistantPage> {
    const { assistants, warnings } = await this.readAll();
    const defaultFile = this.assistantFile(DEFAULT_ASSISTANT_ID);
    if (assistants.length === 0 && this.mayCreateDefault() && !(await this.folder.exists(defaultFile))) {
      try {
        assistants.push(await this.createDefault());
        this.core.events.emit('OnAssistantsChanged', [...assistants]);
      } catch (error) {
        warnings.push({
          path: defaultFile,
          message: `The default assistant could not be saved (${errorMessage(error)}); it is used without being saved.`,
        });
        assistants.push(defaultAssistant());
      }
    }
    for (const warning of warnings) this.core.logger.warn(`${warning.path}: ${warning.message}`);
    return { assistants, warnings };
  }

  async getAssistant(id: string): Promise<Assistant | undefined> {
    const result = await this.read(id);
    if (result.status === 'ok') return result.assistant;
    if (result.status === 'invalid') throw new StoreError('INVALID_FILE', result.message, this.assistantFile(id));
    return id === DEFAULT_ASSISTANT_ID ? defaultAssistant() : undefined;
  }

  async createAssistant(assistant: Partial<Assistant> & Pick<Assistant, 'name'>): Promise<Assistant> {
    const id =
      assistant.id === undefined ? await this.freeIdFor(assistant.name) : assertSafeId(assistant.id, 'Assistant');
    const created: Assistant = {
      ...defaultAssistant(),
      description: '',
      ...assistant,
      id,
      object: 'assistant',
      created_at: assistant.created_at ?? Date.now(),
    };
    const folder = this.assistantFolder(id);
    await this.folder.write(folder, async (writer) => {
      const existing = await this.read(id);
      if (existing.status === 'invalid') {
        throw new StoreError(
          'ALREADY_EXISTS',
          `${existing.message} Fix or remove it, or choose another id.`,
          this.assistantFile(id),
        );
      }
      if (existing.status === 'ok')
        throw new StoreError('ALREADY_EXISTS', `An assistant with id "${id}" already exists.`, this.assistantFile(id));
      await writer.createFolder(folder, 'Assistant');
      await writer.createJson(this.assistantFile(id), created);
    });
    await this.announce();
    return created;
  }

  async updateAssistant(
    id: string,
    changes: AssistantChanges | ((current: Assistant) => AssistantChanges),
  ): Promise<Assistant> {
    const updated = await this.folder.write(this.assistantFolder(id), async (writer) => {
      const current = await this.read(id);
      if (current.status === 'invalid') throw new StoreError('INVALID_FILE', current.message, this.assistantFile(id));
      if (current.status === 'missing' && id !== DEFAULT_ASSISTANT_ID) {
        throw new StoreError('NOT_FOUND', `Assistant "${id}" does not exist.`, this.assistantFile(id));
      }
      const base = current.status === 'ok' ? current.assistant : defaultAssistant();
      const next = compact<Assistant>(base, {
        ...(typeof changes === 'function' ? changes(base) : changes),
        id,
        object: 'assistant',
      });
      await writer.ensureFolder(this.assistantFolder(id));
      // Only what the caller changed is written into the file as it is (src/core/store/record.ts).
      await writer.writeJson(
        this.assistantFile(id),
        current.status === 'ok' ? applyChanges(current.raw, base, next) : next,
        current.status === 'ok' ? current.source : undefined,
      );
      return next;
    });
    await this.announce();
    return updated;
  }

  /** Jan refuses to delete its default assistant; so do we (threads fall back to it). */
  async deleteAssistant(id: string): Promise<void> {
    if (id === DEFAULT_ASSISTANT_ID)
      throw new StoreError('NOT_ALLOWED', 'The default assistant "Jan" cannot be deleted.');
    const folder = this.assistantFolder(id);
    const existed = await this.folder.write(folder, async (writer) => {
      if (!(await this.folder.exists(folder))) return false;
      await writer.removeFolder(folder);
      return true;
    });
    if (existed) await this.announce();
  }

  private assistantFolder(id: string): string {
    return this.folder.path('assistants', assertSafeId(id, 'Assistant'));
  }

  /** Where the assistant's file is (or would be). */
  assistantFile(id: string): string {
    return this.folder.path('assistants', assertSafeId(id, 'Assistant'), 'assistant.json');
  }

  private async read(id: string): Promise<ReadResult> {
    const file = this.assistantFile(id);
    const result = await this.folder.readJson(file);
    if (result.status === 'missing') return result;
    if (result.status === 'invalid')
      return { status: 'invalid', message: `${file} cannot be read (${result.error}); it was left as it is.` };
    try {
      return {
        status: 'ok',
        assistant: parseAssistant(result.value, id),
        raw: result.value as Record<string, unknown>,
        source: result.source,
      };
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      return {
        status: 'invalid',
        message: `${file} is not a valid assistant (${error.message}); it was left as it is.`,
      };
    }
  }

  private async readAll(): Promise<{ assistants: Assistant[]; warnings: StoreWarning[] }> {
    const assistants: Assistant[] = [];
    await this.folder.removeStaleTemps(this.folder.path('assistants'));
    const { names, warnings } = await this.folder.listFolders(this.folder.path('assistants'));
    for (const name of names) {
      const file = this.folder.path('assistants', name, 'assistant.json');
      try {
        await this.folder.removeStaleTemps(this.assistantFolder(name));
        const result = await this.read(name);
        if (result.status === 'ok') assistants.push(result.assistant);
        if (result.status === 'invalid') warnings.push({ path: file, message: result.message });
      } catch (error) {
        warnings.push({ path: file, message: errorMessage(error) });
      }
    }
    assistants.sort(
      (a, b) =>
        Number(b.id === DEFAULT_ASSISTANT_ID) - Number(a.id === DEFAULT_ASSISTANT_ID) ||
        a.created_at - b.created_at ||
        a.id.localeCompare(b.id),
    );
    return { assistants, warnings };
  }

  /** Under the lock, so two windows listing at once write "Jan" once and both get that file. */
  private async createDefault(): Promise<Assistant> {
    return this.folder.write(this.assistantFolder(DEFAULT_ASSISTANT_ID), async (writer) => {
      const existing = await this.read(DEFAULT_ASSISTANT_ID);
      if (existing.status === 'ok') return existing.assistant;
      if (existing.status === 'invalid') throw new StoreError('INVALID_FILE', existing.message);
      const created = defaultAssistant();
      await writer.ensureFolder(this.assistantFolder(DEFAULT_ASSISTANT_ID));
      await writer.createJson(this.assistantFile(DEFAULT_ASSISTANT_ID), created);
      this.core.logger.info(`Created the default assistant in ${this.assistantFile(DEFAULT_ASSISTANT_ID)}.`);
      return created;
    });
  }

  private async freeIdFor(name: string): Promise<string> {
    const base = assistantIdFrom(name);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      // A name such as "Con" makes a slug Windows cannot hold as a folder: the next one is taken.
      if (windowsNameProblem(candidate)) continue;
      if (await this.folder.exists(this.assistantFolder(candidate))) continue;
      if (!(await this.folder.caseTwin(this.folder.path('assistants'), candidate))) return candidate;
    }
  }

  private async announce(): Promise<void> {
    try {
      this.core.events.emit('OnAssistantsChanged', (await this.readAll()).assistants);
    } catch (error) {
      this.core.logger.warn(`Could not list assistants after a change: ${errorMessage(error)}`);
    }
  }
}
