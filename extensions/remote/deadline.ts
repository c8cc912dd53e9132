/**
 * One request's cancellation: the caller's signal (Stop, the next keystroke) and a deadline for
 * the first byte of the reply. `signal` aborts on either; `timedOut` says which. `firstByte()`
 * lifts the deadline: a reply that streams may take as long as it streams.
 */
export class RequestDeadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onAbort = () => this.controller.abort();
  timedOut = false;

  constructor(
    private readonly caller: AbortSignal | undefined,
    ms: number,
  ) {
    if (caller?.aborted) this.controller.abort();
    else caller?.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller stopped the request (not the deadline). */
  get cancelled(): boolean {
    return this.caller?.aborted === true;
  }

  firstByte(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
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
