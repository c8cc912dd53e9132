/**
 * Sends streamed text at most once per interval: the first piece at once (time to first token
 * is what the user feels), later pieces merged while a small model produces several tokens per
 * frame. Each message costs both processes CPU time that generation on a small machine needs.
 */
export class TextBatcher {
  private buffer = '';
  private timer: NodeJS.Timeout | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = 16,
  ) {}

  push(text: string): void {
    this.buffer += text;
    if (this.timer) return;
    const wait = this.lastSent + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer) return;
    const text = this.buffer;
    this.buffer = '';
    this.lastSent = performance.now();
    this.send(text);
  }
}
