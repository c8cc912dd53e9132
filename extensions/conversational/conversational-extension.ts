import type {
  CoreContext,
  DataFolderOptions,
  JsonLine,
  MessagePage,
  StoreWarning,
  StoreWriter,
  Thread,
  ThreadChanges,
  ThreadMessage,
  ThreadPage,
} from '@jan/core';
import {
  ConversationalExtension,
  DEFAULT_THREAD_TITLE,
  DataFolder,
  ShapeError,
  StoreError,
  assertSafeId,
  errorMessage,
  isStoreError,
  newId,
  newThreadId,
} from '@jan/core';
import { parseMessage, toStoredMessage } from './message-line';
import { parseThread, toStoredThread } from './thread-file';

export type ConversationalStoreOptions = Omit<DataFolderOptions, 'logger'>;

/** A messages.jsonl line: its raw bytes, the message when it is one, its new text when edited. */
interface MessageEntry {
  raw: Buffer;
  message?: ThreadMessage;
  replacement?: string;
}

/**
 * Threads and messages in `.jan/threads/<id>/{thread.json,messages.jsonl}`, Jan's layout, with
 * the durability rules of docs/ARCHITECTURE.md: every write holds the thread's lock (`threads/<id>.lock`,
 * shared with other processes), thread.json and edited message files are replaced atomically,
 * new messages are appended, and nothing that failed to parse is ever dropped or overwritten.
 */
export class JanConversationalExtension extends ConversationalExtension {
  private readonly folder: DataFolder;

  constructor(core: CoreContext, options: ConversationalStoreOptions = {}) {
    super('conversational', core);
    this.folder = new DataFolder(core.janFolder, { ...options, logger: core.logger });
  }

  /** Activation writes nothing into the workspace: the folder appears with the first thread. */
  onLoad(): void {}

  async listThreads(): Promise<ThreadPage> {
    const names = await this.folder.listFolders(this.folder.path('threads'));
    const files = names.map((name) => this.folder.path('threads', name, 'thread.json'));
    const results = await this.folder.readJsonFiles(files);
    const threads: Thread[] = [];
    const warnings: StoreWarning[] = [];
    for (const [index, result] of results.entries()) {
      const file = files[index]!;
      if (result.status === 'ok') {
        try {
          threads.push(this.parseThreadOrThrow(result.value, names[index]!, file));
        } catch (error) {
          warnings.push({ path: file, message: errorMessage(error) });
        }
      } else if (result.status === 'invalid') {
        warnings.push({ path: file, message: `${result.error}; the thread was skipped and the file left as it is.` });
      } else if (result.status === 'unreadable') {
        warnings.push({ path: file, message: `cannot be read (${result.error}); the thread was skipped.` });
      } else if (await this.folder.exists(this.folder.path('threads', names[index]!, 'messages.jsonl'))) {
        // A folder being created right now has no thread.json yet; one with messages has lost it.
        warnings.push({ path: file, message: 'thread.json is missing but messages.jsonl exists; the thread was skipped.' });
      }
    }
    threads.sort((a, b) => b.updated - a.updated || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    this.report(warnings);
    return { threads, warnings };
  }

  async getThread(threadId: string): Promise<Thread | undefined> {
    const file = this.threadFile(threadId);
    const result = await this.folder.readJson(file);
    if (result.status === 'missing') return undefined;
    if (result.status === 'invalid') throw new StoreError('INVALID_FILE', `${file} cannot be read (${result.error}); it was left as it is.`, file);
    return this.parseThreadOrThrow(result.value, threadId, file);
  }

  async createThread(thread: Partial<Thread> & Pick<Thread, 'assistants'>): Promise<Thread> {
    const now = Date.now();
    const id = assertSafeId(thread.id ?? newThreadId(now), 'Thread');
    const stored = toStoredThread({
      title: DEFAULT_THREAD_TITLE,
      ...thread,
      id,
      object: 'thread',
      created: thread.created ?? now,
      updated: thread.updated ?? now,
    });
    const folder = this.threadFolder(id);
    await this.folder.write(folder, async (writer) => {
      await writer.ensureFolder(folder);
      try {
        await writer.createJson(this.threadFile(id), stored);
      } catch (error) {
        if (isStoreError(error, 'ALREADY_EXISTS')) throw new StoreError('ALREADY_EXISTS', `Thread ${id} already exists.`, error.path);
        throw error;
      }
    });
    this.core.events.emit('OnThreadUpdated', stored);
    return stored;
  }

  /**
   * Applies `changes` to thread.json as it is on disk when the lock is held, so an update made
   * meanwhile by another window is kept. `changes` may be a function of that current thread.
   */
  async updateThread(threadId: string, changes: ThreadChanges | ((current: Thread) => ThreadChanges)): Promise<Thread> {
    const folder = this.threadFolder(threadId);
    const next = await this.folder.write(folder, async (writer) => {
      const current = await this.getThread(threadId);
      if (!current) throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, folder);
      const patch = typeof changes === 'function' ? changes(current) : changes;
      const updated = toStoredThread({
        ...current,
        ...patch,
        id: current.id,
        object: 'thread',
        updated: patch.updated ?? Math.max(Date.now(), current.updated),
      });
      await writer.writeJson(this.threadFile(threadId), updated);
      return updated;
    });
    this.core.events.emit('OnThreadUpdated', next);
    return next;
  }

  async deleteThread(threadId: string): Promise<void> {
    const folder = this.threadFolder(threadId);
    const existed = await this.folder.write(folder, async (writer) => {
      if (!(await this.folder.exists(folder))) return false;
      await writer.removeFolder(folder);
      return true;
    });
    if (existed) this.core.events.emit('OnThreadDeleted', { id: threadId });
  }

  async listMessages(threadId: string): Promise<MessagePage> {
    const entries = await this.readMessageEntries(threadId);
    const warnings = this.warningsOf(threadId, entries.bad);
    this.report(warnings);
    return { messages: entries.all.flatMap((entry) => (entry.message ? [entry.message] : [])), warnings };
  }

  async appendMessage(message: ThreadMessage): Promise<ThreadMessage> {
    const threadId = message.thread_id;
    const stored = toStoredMessage({ ...message, id: message.id || newId(), object: 'thread.message' });
    await this.folder.write(this.threadFolder(threadId), async (writer) => {
      try {
        await writer.appendJsonLine(this.messagesFile(threadId), stored);
      } catch (error) {
        if (isStoreError(error, 'NOT_FOUND')) throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, error.path);
        throw error;
      }
    });
    return stored;
  }

  async updateMessage(message: ThreadMessage): Promise<ThreadMessage> {
    let stored: ThreadMessage | undefined;
    await this.rewriteMessages(message.thread_id, (entries) =>
      entries.map((entry) => {
        if (entry.message?.id !== message.id) return entry;
        stored = toStoredMessage({ ...entry.message, ...message, thread_id: entry.message.thread_id });
        return { ...entry, message: stored, replacement: JSON.stringify(stored) };
      }),
    );
    if (!stored) throw this.messageNotFound(message.thread_id, message.id);
    return stored;
  }

  async deleteMessage(threadId: string, messageId: string): Promise<void> {
    await this.rewriteMessages(threadId, (entries) => {
      const kept = entries.filter((entry) => entry.message?.id !== messageId);
      if (kept.length === entries.length) throw this.messageNotFound(threadId, messageId);
      return kept;
    });
  }

  /** Lines that are not messages are kept even after the cut: they may be the user's data. */
  async truncateFrom(threadId: string, messageId: string): Promise<void> {
    await this.rewriteMessages(threadId, (entries) => {
      const cut = entries.findIndex((entry) => entry.message?.id === messageId);
      if (cut === -1) throw this.messageNotFound(threadId, messageId);
      return entries.filter((entry, index) => index < cut || !entry.message);
    });
  }

  private threadFolder(threadId: string): string {
    return this.folder.path('threads', assertSafeId(threadId, 'Thread'));
  }

  private threadFile(threadId: string): string {
    return this.folder.path('threads', assertSafeId(threadId, 'Thread'), 'thread.json');
  }

  private messagesFile(threadId: string): string {
    return this.folder.path('threads', assertSafeId(threadId, 'Thread'), 'messages.jsonl');
  }

  private parseThreadOrThrow(value: unknown, threadId: string, file: string): Thread {
    try {
      return parseThread(value, threadId);
    } catch (error) {
      if (error instanceof ShapeError) {
        throw new StoreError('INVALID_FILE', `${file} is not a valid thread (${error.message}); it was left as it is.`, file);
      }
      throw error;
    }
  }

  private async readMessageEntries(threadId: string): Promise<{ all: MessageEntry[]; bad: Array<{ line: number; message: string }> }> {
    const file = this.messagesFile(threadId);
    const { exists, lines } = await this.folder.readJsonLines(file);
    if (!exists && !(await this.folder.exists(this.threadFolder(threadId)))) {
      throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, this.threadFolder(threadId));
    }
    const bad: Array<{ line: number; message: string }> = [];
    const all = lines.map((line: JsonLine): MessageEntry => {
      if (line.error !== undefined) {
        bad.push({ line: line.line, message: line.error });
        return { raw: line.raw };
      }
      try {
        return { raw: line.raw, message: parseMessage(line.value, threadId) };
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error;
        bad.push({ line: line.line, message: `not a message: ${error.message}` });
        return { raw: line.raw };
      }
    });
    return { all, bad };
  }

  /**
   * The one path that rewrites messages.jsonl: read under the lock, edit, replace atomically.
   * Unchanged lines, including ones that could not be read, are written back byte for byte.
   */
  private async rewriteMessages(threadId: string, edit: (entries: MessageEntry[]) => MessageEntry[]): Promise<void> {
    const file = this.messagesFile(threadId);
    await this.folder.write(this.threadFolder(threadId), async (writer: StoreWriter) => {
      const { all, bad } = await this.readMessageEntries(threadId);
      const next = edit(all);
      const keptBad = next.filter((entry) => !entry.message).length;
      if (bad.length > 0) {
        this.core.logger.warn(`${file}: ${keptBad} unreadable line(s) kept verbatim while rewriting (${bad.map((b) => `line ${b.line}`).join(', ')}).`);
      }
      await writer.rewriteLines(
        file,
        next.map((entry) => entry.replacement ?? entry.raw),
      );
    });
  }

  private warningsOf(threadId: string, bad: Array<{ line: number; message: string }>): StoreWarning[] {
    const file = this.messagesFile(threadId);
    return bad.map(({ line, message }) => ({ path: file, message: `line ${line} skipped: ${message}` }));
  }

  private messageNotFound(threadId: string, messageId: string): StoreError {
    return new StoreError('NOT_FOUND', `Message ${messageId} is not in thread ${threadId}.`, this.messagesFile(threadId));
  }

  private report(warnings: StoreWarning[]): void {
    for (const warning of warnings) this.core.logger.warn(`${warning.path}: ${warning.message}`);
  }
}
