import { LlamaChat } from 'node-llama-cpp';
import type { LlamaContext } from 'node-llama-cpp';
import { PromptLookup } from './prompt-lookup';
import type { SavedStates } from './saved-states';

interface Slot {
  chat: LlamaChat;
  /** The sequence's prompt-lookup drafting, switched per turn; absent when it is off. */
  lookup: PromptLookup | undefined;
  /** The thread whose tokens the sequence holds; undefined while it holds none. */
  sessionKey: string | undefined;
  lastUsed: number;
}

export interface Acquired {
  chat: LlamaChat;
  lookup: PromptLookup | undefined;
  /** Tokens loaded from the thread's saved state (not evaluated). */
  restoredTokens: number;
  /** The thread that held the sequence before and was saved to disk, if any. */
  evicted: string | undefined;
}

/** Requests without a session key share one sequence, as if they were one thread. */
const ANONYMOUS = '';

/**
 * The chat sequences of one model's context, one per recent thread: a thread's next turn finds its
 * KV cache where it left it even after turns in other threads. When every sequence is taken, the
 * least recently used one is saved to disk (if a folder for saved states was given) and given to
 * the new thread, restored from its own saved state when it has one. Every thread still pooled is
 * saved when the model unloads.
 */
export class ChatPool {
  private readonly slots: Slot[];
  private clock = 0;

  constructor(
    context: LlamaContext,
    private readonly states: SavedStates | undefined,
    private readonly warn: (message: string) => void,
    promptLookup: boolean,
  ) {
    this.slots = Array.from({ length: context.totalSequences }, () => {
      const lookup = promptLookup ? new PromptLookup() : undefined;
      return {
        chat: new LlamaChat({ contextSequence: context.getSequence({ tokenPredictor: lookup }) }),
        lookup,
        sessionKey: undefined,
        lastUsed: 0,
      };
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Any sequence's chat, for what does not depend on a thread (the chat wrapper). */
  get anyChat(): LlamaChat {
    return this.slots[0]!.chat;
  }

  /** The sequence for this thread. Callers hold the model's chat lock: one acquire and generation at a time. */
  async acquire(sessionKey: string | undefined): Promise<Acquired> {
    const key = sessionKey ?? ANONYMOUS;
    const own = this.slots.find((slot) => slot.sessionKey === key);
    if (own) return { chat: this.touch(own), lookup: own.lookup, restoredTokens: 0, evicted: undefined };
    const slot = this.slots.reduce((oldest, candidate) => (candidate.lastUsed < oldest.lastUsed ? candidate : oldest));
    const sequence = slot.chat.sequence;
    const evicted = slot.sessionKey;
    if (evicted !== undefined) await this.save(evicted, slot);
    slot.sessionKey = key;
    const restoredTokens = this.states ? await this.states.restore(key, sequence) : 0;
    return { chat: this.touch(slot), lookup: slot.lookup, restoredTokens, evicted };
  }

  /**
   * Saves every thread's sequence (the model is about to unload: idle unload, restart, model
   * switch), so each thread's next turn is a restore, not an evaluation. Callers hold the chat lock.
   */
  async saveAll(): Promise<void> {
    for (const slot of this.slots) if (slot.sessionKey !== undefined) await this.save(slot.sessionKey, slot);
  }

  dispose(): void {
    for (const slot of this.slots) slot.chat.dispose();
  }

  private async save(sessionKey: string, slot: Slot): Promise<void> {
    if (!this.states || slot.chat.sequence.contextTokens.length === 0) return;
    // Not saved (disk full, folder not writable): that thread is evaluated again when it comes back.
    await this.states
      .save(sessionKey, slot.chat.sequence)
      .catch((error: unknown) => this.warn(`Could not save a chat's KV cache state: ${(error as Error).message}`));
  }

  private touch(slot: Slot): LlamaChat {
    slot.lastUsed = ++this.clock;
    return slot.chat;
  }
}
