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
  compact,
  errorMessage,
  isStoreError,
  newId,
  newThreadId,
  parseKeeping,
  stringifyKeeping,
} from '@jan/core';
import { parseMessage, rewriteMessageLine, toStoredMessage } from './message-line';
import { parseThread, rewriteThreadFile, toStoredThread } from './thread-file';

export type ConversationalStoreOptions = Omit<DataFolderOptions, 'logger'>;

/** A messages.jsonl line: its raw bytes (and value), the message when it is one, its new text when edited. */
interface MessageEntry {
  line: number;
  raw: Buffer;
  value?: unknown;
  message?: ThreadMessage;
  replacement?: Buffer;
}

interface MessageLines {
  all: MessageEntry[];
  bad: Array<{ line: number; message: string }>;
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
    await this.folder.removeStaleTemps(this.folder.root);
    await this.folder.removeStaleTemps(this.folder.path('threads'));
    const listed = await this.folder.listFolders(this.folder.path('threads'));
    const warnings = listed.warnings;
    const names = listed.names.filter((name) => {
      try {
        return assertSafeId(name, 'Thread');
      } catch (error) {
        warnings.push({
          path: this.folder.path('threads', name),
          message: `${errorMessage(error)} The thread was skipped; rename its folder to open it.`,
        });
        return false;
      }
    });
    const files = names.map((name) => this.folder.path('threads', name, 'thread.json'));
    const results = await this.folder.readJsonFiles(files);
    const threads: Thread[] = [];
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
        warnings.push({
          path: file,
          message: 'thread.json is missing but messages.jsonl exists; the thread was skipped.',
        });
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
    if (result.status === 'invalid')
      throw new StoreError('INVALID_FILE', `${file} cannot be read (${result.error}); it was left as it is.`, file);
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
      await writer.createFolder(folder, 'Thread');
      try {
        await writer.createJson(this.threadFile(id), stored);
      } catch (error) {
        if (isStoreError(error, 'ALREADY_EXISTS'))
          throw new StoreError('ALREADY_EXISTS', `Thread ${id} already exists.`, error.path);
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
      const file = this.threadFile(threadId);
      const result = await this.folder.readJson(file);
      if (result.status === 'missing') throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, folder);
      if (result.status === 'invalid')
        throw new StoreError('INVALID_FILE', `${file} cannot be read (${result.error}); it was left as it is.`, file);
      const current = this.parseThreadOrThrow(result.value, threadId, file);
      const patch = typeof changes === 'function' ? changes(current) : changes;
      const updated = compact<Thread>(current, {
        ...patch,
        id: current.id,
        object: 'thread',
        updated: patch.updated ?? Math.max(Date.now(), current.updated),
      });
      await writer.writeJson(
        file,
        rewriteThreadFile(result.value as Record<string, unknown>, current, updated),
        result.source,
      );
      return toStoredThread(updated);
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
    let entries: MessageLines;
    await this.folder.removeStaleTemps(this.threadFolder(threadId));
    try {
      entries = await this.readMessageEntries(threadId);
    } catch (error) {
      // A link out of the data folder: the thread opens empty and says why, nothing is read through it.
      if (!isStoreError(error, 'NOT_ALLOWED')) throw error;
      const warnings = [{ path: error.path ?? this.messagesFile(threadId), message: error.message }];
      this.report(warnings);
      return { messages: [], warnings };
    }
    const warnings = [...this.warningsOf(threadId, entries.bad), ...this.duplicateWarnings(threadId, entries.all)];
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
        if (isStoreError(error, 'NOT_FOUND'))
          throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, error.path);
        throw error;
      }
    });
    return stored;
  }

  async updateMessage(message: ThreadMessage, position?: number): Promise<ThreadMessage> {
    let stored: ThreadMessage | undefined;
    await this.rewriteMessages(message.thread_id, (entries) => {
      const at = this.locate(message.thread_id, entries, message.id, position);
      const entry = entries[at]!;
      // Read again keeping where each value came from, so what is not edited keeps its bytes.
      const { value, source } = parseKeeping(entry.raw);
      const before = parseMessage(value, message.thread_id);
      const after = compact<ThreadMessage>(before, {
        ...message,
        id: before.id,
        thread_id: before.thread_id,
        object: 'thread.message',
      });
      const line = rewriteMessageLine(value as Record<string, unknown>, before, after);
      stored = parseMessage(line, message.thread_id);
      return entries.map((other, index) =>
        index === at
          ? { ...entry, value: line, message: stored, replacement: stringifyKeeping(line, source, 0) }
          : other,
      );
    });
    return stored!;
  }

  async deleteMessage(threadId: string, messageId: string, position?: number): Promise<void> {
    await this.rewriteMessages(threadId, (entries) => {
      const at = this.locate(threadId, entries, messageId, position);
      return entries.filter((_entry, index) => index !== at);
    });
  }

  /** Lines that are not messages are kept even after the cut: they may be the user's data. */
  async truncateFrom(threadId: string, messageId: string, position?: number): Promise<void> {
    await this.rewriteMessages(threadId, (entries) => {
      const cut = this.locate(threadId, entries, messageId, position);
      return entries.filter((entry, index) => index < cut || !entry.message);
    });
  }

  /**
   * The one line an edit means: the message at `position` (index among messages) when it still
   * has that id, else the only line with that id. Never every copy of a repeated id.
   */
  private locate(threadId: string, entries: MessageEntry[], messageId: string, position?: number): number {
    const messages = entries.flatMap((entry, index) => (entry.message ? [index] : []));
    if (position !== undefined) {
      const at = messages[position];
      if (at !== undefined && entries[at]!.message!.id === messageId) return at;
      throw new StoreError(
        'NOT_FOUND',
        `Message ${messageId} is no longer message ${position + 1} of thread ${threadId} (the thread changed meanwhile); reopen the thread and try again.`,
        this.messagesFile(threadId),
      );
    }
    const copies = messages.filter((index) => entries[index]!.message!.id === messageId);
    if (copies.length === 0) throw this.messageNotFound(threadId, messageId);
    if (copies.length > 1) {
      throw new StoreError(
        'NOT_ALLOWED',
        `Message ${messageId} appears ${copies.length} times in ${this.messagesFile(threadId)} (lines ${copies.map((index) => entries[index]!.line).join(', ')}); nothing was changed because it is not clear which one is meant.`,
        this.messagesFile(threadId),
      );
    }
    return copies[0]!;
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
        throw new StoreError(
          'INVALID_FILE',
          `${file} is not a valid thread (${error.message}); it was left as it is.`,
          file,
        );
      }
      throw error;
    }
  }

  private async readMessageEntries(threadId: string): Promise<MessageLines> {
    const file = this.messagesFile(threadId);
    const { exists, lines } = await this.folder.readJsonLines(file);
    if (!exists && !(await this.folder.exists(this.threadFolder(threadId)))) {
      throw new StoreError('NOT_FOUND', `Thread ${threadId} does not exist.`, this.threadFolder(threadId));
    }
    const bad: Array<{ line: number; message: string }> = [];
    const all = lines.map((line: JsonLine): MessageEntry => {
      if (line.error !== undefined) {
        bad.push({ line: line.line, message: line.error });
        return { line: line.line, raw: line.raw };
      }
      try {
        return { line: line.line, raw: line.raw, value: line.value, message: parseMessage(line.value, threadId) };
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error;
        bad.push({ line: line.line, message: `not a message: ${error.message}` });
        return { line: line.line, raw: line.raw };
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
        this.core.logger.warn(
          `${file}: ${keptBad} unreadable line(s) kept verbatim while rewriting (${bad.map((b) => `line ${b.line}`).join(', ')}).`,
        );
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

  /** Jan and hand edits can repeat an id; the thread still opens, and edits address one line (see `locate`). */
  private duplicateWarnings(threadId: string, entries: MessageEntry[]): StoreWarning[] {
    const linesById = new Map<string, number[]>();
    for (const entry of entries) {
      if (!entry.message) continue;
      const lines = linesById.get(entry.message.id);
      if (lines) lines.push(entry.line);
      else linesById.set(entry.message.id, [entry.line]);
    }
    const file = this.messagesFile(threadId);
    return [...linesById]
      .filter(([, lines]) => lines.length > 1)
      .map(([id, lines]) => ({
        path: file,
        message: `the message id ${JSON.stringify(id)} is on lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}; each is shown, and an edit or delete changes only the one chosen.`,
      }));
  }

  private messageNotFound(threadId: string, messageId: string): StoreError {
    return new StoreError(
      'NOT_FOUND',
      `Message ${messageId} is not in thread ${threadId}.`,
      this.messagesFile(threadId),
    );
  }

  private report(warnings: StoreWarning[]): void {
    for (const warning of warnings) this.core.logger.warn(`${warning.path}: ${warning.message}`);
  }
}
