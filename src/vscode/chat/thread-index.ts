import type { Thread } from '@jan/core';
import type { ThreadSummary } from '@jan/protocol';
import { toThreadSummary } from './views';

/**
 * The thread list the view pages through: summaries kept newest first in memory, so searching
 * and paging ten thousand threads never touches the disk again. Threads waiting out their undo
 * window are hidden, not forgotten.
 */
export class ThreadIndex {
  private threads: ThreadSummary[] = [];
  private readonly hidden = new Set<string>();
  loadedAt = 0;

  replace(threads: Thread[], now = Date.now()): void {
    this.threads = threads.map(toThreadSummary).sort((a, b) => b.updated - a.updated);
    this.loadedAt = now;
  }

  get loaded(): boolean {
    return this.loadedAt > 0;
  }

  page(query: string, offset: number, limit: number): { total: number; items: ThreadSummary[] } {
    const needle = query.trim().toLowerCase();
    const visible = this.threads.filter(
      (thread) => !this.hidden.has(thread.id) && (!needle || thread.title.toLowerCase().includes(needle)),
    );
    return { total: visible.length, items: visible.slice(offset, offset + limit) };
  }

  get(id: string): ThreadSummary | undefined {
    return this.threads.find((thread) => thread.id === id);
  }

  upsert(thread: Thread): ThreadSummary {
    const summary = toThreadSummary(thread);
    const rest = this.threads.filter((item) => item.id !== summary.id);
    const at = rest.findIndex((item) => item.updated <= summary.updated);
    rest.splice(at < 0 ? rest.length : at, 0, summary);
    this.threads = rest;
    return summary;
  }

  remove(id: string): void {
    this.threads = this.threads.filter((item) => item.id !== id);
    this.hidden.delete(id);
  }

  hide(id: string): void {
    this.hidden.add(id);
  }

  unhide(id: string): void {
    this.hidden.delete(id);
  }

  isHidden(id: string): boolean {
    return this.hidden.has(id);
  }
}
