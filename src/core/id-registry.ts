import type { Disposable } from './events';

/** Things registered by id (context sources, assistant sources): one per id, removed by their Disposable. */
export class IdRegistry<T extends { readonly id: string }> {
  private readonly items = new Map<string, T>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly what: string) {}

  /** Adds an item; an id already registered is refused. Disposing removes exactly this item. */
  register(item: T): Disposable {
    if (this.items.has(item.id)) throw new Error(`A ${this.what} with id "${item.id}" is already registered`);
    this.items.set(item.id, item);
    this.changed();
    return {
      dispose: () => {
        if (this.items.get(item.id) !== item) return;
        this.items.delete(item.id);
        this.changed();
      },
    };
  }

  get(id: string): T | undefined {
    return this.items.get(id);
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
