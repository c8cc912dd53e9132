/**
 * The host end of a webview that comes and goes (GitLens's WebviewHost pattern): one page at a
 * time is attached, it says it is ready, and only then is it sent anything. A page that is
 * hidden is dropped by VS Code, and the next one gets the whole state again after `ready`, so a
 * message sent while none is ready is dropped, unless it must reach the user (`deliver`): that
 * waits for the next page.
 */
export class WebviewChannel<Out> {
  private post: ((message: Out) => void) | undefined;
  private ready = false;
  private queued: Out[] = [];
  private waiting: Array<() => void> = [];

  /** Connects a page; returns the function that disconnects it. */
  attach(post: (message: Out) => void): () => void {
    this.post = post;
    this.ready = false;
    return () => {
      if (this.post !== post) return;
      this.post = undefined;
      this.ready = false;
    };
  }

  get isReady(): boolean {
    return this.post !== undefined && this.ready;
  }

  /** The page said `ready`; call `flush` once it has its state. */
  markReady(): void {
    this.ready = this.post !== undefined;
  }

  /** Sends what was delivered while no page was ready; the page now has its state. */
  flush(): void {
    if (!this.isReady) return;
    for (const message of this.queued.splice(0)) this.post!(message);
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Resolves true once a page is ready and has its state, false after `timeoutMs` without one. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.waiting = this.waiting.filter((waiter) => waiter !== onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiting.push(onReady);
    });
  }

  /** To the ready page, or nowhere: the next page gets the state anyway. */
  send(message: Out): void {
    if (this.isReady) this.post!(message);
  }

  /** To the ready page, or to the next one (text the user asked to put in the input). */
  deliver(message: Out): void {
    if (this.isReady) this.post!(message);
    else this.queued.push(message);
  }

  detachAll(): void {
    this.post = undefined;
    this.ready = false;
  }
}
