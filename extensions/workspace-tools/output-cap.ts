/**
 * Keeps the start and the end of a stream of output within a byte budget (errors are usually at
 * the end, the command's first lines say what ran), made readable for a model (readableText).
 */
import { StringDecoder } from 'node:string_decoder';
import { readableText } from '@jan/core';
import { formatBytes } from './text-file';

export class OutputCap {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.floor(maxBytes / 4);
    this.tailLimit = maxBytes - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headBytes < this.headLimit) {
      const taken = chunk.subarray(0, this.headLimit - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0].length >= this.tailLimit)
      this.tailBytes -= (this.tail.shift() as Buffer).length;
  }

  /** The kept output as text; when bytes were dropped, one line says how many. */
  text(): string {
    const head = new StringDecoder('utf8');
    const headText = head.write(Buffer.concat(this.head)) + head.end();
    let tail = Buffer.concat(this.tail);
    const dropped = this.total - this.headBytes - Math.min(tail.length, this.tailLimit);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    // The cut may land inside a UTF-8 sequence: skip continuation bytes at the start.
    let start = 0;
    while (dropped > 0 && start < tail.length && (tail[start] & 0xc0) === 0x80) start += 1;
    const tailText = tail.subarray(start).toString('utf8');
    const cut = dropped > 0 ? `\n[… ${formatBytes(dropped)} of output cut …]\n` : '';
    return readableText(headText + cut + tailText);
  }
}
