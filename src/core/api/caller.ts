import type { Disposable } from '../events';

/** Who calls the public API: Jan's own extensions, another VS Code extension, or a Node program. */
export interface ApiCaller {
  /** `jan` for the built-in extensions; an extension's id (`publisher.name`); a program's name. */
  readonly id: string;
  /** Shown beside what it registered ("Demo Engine"). */
  readonly displayName: string;
  /** `extension`: another VS Code extension (asked before it reads threads, listed in Show Extensions). */
  readonly kind: 'builtin' | 'extension' | 'program';
}

/** The built-in extensions' caller: they register through the same calls as everyone else. */
export const JAN_CALLER: ApiCaller = Object.freeze({ id: 'jan', displayName: 'Jan', kind: 'builtin' });

/** What a caller can register. */
export type RegistrationKind = 'engine' | 'tool' | 'context source' | 'assistant source';

/** What a caller can use, counted per caller (Jan: Show Extensions). */
export type ApiUse = 'threads.read' | 'threads.write' | 'threads.refused' | 'chat' | 'completion' | 'embeddings';

export interface ApiRegistration {
  kind: RegistrationKind;
  /** The engine's, tool's or source's id. */
  id: string;
  label: string;
}

export interface CallerActivity {
  caller: ApiCaller;
  /** What it has registered now (a disposed registration is gone). */
  registrations: ApiRegistration[];
  /** How often it used each part of the API in this session. */
  uses: Partial<Record<ApiUse, number>>;
  /** Unix milliseconds of its last call. */
  lastUsed?: number;
}

/**
 * Who registered what and used what, for every caller of the API in this session: Show Extensions
 * lists it, and the pickers label an engine with the extension that registered it.
 */
export class ApiActivity {
  private readonly callers = new Map<string, CallerActivity>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a registration; disposing the result removes it. */
  registered(caller: ApiCaller, registration: ApiRegistration): Disposable {
    const entry = this.entry(caller);
    entry.registrations.push(registration);
    this.changed();
    return {
      dispose: () => {
        const index = entry.registrations.indexOf(registration);
        if (index < 0) return;
        entry.registrations.splice(index, 1);
        this.changed();
      },
    };
  }

  used(caller: ApiCaller, use: ApiUse): void {
    const entry = this.entry(caller);
    entry.uses[use] = (entry.uses[use] ?? 0) + 1;
    entry.lastUsed = this.now();
    this.changed();
  }

  /** The caller that registered this engine, tool or source now, if any. */
  ownerOf(kind: RegistrationKind, id: string): ApiCaller | undefined {
    for (const entry of this.callers.values())
      if (entry.registrations.some((item) => item.kind === kind && item.id === id)) return entry.caller;
    return undefined;
  }

  /** Every caller seen in this session, with copies of what it registered and used. */
  all(): CallerActivity[] {
    return [...this.callers.values()].map((entry) => ({
      ...entry,
      registrations: [...entry.registrations],
      uses: { ...entry.uses },
    }));
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private entry(caller: ApiCaller): CallerActivity {
    let entry = this.callers.get(caller.id);
    if (!entry) {
      entry = { caller, registrations: [], uses: {} };
      this.callers.set(caller.id, entry);
    }
    return entry;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
