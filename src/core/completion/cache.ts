/**
 * Recent completions by prompt, least recently used evicted. Besides exact hits it serves
 * "typed-through" hits: when the user types the first characters of a shown completion, the
 * rest is still right and is returned without asking the model again.
 */
export class CompletionCache {
  private readonly entries = new Map<string, { prefix: string; suffix: string; text: string }>();

  constructor(private readonly capacity = 256) {}

  get(prefix: string, suffix: string): string | undefined {
    const exact = this.entries.get(key(prefix, suffix));
    if (exact) {
      this.touch(key(prefix, suffix));
      return exact.text;
    }
    // Newest first: the completion shown most recently is the one the user is typing through.
    for (const entry of [...this.entries.values()].reverse()) {
      if (entry.suffix !== suffix || !prefix.startsWith(entry.prefix)) continue;
      const typed = prefix.slice(entry.prefix.length);
      if (typed.length > 0 && entry.text.startsWith(typed) && entry.text.length > typed.length) {
        return entry.text.slice(typed.length);
      }
    }
    return undefined;
  }

  set(prefix: string, suffix: string, text: string): void {
    const entryKey = key(prefix, suffix);
    this.entries.delete(entryKey);
    this.entries.set(entryKey, { prefix, suffix, text });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(entryKey: string): void {
    const entry = this.entries.get(entryKey)!;
    this.entries.delete(entryKey);
    this.entries.set(entryKey, entry);
  }
}

function key(prefix: string, suffix: string): string {
  return `${prefix.length}:${suffix.length}:${prefix}\u0000${suffix}`;
}
