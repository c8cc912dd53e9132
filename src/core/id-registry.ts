import type { Disposable } from './events';

/**
 * Things registered by a unique key (tools by name, context and assistant sources by id): one per
 * key, removed by their Disposable, with a change event.
 */
export class IdRegistry<T> {
  private readonly items = new Map<string, T>();
  private readonly listeners = new Set<() => void>();

  /** `what` names an item in the refusal ("context source"); `keyOf` is its key (default: `id`). */
  constructor(
    private readonly what: string,
    private readonly keyOf: (item: T) => string = (item) => (item as { id: string }).id,
  ) {}

  /** Adds an item; a key already registered is refused. Disposing removes exactly this item. */
  register(item: T): Disposable {
    const key = this.keyOf(item);
    if (this.items.has(key)) throw new Error(`A ${this.what} "${key}" is already registered`);
    this.items.set(key, item);
    this.changed();
    return {
      dispose: () => {
        if (this.items.get(key) !== item) return;
        this.items.delete(key);
        this.changed();
      },
    };
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  all(): T[] {
    return [...this.items.values()];
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
