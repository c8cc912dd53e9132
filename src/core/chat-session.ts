import type { ConversationService } from './conversation';
import type {
  AssistantExtension,
  ConversationalExtension,
  ScopedAssistantPage,
  ThreadChanges,
  ThreadPage,
} from './extension-types';
import type { InferenceService } from './inference';
import { errorMessage, type Logger } from './logger';
import { StoreError } from './store';
import type { ModelChoice } from './model-choice';
import { assistantChanges, modelChanges, newThreadAssistant, pinnedModel } from './thread-assistant';
import { DEFAULT_THREAD_TITLE } from './thread-title';
import type { Assistant, Thread } from './types';

/** How long a deleted thread can be brought back before its folder is removed. */
export const UNDO_DELETE_MS = 8000;

/** Where the open thread is remembered between sessions (VS Code: workspace state). */
export interface ActiveThreadStore {
  load(): string | undefined;
  save(threadId: string | undefined): Promise<void>;
}

export interface ChatSessionDeps {
  conversational: ConversationalExtension;
  assistants: AssistantExtension;
  inference: InferenceService;
  conversation: ConversationService;
  logger: Logger;
  activeThread: ActiveThreadStore;
  undoDeleteMs?: number;
}

/** A choice made in an empty chat, before its thread exists; the first message creates it. */
export interface PendingChoice {
  modelId?: string;
  assistantId?: string;
}

interface Deletion {
  thread: Thread;
  timer: ReturnType<typeof setTimeout>;
  run: () => Promise<void>;
}

/**
 * The chat's own state, free of any view: which thread is open, what was picked in an empty
 * chat, how a new thread is made (assistant, then model: the pending pick, the assistant's
 * pinned model, else the user's chat model), and deletion with an undo window.
 */
export class ChatSession {
  private activeId: string | undefined;
  private pendingChoice: PendingChoice = {};
  private readonly deletions = new Map<string, Deletion>();
  private readonly undoDeleteMs: number;

  constructor(private readonly deps: ChatSessionDeps) {
    this.undoDeleteMs = deps.undoDeleteMs ?? UNDO_DELETE_MS;
    this.activeId = deps.activeThread.load();
  }

  get activeThreadId(): string | undefined {
    return this.activeId;
  }

  get pending(): PendingChoice {
    return { ...this.pendingChoice };
  }

  /** The open thread as it is on disk; a thread that is gone or being deleted closes. */
  async activeThread(): Promise<Thread | undefined> {
    const id = this.activeId;
    if (!id) return undefined;
    const thread = this.deletions.has(id) ? undefined : await this.deps.conversational.getThread(id);
    if (!thread && this.activeId === id) await this.setActive(undefined);
    return thread;
  }

  /** Opens a thread; false when it no longer exists (or waits out its undo window). */
  async open(threadId: string): Promise<boolean> {
    if (this.deletions.has(threadId) || !(await this.deps.conversational.getThread(threadId))) return false;
    await this.setActive(threadId);
    return true;
  }

  /** Stops the reply being written in the open thread, if any. */
  stopActive(): void {
    if (this.activeId) this.deps.conversation.stop(this.activeId);
  }

  /** An empty chat: no thread until the first message, no pending choice. */
  async startNew(): Promise<void> {
    this.pendingChoice = {};
    await this.setActive(undefined);
  }

  /** The thread for a new chat, made from the pending choice, and opened. */
  async createThread(): Promise<Thread> {
    const list = (await this.deps.assistants.listAssistants()).assistants;
    const assistant = list.find((candidate) => candidate.id === this.pendingChoice.assistantId) ?? list[0];
    if (!assistant) throw new Error('No assistant is available to start a thread.');
    const modelId = this.pendingChoice.modelId ?? pinnedModel(assistant);
    const model = modelId ? await this.deps.inference.choiceFor(modelId) : await this.deps.inference.chosen('chat');
    const thread = await this.deps.conversational.createThread({
      title: DEFAULT_THREAD_TITLE,
      assistants: [newThreadAssistant(assistant, model)],
    });
    this.pendingChoice = {};
    await this.setActive(thread.id);
    return thread;
  }

  /** A model for the thread, or for the next one when the chat is empty (null: the user's chat model). */
  async chooseModel(threadId: string | null, modelId: string | null): Promise<void> {
    if (!threadId) {
      this.pendingChoice = { ...this.pendingChoice, modelId: modelId ?? undefined };
      return;
    }
    const model: ModelChoice | null = modelId ? await this.deps.inference.choiceFor(modelId) : null;
    await this.deps.conversational.updateThread(threadId, (current) => modelChanges(current, model));
  }

  /** An assistant for the thread (its name, instructions, pinned model), or for the next one. */
  async chooseAssistant(threadId: string | null, assistantId: string): Promise<void> {
    const blocked = await this.deps.assistants.blockedReason(assistantId);
    if (blocked) throw new StoreError('NOT_ALLOWED', blocked);
    const assistant = await this.deps.assistants.getAssistant(assistantId);
    if (!assistant) throw new Error(`Assistant "${assistantId}" was not found.`);
    if (!threadId) {
      this.pendingChoice = { ...this.pendingChoice, assistantId: assistant.id };
      return;
    }
    const pinned = pinnedModel(assistant);
    const model = pinned ? await this.deps.inference.choiceFor(pinned) : undefined;
    await this.deps.conversational.updateThread(threadId, (current) => assistantChanges(current, assistant, model));
  }

  /** Every thread (thread.json files only), with warnings for folders that could not be read. */
  listThreads(): Promise<ThreadPage> {
    return this.deps.conversational.listThreads();
  }

  rename(threadId: string, title: string): Promise<Thread> {
    return this.deps.conversational.updateThread(threadId, { title });
  }

  /** Changes the thread's own settings (instructions, sampling, context), computed from the thread as it is now. */
  updateThread(threadId: string, changes: (current: Thread) => ThreadChanges): Promise<Thread> {
    return this.deps.conversational.updateThread(threadId, changes);
  }

  /** Every scope's assistants, each marked with its scope and why it cannot be used here. */
  assistants(): Promise<ScopedAssistantPage> {
    return this.deps.assistants.listScoped();
  }

  assistant(assistantId: string): Promise<Assistant | undefined> {
    return this.deps.assistants.getAssistant(assistantId);
  }

  isBeingDeleted(threadId: string): boolean {
    return this.deletions.has(threadId);
  }

  /**
   * Stops the thread's reply and schedules the deletion of its folder after the undo window;
   * the thread closes if it was open. Returns the thread, or undefined when it was already gone.
   * `failed` hears of a deletion that did not go through (the thread is then back).
   */
  async delete(threadId: string, failed: (thread: Thread, error: unknown) => void): Promise<Thread | undefined> {
    const thread = await this.deps.conversational.getThread(threadId);
    if (this.activeId === threadId) await this.startNew();
    if (!thread) return undefined;
    this.deps.conversation.stop(threadId);
    const run = async (): Promise<void> => {
      this.deletions.delete(threadId);
      try {
        await this.deps.conversational.deleteThread(threadId);
      } catch (error) {
        this.deps.logger.error(`Could not delete thread ${threadId}: ${errorMessage(error)}`);
        failed(thread, error);
      }
    };
    this.deletions.set(threadId, { thread, timer: setTimeout(() => void run(), this.undoDeleteMs), run });
    return thread;
  }

  /** Cancels a deletion still in its undo window; the thread, or undefined when it is too late. */
  undoDelete(threadId: string): Thread | undefined {
    const deletion = this.deletions.get(threadId);
    if (!deletion) return undefined;
    clearTimeout(deletion.timer);
    this.deletions.delete(threadId);
    return deletion.thread;
  }

  /** Carries out the deletions still waiting: the user asked for them. */
  async dispose(): Promise<void> {
    const pending = [...this.deletions.values()];
    this.deletions.clear();
    for (const deletion of pending) clearTimeout(deletion.timer);
    await Promise.allSettled(pending.map((deletion) => deletion.run()));
  }

  private async setActive(threadId: string | undefined): Promise<void> {
    this.activeId = threadId;
    await this.deps.activeThread.save(threadId);
  }
}
