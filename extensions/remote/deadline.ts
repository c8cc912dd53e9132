/**
 * One request's cancellation: the caller's signal (Stop, the next keystroke) and an idle
 * deadline. `signal` aborts on either; `timedOut` says which. The clock starts with the request
 * and, for a stream, starts over only with a chunk that carries output (`chunk(true)`): SSE
 * keep-alive comments, chunks without choices and empty deltas never do, so a server that sends
 * only those times out like one that sends nothing.
 */
export class RequestDeadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.controller.abort();
  timedOut = false;
  /** Stream chunks received, with or without output. */
  chunks = 0;

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly ms: number,
  ) {
    if (caller?.aborted) this.controller.abort();
    else caller?.addEventListener('abort', this.onAbort, { once: true });
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller stopped the request (not the deadline). */
  get cancelled(): boolean {
    return this.caller?.aborted === true;
  }

  /** A stream chunk arrived; only one with output (`carriesOutput`, wire.ts) gives the reply more time. */
  chunk(output: boolean): void {
    this.chunks++;
    if (output && !this.signal.aborted) this.restart();
  }

  private restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.ms);
  }

  /**
   * The call's value, or a rejection as soon as the signal aborts: the `openai` client's wait
   * before a retry does not listen to the signal, and Stop must not wait for it.
   */
  race<T>(call: Promise<T>): Promise<T> {
    call.catch(() => undefined);
    if (this.signal.aborted) return Promise.reject(new RequestAborted());
    return new Promise<T>((resolve, reject) => {
      const stop = () => reject(new RequestAborted());
      this.signal.addEventListener('abort', stop, { once: true });
      call.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', stop));
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
  }
}

export class RequestAborted extends Error {
  constructor() {
    super('The request was cancelled.');
    this.name = 'RequestAborted';
  }
}
