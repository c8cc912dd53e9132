/** Streaming updates reach the view at most this often: it renders once per frame anyway. */
export const STREAM_FLUSH_MS = 16;

/** When to flush: after `STREAM_FLUSH_MS` by default; a test passes its own to flush by hand. */
export type FlushScheduler = (flush: () => void) => { cancel(): void };

const afterDelay: FlushScheduler = (flush) => {
  const timer = setTimeout(flush, STREAM_FLUSH_MS);
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Keeps only the latest update per key until the next flush, so a model streaming hundreds of
 * tokens a second costs the view one message per frame. A final update flushes at once.
 */
export class StreamCoalescer<T> {
  private readonly latest = new Map<string, T>();
  private scheduled: { cancel(): void } | undefined;

  constructor(
    private readonly emit: (key: string, value: T) => void,
    private readonly schedule: FlushScheduler = afterDelay,
  ) {}

  /** An update that may be replaced by a later one before it is sent. */
  push(key: string, value: T): void {
    this.latest.set(key, value);
    this.scheduled ??= this.schedule(() => this.flush());
  }

  /** Sends everything held now (a final update, or the end of a run). */
  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    const held = [...this.latest];
    this.latest.clear();
    for (const [key, value] of held) this.emit(key, value);
  }

  dispose(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    this.latest.clear();
  }
}
