import { EngineError } from '@jan/core';

/**
 * One model load shared by every caller that needs the same model at the same time. Each caller
 * waits with its own signal; the load itself is cancelled only when every waiting caller has
 * given up, so a keystroke that cancels one inline completion cannot cancel the load that the
 * "Select Model" command (or the next completion) is waiting for.
 */
export class SharedLoad<T> {
  readonly promise: Promise<T>;
  private readonly controller = new AbortController();
  private waiters = 0;

  constructor(start: (signal: AbortSignal) => Promise<T>) {
    this.promise = start(this.controller.signal);
    this.promise.catch(() => undefined);
  }

  async wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw aborted();
    this.waiters += 1;
    let listener: (() => void) | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      listener = () => {
        this.release();
        listener = undefined;
        reject(aborted());
      };
      signal?.addEventListener('abort', listener, { once: true });
    });
    try {
      return await Promise.race([this.promise, gaveUp]);
    } finally {
      if (listener) {
        signal?.removeEventListener('abort', listener);
        this.waiters -= 1;
      }
    }
  }

  private release(): void {
    this.waiters -= 1;
    if (this.waiters === 0) this.controller.abort();
  }
}

function aborted(): EngineError {
  return new EngineError('ABORTED', 'Loading the model was cancelled.');
}
