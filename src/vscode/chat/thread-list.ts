import { errorMessage, type ChatSession, type Logger, type Thread } from '@jan/core';
import { isProtocolId, type HostMessage, type MessageHandlers, type WebviewMessage } from '@jan/protocol';
import { ThreadIndex } from './thread-index';
import { toThreadSummary } from './views';
import type { WebviewChannel } from './webview-channel';

/** The thread list is read from disk again when the panel opens after this long. */
const INDEX_MAX_AGE_MS = 10_000;

/**
 * The thread list panel's side of the host: pages of the in-memory index, and every change to a
 * thread (created, renamed, deleted here or elsewhere, hidden during its undo window) told to
 * the view as it happens.
 */
export class ThreadList {
  private readonly index = new ThreadIndex();

  constructor(
    private readonly channel: WebviewChannel<HostMessage>,
    private readonly logger: Logger,
  ) {}

  async page(threads: Pick<ChatSession, 'listThreads'>, query: string, offset: number, limit: number): Promise<void> {
    if (!this.index.loaded || (offset === 0 && Date.now() - this.index.loadedAt > INDEX_MAX_AGE_MS)) {
      const page = await threads.listThreads();
      for (const warning of page.warnings) this.logger.warn(`Thread list: ${warning.path}: ${warning.message}`);
      this.index.replace(page.threads.filter((thread) => isProtocolId(thread.id)));
    }
    const { total, items } = this.index.page(query, offset, limit);
    this.channel.send({ type: 'threads', query, offset, total, items });
  }

  /** A thread was created or changed; false when it waits out its undo window (not shown). */
  changed(thread: Thread): boolean {
    if (!isProtocolId(thread.id)) return false;
    const summary = this.index.upsert(thread);
    if (this.index.isHidden(thread.id)) return false;
    this.channel.send({ type: 'threadChanged', thread: summary });
    return true;
  }

  /** The thread is gone from the list: deleted for good, or (with `undoable`) for now. */
  removed(threadId: string, deleted?: Thread): void {
    if (deleted) {
      this.index.upsert(deleted);
      this.index.hide(threadId);
    } else this.index.remove(threadId);
    if (isProtocolId(threadId))
      this.channel.send({
        type: 'threadRemoved',
        id: threadId,
        title: deleted?.title ?? '',
        undoable: deleted !== undefined,
      });
  }

  /**
   * Hides the thread at once; the session deletes its folder when the undo window closes (a
   * failure brings it back, said so). True when it was the open thread (the chat is now empty).
   */
  async delete(session: ChatSession, threadId: string): Promise<boolean> {
    const wasActive = session.activeThreadId === threadId;
    const thread = await session.delete(threadId, (failed, error) => {
      this.channel.send({ type: 'error', message: `Could not delete “${failed.title}”: ${errorMessage(error)}` });
      this.restored(failed);
    });
    this.removed(threadId, thread);
    return wasActive;
  }

  /** Brings back a thread in its undo window, or says it is too late. */
  undoDelete(session: ChatSession, threadId: string): void {
    const thread = session.undoDelete(threadId);
    if (thread) this.restored(thread);
    else this.channel.send({ type: 'error', message: 'Too late to undo: the thread was already deleted.' });
  }

  /** A deletion was undone or failed: the thread is back. */
  restored(thread: Thread): void {
    this.index.unhide(thread.id);
    this.channel.send({ type: 'threadChanged', thread: this.index.get(thread.id) ?? toThreadSummary(thread) });
  }
}

export type ThreadListMessage = Extract<
  WebviewMessage,
  { type: 'listThreads' | 'renameThread' | 'deleteThread' | 'undoDeleteThread' }
>;

/** The view's thread list messages; `sendState` after a delete (the open thread may be the one gone). */
export function threadListHandlers(
  threads: ThreadList,
  chat: Promise<{ session: ChatSession }>,
  sendState: () => Promise<void>,
): MessageHandlers<ThreadListMessage, Promise<void> | void> {
  const session = async () => (await chat).session;
  return {
    listThreads: async ({ query, offset, limit }) => threads.page(await session(), query, offset, limit),
    renameThread: async ({ threadId, title }) => void (await (await session()).rename(threadId, title)),
    deleteThread: async ({ threadId }) => {
      if (await threads.delete(await session(), threadId)) await sendState();
    },
    undoDeleteThread: async ({ threadId }) => threads.undoDelete(await session(), threadId),
  };
}
