/** Keeps the end of a stream's text: enough to show why a native crash happened. */
export class TextTail {
  private text = '';

  constructor(private readonly limit = 2000) {}

  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.limit);
  }

  toString(): string {
    return this.text.trim();
  }
}
