/**
 * The abstract extensions of Jan's core SDK. Built-in extensions in `extensions/` implement
 * them; the rest of the app finds them through the ExtensionManager by type.
 */
import { BaseExtension, ExtensionType } from './extension';
import type { Assistant, Model, Thread, ThreadMessage } from './types';

/** A problem found while reading the store: the item was skipped, never rewritten. */
export interface StoreWarning {
  path: string;
  message: string;
}

export interface ThreadPage {
  threads: Thread[];
  /** Threads whose thread.json could not be read; they were skipped. */
  warnings: StoreWarning[];
}

export interface MessagePage {
  messages: ThreadMessage[];
  warnings: StoreWarning[];
}

export type ThreadChanges = Partial<Omit<Thread, 'id' | 'object'>>;

export abstract class ConversationalExtension extends BaseExtension {
  type(): ExtensionType {
    return ExtensionType.Conversational;
  }
  /** All threads, newest `updated` first. Reads only thread.json files. */
  abstract listThreads(): Promise<ThreadPage>;
  abstract getThread(threadId: string): Promise<Thread | undefined>;
  /** Creates the thread folder and thread.json; fills id/created/updated when missing. */
  abstract createThread(thread: Partial<Thread> & Pick<Thread, 'assistants'>): Promise<Thread>;
  /**
   * Rewrites thread.json atomically with the changes applied to the thread as it is on disk under
   * the thread's lock (a function of that current thread for read-modify-write); bumps `updated`.
   */
  abstract updateThread(
    threadId: string,
    changes: ThreadChanges | ((current: Thread) => ThreadChanges),
  ): Promise<Thread>;
  abstract deleteThread(threadId: string): Promise<void>;
  abstract listMessages(threadId: string): Promise<MessagePage>;
  /** Appends one message line (never rewrites the file). */
  abstract appendMessage(message: ThreadMessage): Promise<ThreadMessage>;
  /**
   * Changes one message line (atomic rewrite of messages.jsonl): only the fields that differ from
   * the line as read are written. `position` is the message's index in `listMessages`; with it the
   * line at that index must still have that id, without it the id must be on one line only (ids
   * can repeat in files Jan or people wrote), so an edit or delete never reaches another copy.
   */
  abstract updateMessage(message: ThreadMessage, position?: number): Promise<ThreadMessage>;
  abstract deleteMessage(threadId: string, messageId: string, position?: number): Promise<void>;
  /** Deletes the message and every message after it (edit-and-resend, regenerate). */
  abstract truncateFrom(threadId: string, messageId: string, position?: number): Promise<void>;
}

export interface AssistantPage {
  assistants: Assistant[];
  warnings: StoreWarning[];
}

/** Where an assistant is kept: the workspace's `.jan/assistants` (shared with the team) or the user's global storage. */
export type AssistantScope = 'workspace' | 'user';

export interface ScopedAssistant {
  assistant: Assistant;
  scope: AssistantScope;
  /** Why it is listed but not used here (a workspace assistant in a restricted workspace). */
  blocked?: string;
  /** A user assistant hidden by a workspace assistant with the same id. */
  shadowed?: boolean;
  /**
   * The label of the extension's assistant source that offers it (registerAssistantSource): it is
   * kept in no folder, so it is used (and can be the default), not edited or deleted.
   */
  offeredBy?: string;
}

export interface ScopedAssistantPage {
  entries: ScopedAssistant[];
  warnings: StoreWarning[];
}

export type AssistantChanges = Partial<Omit<Assistant, 'id' | 'object'>>;

export abstract class AssistantExtension extends BaseExtension {
  type(): ExtensionType {
    return ExtensionType.Assistant;
  }
  /** The assistants that can be used here, the default first; creates the default assistant "Jan" when none exists. */
  abstract listAssistants(): Promise<AssistantPage>;
  /** The assistant used for `id` (without a scope: the workspace's wins over the user's). */
  abstract getAssistant(id: string, scope?: AssistantScope): Promise<Assistant | undefined>;
  abstract createAssistant(
    assistant: Partial<Assistant> & Pick<Assistant, 'name'>,
    scope?: AssistantScope,
  ): Promise<Assistant>;
  /** Changes applied to the file as it is on disk (a function of it for read-modify-write). */
  abstract updateAssistant(
    id: string,
    changes: AssistantChanges | ((current: Assistant) => AssistantChanges),
    scope?: AssistantScope,
  ): Promise<Assistant>;
  abstract deleteAssistant(id: string, scope?: AssistantScope): Promise<void>;

  /** Every assistant of every scope, marked, for pickers that show what is hidden or blocked too. */
  async listScoped(): Promise<ScopedAssistantPage> {
    const { assistants, warnings } = await this.listAssistants();
    return { entries: assistants.map((assistant) => ({ assistant, scope: 'workspace' as const })), warnings };
  }

  /** Why the assistant `id` may not be used here, or undefined when it may. */
  async blockedReason(_id: string): Promise<string | undefined> {
    return undefined;
  }

  /** True in a restricted workspace: instructions stored in the workspace are not used (src/core/instruction-gate.ts). */
  isRestricted(): boolean {
    return false;
  }
}

export interface ModelPage {
  models: Model[];
  warnings: StoreWarning[];
}

/** A model and the absolute path of its GGUF file: what an engine needs to load it. */
export interface ResolvedModel {
  model: Model;
  filePath: string;
}

export abstract class ModelExtension extends BaseExtension {
  type(): ExtensionType {
    return ExtensionType.Model;
  }
  abstract listModels(): Promise<ModelPage>;
  abstract getModel(id: string): Promise<Model | undefined>;
  /** Absolute path of the model's GGUF file. */
  abstract modelFilePath(model: Model): string;
  /** The model with this id and its GGUF path; undefined when no model.json declares the id. */
  abstract resolveModel(id: string): Promise<ResolvedModel | undefined>;
  abstract deleteModel(id: string): Promise<void>;
}
