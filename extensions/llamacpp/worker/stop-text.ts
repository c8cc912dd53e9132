/**
 * Stop strings matched on the text as it streams. node-llama-cpp matches them on tokens and drops
 * the whole token a stop string starts in, so `". The "` before the stop `"cat"` came back as
 * `". The"` (the space was the start of the token ` cat`). Here the text before the stop is kept to
 * the character, and the end of the text that may still become a stop string is held back until
 * the next piece decides.
 */
export class StopText {
  private held = '';
  private hit = false;
  private readonly stops: string[];

  constructor(stops: readonly string[] | undefined) {
    this.stops = (stops ?? []).filter((stop) => stop.length > 0);
  }

  /** Whether a stop string was found: generation should end, and nothing more is passed on. */
  get stopped(): boolean {
    return this.hit;
  }

  /** The part of the text so far that is sure to be in the reply. */
  push(text: string): string {
    if (this.hit) return '';
    const buffer = this.held + text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.hit = true;
      this.held = '';
      return buffer.slice(0, cut);
    }
    const keep = this.partialStopAtEnd(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return buffer.slice(0, buffer.length - keep);
  }

  /** At the end of the generation: the held text, which never became a stop string. */
  flush(): string {
    const rest = this.hit ? '' : this.held;
    this.held = '';
    return rest;
  }

  /** The length of the longest end of `text` that is the beginning of a stop string. */
  private partialStopAtEnd(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
