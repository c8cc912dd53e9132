import type { Logger } from './logger';
import { errorMessage } from './logger';
import type { AgentEvent } from './agent/types';
import type { Assistant, Model, Thread, ThreadMessage } from './types';
import type { RunsOn } from './engines';

/** Every event the core emits and what it carries. */
export interface CoreEvents {
  OnMessageSent: ThreadMessage;
  /** A streaming assistant message changed (text grew, status changed). Not persisted per event. */
  OnMessageUpdate: ThreadMessage;
  /**
   * A thread's reply started or its text is final (`generating: false` comes with the last
   * OnMessageUpdate, before the reply and the title are saved; a new request waits for that).
   */
  OnGenerationChanged: { threadId: string; generating: boolean };
  OnThreadUpdated: Thread;
  /** A step of an agent turn: started, a tool call, approval needed, a result, finished (src/core/agent/types.ts). */
  OnAgentStep: AgentEvent;
  OnThreadDeleted: { id: string };
  OnAssistantsChanged: Assistant[];
  OnModelsChanged: Model[];
  /** Engines were registered, replaced (a remote engine's server changed) or removed: where models run may differ. */
  OnEnginesChanged: { engines: string[] };
  OnModelLoading: { modelId: string };
  OnModelReady: { modelId: string };
  OnModelStopped: { modelId: string };
  OnModelFail: { modelId: string; error: string };
  OnEngineCrashed: { engine: string; error: string };
  /** An engine's models are missing from the lists: its listing failed or timed out (said once until it lists again). */
  OnEngineUnlisted: { engine: string; displayName: string; runsOn: RunsOn; throughServer: boolean; reason: string };
}

export type EventName = keyof CoreEvents;
export type Listener<K extends EventName> = (payload: CoreEvents[K]) => void | Promise<void>;

export interface Disposable {
  dispose(): void;
}

/**
 * A typed event bus. A listener that throws (or rejects) is isolated and logged: the emitter
 * and the other listeners never see its failure.
 */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  constructor(private readonly logger: Logger) {}

  on<K extends EventName>(event: K, listener: Listener<K>): Disposable {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<EventName>);
    return { dispose: () => this.off(event, listener) };
  }

  off<K extends EventName>(event: K, listener: Listener<K>): void {
    this.listeners.get(event)?.delete(listener as Listener<EventName>);
  }

  emit<K extends EventName>(event: K, payload: CoreEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        const result = listener(payload);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch((error: unknown) => this.report(event, error));
        }
      } catch (error) {
        this.report(event, error);
      }
    }
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }

  private report(event: EventName, error: unknown): void {
    this.logger.error(`A listener of ${event} failed: ${errorMessage(error)}`);
  }
}
